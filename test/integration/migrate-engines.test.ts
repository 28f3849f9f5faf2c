/**
 * Every variant on real engines: migrate builds exactly the expected variant,
 * rollback --all leaves nothing behind, migrate again works (acceptance 3, 4).
 */
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { diff } from '../../src/diff/differ.js';
import { normal } from '../support/normal.js';
import type { Dialect } from '../../src/schema/model.js';
import { introspected, knexFor, leftovers } from '../support/catalog.js';
import { dbkit, json } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

async function fresh(engine: Dialect) {
  const db = engine === 'postgres' ? await freshPostgres('mig') : await freshMysql('mig');
  cleanups.push(db.drop);
  return db;
}

const cases = [
  ['postgres', 'agents', 7],
  ['postgres', 'chat', 5],
  ['mysql', 'agents', 7],
  ['mysql', 'chat', 5],
] as const;

describe.each(cases)('%s: %s variant', (engine, schema, count) => {
  it('migrate builds the expected variant; rollback --all leaves nothing; migrate again', async () => {
    const { url } = await fresh(engine);
    const args = ['--url', url, '--schema', schema];

    const up = await dbkit(['migrate', ...args, '--json']);
    expect(up.stderr).not.toMatch(/error|warning/i);
    expect(up.code).toBe(0);
    expect(json<{ migrations: unknown[] }>(up).migrations).toHaveLength(count);
    expect(diff(await introspected(engine, url), normal(expectedVariant(schema, engine)))).toEqual([]);
    expect((await dbkit(['status', '--check', ...args])).code).toBe(0);

    const down = await dbkit(['rollback', '--all', '--yes', ...args, '--json']);
    expect(down.code).toBe(0);
    expect(json<{ migrations: unknown[] }>(down).migrations).toHaveLength(count);
    expect(await leftovers(engine, url)).toEqual([]);
    expect((await dbkit(['status', '--check', ...args])).code).toBe(1);

    expect((await dbkit(['migrate', ...args])).code).toBe(0);
    expect(diff(await introspected(engine, url), normal(expectedVariant(schema, engine)))).toEqual([]);
  }, 120_000);
});

describe.each(['postgres', 'mysql'] as const)('%s: pipelines', (engine) => {
  it('eight migrate runs started at once apply each migration once', async () => {
    const { url } = await fresh(engine);
    const runs = await Promise.all(Array.from({ length: 8 }, () => dbkit(['migrate', '--url', url, '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const applied = runs.flatMap((r) => json<{ migrations: { name: string }[] }>(r).migrations.map((m) => m.name));
    const expectedCount = engine === 'postgres' ? 7 : 5;
    expect(applied).toHaveLength(expectedCount);
    expect(new Set(applied).size).toBe(expectedCount);
    const status = json<{ counts: Record<string, number> }>(await dbkit(['status', '--url', url, '--json']));
    expect(status.counts).toEqual({ applied: expectedCount, pending: 0, changed: 0, missing: 0 });
    // Recorded exactly once each, in the table itself, and the schema is exactly the expected one.
    const recorded = await adminQuery<{ name: string }>(url, 'SELECT name FROM dbkit_migrations');
    expect(recorded).toHaveLength(expectedCount);
    expect(new Set(recorded.map((r) => r.name)).size).toBe(expectedCount);
    const drift = await dbkit(['diff', '--url', url]);
    expect(drift.code, drift.stdout).toBe(0);
  }, 120_000);

  it('a held migration lock makes migrate exit 4 after --lock-timeout', async () => {
    const { url } = await fresh(engine);
    const k = knexFor(engine, url);
    try {
      if (engine === 'postgres') {
        const { acquirePostgresLock } = await import('../../dialects/postgres/lock.js');
        const held = await acquirePostgresLock(url, 'public', 1000);
        const r = await dbkit(['migrate', '--url', url, '--lock-timeout', '1']);
        await held!.release();
        expect(r.code).toBe(4);
        // Says who holds it, while waiting and when giving up: the host and pid of the dbkit holding it, its session and address.
        const who = `dbkit on ${os.hostname()} \\(pid ${process.pid}\\), PostgreSQL session \\d+ from 127\\.0\\.0\\.1, since `;
        expect(r.stderr).toMatch(new RegExp(`waiting up to 1s for the migration lock, held by ${who}`));
        expect(r.stderr).toMatch(new RegExp(`dbkit: another dbkit is migrating .*; lock held by ${who}.*gave up after 1s \\(--lock-timeout\\)\\n$`));
      } else {
        const db = ((await k.raw('SELECT DATABASE() AS db'))[0] as { db: string }[])[0]!.db;
        const { acquireMysqlLock } = await import('../../dialects/mysql/lock.js');
        const held = await acquireMysqlLock(url, db, 1000);
        const r = await dbkit(['migrate', '--url', url, '--lock-timeout', '1']);
        await held!.release();
        expect(r.code).toBe(4);
        expect(r.stderr).toMatch(/waiting up to 1s for the migration lock, held by MySQL connection \d+ \(dbkit@/);
        expect(r.stderr).toMatch(/dbkit: another dbkit is migrating .*; lock held by MySQL connection \d+.*gave up after 1s/);
      }
      expect((await dbkit(['migrate', '--url', url])).code).toBe(0);
    } finally {
      await k.destroy();
    }
  }, 60_000);
});
