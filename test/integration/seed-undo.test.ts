/**
 * What a failed or interrupted seed takes back, and what it says about it
 * (issue 11): only the rows it wrote, found by their keys (a row someone
 * else wrote meanwhile stays, and the message says so); the take-back
 * survives the loss of the loading sessions; and a run that wrote nothing
 * (a read-only database, a role that may not insert) says exactly that,
 * without claiming to have removed rows or advising --truncate.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, startDbkit } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, mysqlAdminUrl, pgAdminUrl, openAdmin, withDatabase, uniqueName, type FreshDatabase } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const AGENTS = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];

async function migrated(fresh: (p: string) => Promise<FreshDatabase>, prefix: string): Promise<FreshDatabase> {
  const db = await fresh(prefix);
  cleanups.push(db.drop);
  const m = await dbkit(['migrate', '--url', db.url, '--schema', 'agents', '--quiet']);
  expect(m.code, m.stderr).toBe(0);
  return db;
}

async function counts(url: string): Promise<number[]> {
  const admin = await openAdmin(url);
  try {
    const out: number[] = [];
    for (const t of AGENTS) out.push(Number((await admin.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n));
    return out;
  } finally {
    await admin.close();
  }
}

/** Poll until the seed has committed some users. */
async function someUsersCommitted(url: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (Number((await adminQuery<{ n: unknown }>(url, 'SELECT count(*) AS n FROM users'))[0]!.n) > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the seed committed no users in 2 minutes');
}

const seed = (db: FreshDatabase, users: number, extra: string[] = []) => ['seed', '--url', db.url, '--schema', 'agents', '--users', String(users), '--seed', '5', ...extra];

describe('a failed seed takes back only its own rows', () => {
  it('PostgreSQL: a row someone else wrote during the run stays, and the message says the tables are not empty', async () => {
    const db = await migrated(freshPostgres, 'seed_others');
    const run = startDbkit(seed(db, 5000, ['--verbose']));
    await someUsersCommitted(db.url);
    await adminQuery(db.url, `INSERT INTO users (username, email, password_hash) VALUES ('app_user', 'app@example.com', 'not-a-seed')`);
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/dbkit: seed interrupted by SIGINT; the rows it had written were deleted; users hold rows written by someone else meanwhile\n/);
    const rows = await adminQuery<{ username: string }>(db.url, 'SELECT username FROM users');
    expect(rows.map((u) => u.username)).toEqual(['app_user']);
    expect((await counts(db.url)).slice(1)).toEqual([0, 0, 0, 0, 0, 0]);
  }, 180_000);

  it('PostgreSQL: when the loading sessions are killed, it takes its rows back over a new session', async () => {
    const db = await migrated(freshPostgres, 'seed_killed');
    const run = startDbkit(seed(db, 5000));
    await someUsersCommitted(db.url);
    // Every session of the seed but its lock (application_name dbkit-lock).
    await adminQuery(db.url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dbkit'");
    const r = await run.done;
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^dbkit: seeding failed: .*; the rows it had written were deleted: the tables are empty\n$/);
    expect(await counts(db.url)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  }, 180_000);

  it('PostgreSQL: --truncate, then a failure: says that --truncate emptied the tables and that its own rows are gone', async () => {
    const db = await migrated(freshPostgres, 'seed_trunc_fail');
    expect((await dbkit(seed(db, 3))).code).toBe(0);
    await adminQuery(db.url, `ALTER TABLE users ADD CONSTRAINT fails_late CHECK (username NOT LIKE '%150')`);
    const r = await dbkit(seed(db, 200, ['--truncate', '--yes']));
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/fails_late.*; --truncate had emptied users, sessions, runs, messages, files, settings, gallery; the rows it had written were deleted: the tables are empty\n$/);
    expect(await counts(db.url)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  }, 120_000);
});

describe('a seed that could write nothing says so', () => {
  it('PostgreSQL, read-only transactions: "nothing was written", no rows claimed removed, no --truncate advice', async () => {
    const db = await migrated(freshPostgres, 'seed_readonly');
    await adminQuery(pgAdminUrl(), `ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
    const r = await dbkit(seed(db, 20));
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/had added|removing|--truncate|left empty/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (r.code === 5) expect(r.stderr).toMatch(/read-only transaction; nothing was written\n$/);
    await adminQuery(pgAdminUrl(), `ALTER DATABASE "${db.name}" RESET default_transaction_read_only`);
    expect(await counts(db.url)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  }, 60_000);

  it('MariaDB, a role that may only read: "nothing was written", no rows claimed removed, no --truncate advice', async () => {
    const db = await migrated(freshMysql, 'seed_selectonly');
    const user = uniqueName('ro').slice(0, 32);
    await adminQuery(mysqlAdminUrl(), `CREATE USER '${user}'@'%' IDENTIFIED BY 'ro-pw-1'`);
    cleanups.push(async () => void (await adminQuery(mysqlAdminUrl(), `DROP USER IF EXISTS '${user}'@'%'`)));
    await adminQuery(mysqlAdminUrl(), `GRANT SELECT ON \`${db.name}\`.* TO '${user}'@'%'`);
    const u = new URL(withDatabase(mysqlAdminUrl(), db.name));
    u.username = user;
    u.password = 'ro-pw-1';
    const r = await dbkit(['seed', '--url', u.toString(), '--schema', 'agents', '--users', '20', '--seed', '5']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/had added|removing|--truncate|left empty/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    if (r.code === 5) expect(r.stderr).toMatch(/denied.*; nothing was written\n$/);
    expect(await counts(db.url)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  }, 60_000);
});
