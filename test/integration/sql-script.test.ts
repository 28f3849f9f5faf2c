/**
 * Acceptance 5 of the foundation: `dbkit sql` prints each of the four
 * variants offline; each runs cleanly through psql or the mysql client and
 * builds the same schema as `dbkit migrate`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { diff } from '../../src/diff/differ.js';
import { normal } from '../support/normal.js';
import { introspected } from '../support/catalog.js';
import { dbkit } from '../support/cli.js';
import { freshMysql, freshPostgres, runMysqlClient, runPsql } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

describe.each([
  ['postgres', 'agents'],
  ['postgres', 'chat'],
  ['mysql', 'agents'],
  ['mysql', 'chat'],
] as const)('dbkit sql --dialect %s --schema %s', (engine, schema) => {
  it('runs through the command-line client and builds what migrate builds', async () => {
    const printed = await dbkit(['sql', '--dialect', engine, '--schema', schema]);
    expect(printed.code).toBe(0);
    expect(printed.stderr).not.toMatch(/error|warning/i);

    const viaClient = engine === 'postgres' ? await freshPostgres('sql') : await freshMysql('sql');
    const viaMigrate = engine === 'postgres' ? await freshPostgres('mig') : await freshMysql('mig');
    cleanups.push(viaClient.drop, viaMigrate.drop);
    await (engine === 'postgres' ? runPsql : runMysqlClient)(viaClient.url, printed.stdout);
    const r = await dbkit(['migrate', '--url', viaMigrate.url, '--schema', schema]);
    expect(r.code, r.stderr).toBe(0);

    const fromClient = await introspected(engine, viaClient.url);
    expect(diff(fromClient, normal(expectedVariant(schema, engine)))).toEqual([]);
    expect(fromClient).toEqual(await introspected(engine, viaMigrate.url));
  }, 120_000);
});
