/**
 * Databases migrated by dbkit 0.1.0 (issue 12, acceptance 1): the release
 * tagged v0.1.0 is built from git in a temporary directory, migrates fresh
 * PostgreSQL, MariaDB and PGlite databases (both schemas), and this build
 * then finds them up to date (`status --check` exits 0, with no
 * --accept-changed), `migrate` applies nothing and `diff` is clean. Their
 * bookkeeping tables (no marker comment then) are recognised by their
 * structure, and that `migrate` gives them dbkit's marker (issue 20).
 * (The old release runs as its built binary; this build's runs are
 * in-process, support/cli.ts: the run() its binary calls.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, dbkitInProcess, json, repoRoot } from '../support/cli.js';
import { adminQuery, freshMysql, freshPglite, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { runOk } from '../support/run.js';
import { tempDirs } from '../support/tmp.js';

/** The commit tagged v0.1.0 (the release every database migrated so far was made by). */
const V010_COMMIT = '0398227bb0cc0d695430366857eee93941705277';

const tmp = tempDirs('dbkit-v010-');
const dbs: FreshDatabase[] = [];
let oldBin = '';

beforeAll(async () => {
  const dir = path.join(tmp(), 'dbkit-0.1.0');
  fs.mkdirSync(dir);
  // The tag, else the release commit itself (a clone that did not bring tags still has it).
  const ref = ['v0.1.0^{commit}', `${V010_COMMIT}^{commit}`].find(
    (r) => spawnSync('git', ['-C', repoRoot, 'rev-parse', '--verify', '--quiet', r], { encoding: 'utf8' }).status === 0,
  );
  if (!ref) throw new Error(`neither the git tag v0.1.0 nor its commit ${V010_COMMIT} is in this checkout (git fetch --tags)`);
  const tarball = path.join(tmp(), 'v0.1.0.tar');
  await runOk('git', ['-C', repoRoot, 'archive', '--format=tar', '-o', tarball, ref.replace('^{commit}', '')]);
  await runOk('tar', ['-x', '-f', tarball, '-C', dir]);
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  await runOk('npm', ['run', 'build'], { cwd: dir });
  oldBin = path.join(dir, 'dist', 'cli', 'dbkit.cjs');
}, 600_000);

afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

// The six databases side by side.
describe.concurrent.each([
  ['postgres', freshPostgres, 'agents'],
  ['postgres', freshPostgres, 'chat'],
  ['mysql', freshMysql, 'chat'],
  ['mysql', freshMysql, 'agents'],
  ['pglite', freshPglite, 'agents'],
  ['pglite', freshPglite, 'chat'],
] as const)('a %s database (%s) migrated by v0.1.0', (_engine, fresh, schema) => {
  it('is up to date for this version: status --check 0, migrate applies nothing, diff clean', async () => {
    const db = await fresh('v010');
    dbs.push(db);
    const args = ['--url', db.url, '--schema', schema];
    const old = await dbkit(['migrate', ...args, '--json'], { bin: oldBin });
    expect(old.code, old.stderr).toBe(0);
    expect(json<{ migrations: unknown[] }>(old).migrations.length).toBeGreaterThan(4);

    const status = await dbkitInProcess(['status', '--check', ...args]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain('up to date');
    const comments = () =>
      adminQuery<{ t: string; c: string | null }>(
        db.url,
        _engine === 'mysql'
          ? "SELECT TABLE_NAME AS t, TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'dbkit%' ORDER BY 1"
          : "SELECT relname AS t, obj_description(oid, 'pg_class') AS c FROM pg_class WHERE relname LIKE 'dbkit%' AND relkind = 'r' ORDER BY 1",
      );
    expect((await comments()).map((r) => r.c || null)).toEqual([null, null, null]);
    const again = await dbkitInProcess(['migrate', ...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(json<{ migrations: unknown[] }>(again).migrations).toEqual([]);
    expect(await comments()).toEqual(['dbkit_checksums', 'dbkit_migrations', 'dbkit_migrations_lock'].map((t) => ({ t, c: 'dbkit bookkeeping v1' })));
    const drift = await dbkitInProcess(['diff', ...args]);
    expect(drift.code, drift.stdout).toBe(0);
    // And what this version recorded still satisfies the old one.
    expect((await dbkit(['status', '--check', ...args], { bin: oldBin })).code).toBe(0);
  }, 300_000);
});
