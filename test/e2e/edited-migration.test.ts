/**
 * An applied migration edited or deleted afterwards (issue 5, acceptance 3):
 * on a copy of the built package whose compiled migration files the test
 * changes, `status --check` and `migrate` stop and name the file; `migrate
 * --accept-changed NAME` records the new checksum (or forgets a deleted
 * migration), after which both pass again. On PostgreSQL and MariaDB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json, repoRoot } from '../support/cli.js';
import { freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-edited-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A package of its own: package.json, the built dist/ and this checkout's node_modules. */
function copiedPackage(): { bin: string; migrations: string } {
  const root = path.join(tmp(), 'pkg');
  fs.mkdirSync(root);
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(root, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { bin: path.join(root, 'dist', 'cli', 'dbkit.cjs'), migrations: path.join(root, 'dist', 'migrations') };
}

// The runs migration, edited to run one more statement after its step.
const EDITED = `import { stepMigration } from '../../src/migrate/context.js';
const base = stepMigration('table:runs');
export const { up, down, recover } = base;
export const plan = (ctx) => { const p = base.plan(ctx); return { up: [...p.up, 'SELECT 1'], down: p.down }; };
`;

describe.each([
  ['postgres', freshPostgres, 'agents'],
  ['mysql', freshMysql, 'agents'],
] as const)('an applied migration edited or deleted on %s', (_engine, fresh, schema) => {
  it('stops status --check and migrate, naming the file, until accepted by name', async () => {
    const db = await fresh('edited');
    dbs.push(db);
    const pkg = copiedPackage();
    const run = (...args: string[]) => dbkit([...args, '--url', db.url, '--schema', schema], { bin: pkg.bin });
    expect((await run('migrate', '--quiet')).code).toBe(0);

    const runs = '20250101000300_create_runs';
    const gallery = '20250101000700_create_gallery';
    fs.writeFileSync(path.join(pkg.migrations, schema, `${runs}.js`), EDITED);
    fs.rmSync(path.join(pkg.migrations, schema, `${gallery}.js`));

    const status = await run('status', '--check');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`changed +${runs}`));
    expect(status.stdout).toMatch(new RegExp(`missing +${gallery}`));

    const refused = await run('migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${runs} (migrations/${schema}/${runs}.ts) was edited after it was applied`);
    expect(refused.stderr).toContain(`${gallery} was applied but its file is gone`);
    expect(refused.stderr).toContain(`--accept-changed ${runs} --accept-changed ${gallery}`);
    expect(refused.stderr.split('\n').filter((l) => l.startsWith('dbkit:'))).toHaveLength(1);
    const refusedJson = await run('migrate', '--json');
    expect(refusedJson.code).toBe(1);
    expect(JSON.parse(refusedJson.stdout)).toMatchObject({ error: { exitCode: 1, message: expect.stringContaining(runs) } });

    // Accepting one of the two is not enough; a name that matches no migration is a usage error.
    expect((await run('migrate', '--accept-changed', runs)).code).toBe(1);
    expect((await run('migrate', '--accept-changed', 'no_such_migration')).code).toBe(2);

    const accepted = await run('migrate', '--accept-changed', 'create_runs', '--accept-changed', gallery, '--json');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(json<{ accepted: unknown[]; migrations: unknown[] }>(accepted)).toMatchObject({
      accepted: [
        { name: runs, was: 'changed' },
        { name: gallery, was: 'missing' },
      ],
      migrations: [],
    });
    expect((await run('status', '--check')).code).toBe(0);
    expect((await run('migrate')).code).toBe(0);
    // A pipeline that still passes the flag after the acceptance is not failed for it.
    const kept = await run('migrate', '--accept-changed', runs, '--json');
    expect(kept.code, kept.stderr).toBe(0);
    expect(json<{ accepted: unknown[] }>(kept).accepted).toEqual([]);
  }, 90_000);
});
