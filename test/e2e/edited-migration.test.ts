/**
 * An applied migration edited or deleted afterwards (issue 5, acceptance 3;
 * issue 12, acceptance 6): on a copy of the package whose frozen migration
 * files the test changes, `status --check` and `migrate` first refuse the
 * folder, whose sum file no longer matches (exit 2, naming the migration and
 * `dbkit hash`); once the change is hashed they stop on the changed checksum
 * (exit 1) and name the migration; `migrate --accept-changed NAME` records
 * the new checksum (or forgets a deleted migration), after which both pass
 * again. On PostgreSQL and MariaDB.
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

/** A package of its own: package.json, the built CLI, the migrations and this checkout's node_modules. */
function copiedPackage(): { bin: string; migrations: string } {
  const root = path.join(tmp(), 'pkg');
  fs.mkdirSync(root);
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
  fs.cpSync(path.join(repoRoot, 'dist', 'cli'), path.join(root, 'dist', 'cli'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { bin: path.join(root, 'dist', 'cli', 'dbkit.cjs'), migrations: path.join(root, 'migrations') };
}

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
    // One more statement in the runs migration (both dialects), and the gallery migration gone.
    for (const dialect of ['postgres', 'mysql']) {
      fs.appendFileSync(path.join(pkg.migrations, schema, runs, `${dialect}.up.sql`), '--> statement-breakpoint\nSELECT 1;\n');
    }
    fs.rmSync(path.join(pkg.migrations, schema, gallery), { recursive: true });

    // The folder no longer matches its sum: refused before anything else, naming the migration and the fix.
    for (const cmd of [['status', '--check'], ['migrate']]) {
      const bad = await run(...cmd);
      expect(bad.code, bad.stderr).toBe(2);
      expect(bad.stderr).toContain(`${gallery} is in migrations/${schema}/dbkit.sum but not in the folder`);
      expect(bad.stderr).toContain('dbkit hash --schema agents');
    }
    fs.cpSync(path.join(repoRoot, 'migrations', schema, gallery), path.join(pkg.migrations, schema, gallery), { recursive: true });
    const edited = await run('migrate');
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain(`${runs} (migrations/${schema}/${runs}) differs from what migrations/${schema}/dbkit.sum records`);
    fs.rmSync(path.join(pkg.migrations, schema, gallery), { recursive: true });
    const hashed = await dbkit(['hash', '--schema', schema], { bin: pkg.bin });
    expect(hashed.code, hashed.stderr).toBe(0);

    const status = await run('status', '--check');
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(new RegExp(`changed +${runs}`));
    expect(status.stdout).toMatch(new RegExp(`missing +${gallery}`));

    const refused = await run('migrate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${runs} (migrations/${schema}/${runs}/) was edited after it was applied`);
    expect(refused.stderr).toContain(`${gallery} was applied but its folder is gone`);
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
