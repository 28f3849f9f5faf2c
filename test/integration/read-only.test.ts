/**
 * Read-only servers (issue 11, acceptance 5): a PostgreSQL hot standby made
 * with `pg_basebackup -R` from a primary this file starts, and a MariaDB of its
 * own with read_only=1 (never the suite's shared server). migrate, rollback
 * and seed exit 6 with one line saying the server is read-only, before any
 * statement that writes (on MariaDB an account with ALL PRIVILEGES could
 * write through read_only: the bookkeeping and tables are compared before and
 * after); status, diff, check-indexes and the dry runs keep working.
 * The slow server starts of the pre-flight tests live here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, json, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, uniqueName, withDatabase } from '../support/databases.js';
import { startSystemMariadb, type Server } from '../support/servers.js';
import { startStandby, type Standby } from '../support/standby.js';

let standby: Standby;
let mariadb: Server;
const urls = { pgMigrated: '', pgEmpty: '', pgPrimaryMigrated: '', myMigrated: '', myEmpty: '', myOwner: '' };

beforeAll(async () => {
  [standby, mariadb] = await Promise.all([startStandby(), startSystemMariadb()]);
  const migrated = uniqueName('ro_pg');
  const empty = uniqueName('ro_pg_empty');
  await adminExec(standby.primaryUrl, `CREATE DATABASE "${migrated}"; `);
  await adminExec(standby.primaryUrl, `CREATE DATABASE "${empty}"`);
  urls.pgPrimaryMigrated = withDatabase(standby.primaryUrl, migrated);
  expect((await dbkit(['migrate', '--url', urls.pgPrimaryMigrated])).code).toBe(0);
  expect((await dbkit(['seed', '--users', '3', '--seed', '1', '--url', urls.pgPrimaryMigrated])).code).toBe(0);
  await standby.caughtUp();
  urls.pgMigrated = withDatabase(standby.standbyUrl, migrated);
  urls.pgEmpty = withDatabase(standby.standbyUrl, empty);

  const db = uniqueName('ro_my');
  const dbEmpty = uniqueName('ro_my_empty');
  await adminExec(mariadb.url, `CREATE DATABASE \`${db}\`; CREATE DATABASE \`${dbEmpty}\`; CREATE USER 'owner'@'%' IDENTIFIED BY 'owner-pw'; GRANT ALL ON \`${db}\`.* TO 'owner'@'%'`);
  urls.myMigrated = withDatabase(mariadb.url, db);
  urls.myEmpty = withDatabase(mariadb.url, dbEmpty);
  urls.myOwner = withDatabase(mariadb.url.replace(/\/\/[^@]*@/, '//owner:owner-pw@'), db);
  expect((await dbkit(['migrate', '--url', urls.myMigrated])).code).toBe(0);
  expect((await dbkit(['seed', '--users', '3', '--seed', '1', '--url', urls.myMigrated])).code).toBe(0);
  await adminExec(mariadb.url, 'SET GLOBAL read_only = 1');
}, 300_000);

afterAll(async () => {
  await Promise.allSettled([standby?.stop(), mariadb?.stop()]);
}, 60_000);

/** Everything a write would change: the tables, dbkit's bookkeeping rows, and the row count of users. */
async function snapshot(url: string): Promise<string> {
  const mysql = url.startsWith('mysql');
  const tables = await adminQuery<{ t: string }>(
    url,
    mysql
      ? 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'
      : "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  const parts = [tables.map((r) => r.t).join(',')];
  if (tables.some((r) => r.t === 'dbkit_migrations')) {
    for (const sql of [
      'SELECT name, batch FROM dbkit_migrations ORDER BY id',
      'SELECT * FROM dbkit_migrations_lock',
      'SELECT name, checksum FROM dbkit_checksums ORDER BY name',
      'SELECT count(*) AS n FROM users',
    ]) {
      parts.push(JSON.stringify(await adminQuery(url, sql)));
    }
  }
  return parts.join('\n');
}

/** Independent CLI runs, a few at a time. */
async function inBatches<T>(tasks: (() => Promise<T>)[], size = 4): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += size) out.push(...(await Promise.all(tasks.slice(i, i + size).map((t) => t()))));
  return out;
}

/** One line on stderr saying the server is read-only; with --json, the same as a JSON error. */
function expectReadOnly(r: CliResult, verb: string, jsonMode: boolean): void {
  expect(r.code, r.stderr).toBe(6);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('dbkit:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^dbkit: the server of \\S+ is read-only \\(.+\\): ${verb} writes, so it stopped before changing anything`));
  expect(r.stderr).not.toMatch(/\b(UPDATE|INSERT|TRUNCATE|COPY|DELETE)\b/);
  if (jsonMode) expect(json<{ error: { exitCode: number; message: string } }>(r).error).toMatchObject({ exitCode: 6, message: expect.stringContaining('is read-only') });
  else expect(r.stdout).toBe('');
}

const WRITES: [string, string[]][] = [
  ['migrate', ['migrate']],
  ['rollback', ['rollback', '--yes']],
  ['rollback', ['rollback', '--all', '--yes']],
  ['seed', ['seed', '--users', '2']],
  ['seed', ['seed', '--truncate', '--yes', '--users', '2']],
  ['seed', ['seed', '--append', '--users', '2']],
];

/** The URLs are known once beforeAll has run. */
const SERVERS = [
  { name: 'a PostgreSQL hot standby', migrated: () => urls.pgMigrated, empty: () => urls.pgEmpty, reason: /a hot standby: pg_is_in_recovery\(\) is true/, applied: 7 },
  { name: 'MariaDB with read_only=1, as an account with ALL PRIVILEGES', migrated: () => urls.myMigrated, empty: () => urls.myEmpty, reason: /read_only=ON/, applied: 5 },
  { name: "MariaDB with read_only=1, as the database's owner", migrated: () => urls.myOwner, empty: null, reason: /read_only=ON/, applied: 5 },
];

describe.each(SERVERS)('on $name', (server) => {
  it('migrate, rollback and seed exit 6 with one line, plain and --json, and write nothing', async () => {
    const s = { ...server, migrated: server.migrated() };
    const before = await snapshot(s.migrated);
    expect(before).toContain('dbkit_migrations');
    const runs = WRITES.flatMap(([verb, args]) => [[], ['--json']].map((mode) => ({ verb, args: [...args, ...mode, '--url', s.migrated], json: mode.length > 0 })));
    const results = await inBatches(runs.map((run) => () => dbkit(run.args)));
    runs.forEach((run, k) => {
      expectReadOnly(results[k]!, run.verb, run.json);
      expect(results[k]!.stderr).toMatch(s.reason);
    });
    expect(await snapshot(s.migrated)).toBe(before);
  }, 300_000);

  it('status, diff, check-indexes and the dry runs keep working', async () => {
    const s = { ...server, migrated: server.migrated() };
    const before = await snapshot(s.migrated);
    const status = await dbkit(['status', '--url', s.migrated]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`${s.applied} applied; up to date`);
    const statusJson = await dbkit(['status', '--json', '--url', s.migrated]);
    expect(json<{ upToDate: boolean; counts: { applied: number } }>(statusJson)).toMatchObject({ upToDate: true, counts: { applied: s.applied } });

    const diff = await dbkit(['diff', '--json', '--url', s.migrated]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(json<{ changes: unknown[]; pendingMigrations: string[] }>(diff)).toMatchObject({ changes: [], pendingMigrations: [] });
    expect((await dbkit(['diff', '--url', s.migrated])).stdout).toContain('no drift');

    for (const mode of [[], ['--json']]) {
      const idx = await dbkit(['check-indexes', ...mode, '--url', s.migrated]);
      expect(idx.code, idx.stderr).toBe(0);
    }
    const dry = await dbkit(['migrate', '--dry-run', '--url', s.migrated]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('nothing to apply');
    const back = await dbkit(['rollback', '--dry-run', '--json', '--url', s.migrated]);
    expect(back.code, back.stderr).toBe(0);
    expect(json<{ dryRun: boolean; migrations: unknown[] }>(back).migrations.length).toBe(s.applied);
    expect(await snapshot(s.migrated)).toBe(before);
  }, 240_000);
});

describe.each(SERVERS.filter((s) => s.empty))('an empty database on $name', (server) => {
  it('migrate creates no bookkeeping table there', async () => {
    const url = server.empty!();
    expect(await snapshot(url)).toBe('');
    for (const mode of [[], ['--json']]) expectReadOnly(await dbkit(['migrate', ...mode, '--url', url]), 'migrate', mode.length > 0);
    expect(await snapshot(url)).toBe('');
  }, 120_000);
});

describe('the standby is a real one', () => {
  it('the server itself refuses writes, and the primary still takes them', async () => {
    await expect(adminQuery(urls.pgMigrated, 'CREATE TABLE t (id int)')).rejects.toThrow(/read-only transaction/);
    const r = await dbkit(['status', '--url', urls.pgPrimaryMigrated]);
    expect(r.code).toBe(0);
  });
});
