/**
 * No wait without a bound in `seed` (issue 20, review of its hardening):
 * with another session holding a lock on a table of the schema, seed hung
 * on PostgreSQL (killed at 85 and 150 s) on its emptiness check, on
 * --truncate and on the bulk load. Through the real binary: each wait ends
 * within --lock-timeout with exit 4 naming the table, what seed was doing
 * and, on PostgreSQL, the holding session; nothing is written and the rows
 * already there stay. On MariaDB every dbkit session had its lock waits
 * bounded already: here the line names the table too (the server names no
 * holder). A Ctrl-C whose take-back meets a lock another session holds on
 * the run's rows says so and ends instead of hanging. (The set-based
 * foreign-key check after the load, and the take-back on both engines:
 * test/integration/seed-lock-wait.test.ts. PGlite is one process's database,
 * behind its lock file: no other session can hold a lock there.)
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, dbkitKilledAfter, dbkitSignalled, type CliResult } from '../support/cli.js';
import { freshMysql, freshPostgres, tableCounts, type FreshDatabase } from '../support/databases.js';

const AGENTS = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];
const CHAT = ['users', 'conversations', 'messages', 'api_calls'];
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A run killed after 60 s fails the test instead of stalling it (the bound asked for is 2 s). */
async function bounded(args: string[]): Promise<CliResult> {
  const r = await dbkitKilledAfter(args, 60_000);
  expect(r.killed, `dbkit ${args.join(' ')} still running after 60s: ${r.stderr}`).toBe(false);
  return r;
}

const errorLine = (r: CliResult): string => r.stderr.trim().split('\n').filter((l) => l.startsWith('dbkit: ')).pop() ?? '';

async function migrated(kind: 'pg' | 'my', prefix: string, seedUsers = 0): Promise<FreshDatabase> {
  const db = kind === 'pg' ? await freshPostgres(prefix) : await freshMysql(prefix);
  dbs.push(db);
  expect((await dbkit(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
  if (seedUsers) expect((await dbkit(['seed', '--url', db.url, '--users', String(seedUsers), '--seed', '7', '--quiet'])).code).toBe(0);
  return db;
}

/** A PostgreSQL session that holds `lock` (statements run in an open transaction) while `fn` runs. */
async function pgHolding<T>(url: string, lock: string[], fn: () => Promise<T>): Promise<T> {
  const holder = new pg.Client({ connectionString: url, application_name: 'h4-holder' });
  holder.on('error', () => undefined);
  await holder.connect();
  try {
    await holder.query('BEGIN');
    for (const sql of lock) await holder.query(sql);
    return await fn();
  } finally {
    await holder.query('ROLLBACK').catch(() => undefined);
    await holder.end();
  }
}

async function myHolding<T>(url: string, lock: string[], release: string, fn: () => Promise<T>): Promise<T> {
  const holder = await mysql.createConnection({ uri: url });
  try {
    for (const sql of lock) await holder.query(sql);
    return await fn();
  } finally {
    await holder.query(release).catch(() => undefined);
    await holder.end();
  }
}

describe('PostgreSQL: another session holds a lock on a table of the schema', () => {
  const holderOn = (table: string, mode: string) => new RegExp(`held by PostgreSQL session \\d+ \\(h4-holder from [^;]*; ${mode} on ${table}\\)`);

  it.concurrent.each([
    // The emptiness check reads every table: ACCESS EXCLUSIVE stops it.
    ['the emptiness check', 0, ['--users', '5'], ['LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE'], 'sessions', 'AccessExclusiveLock', 'checking which tables hold rows'],
    // TRUNCATE waits even for a reader: an open transaction that read gallery.
    ['--truncate', 3, ['--users', '5', '--truncate', '--yes'], ['SELECT 1 FROM gallery LIMIT 1'], 'gallery', 'AccessShareLock', '--truncate emptying the tables'],
    // COPY waits for SHARE (readers pass: the emptiness check goes through).
    ['the bulk load', 0, ['--users', '5'], ['LOCK TABLE gallery IN SHARE MODE'], 'gallery', 'ShareLock', 'loading gallery'],
  ] as const)('%s: exit 4 within --lock-timeout, naming the table and its holder; nothing written', async (_what, users, args, lock, table, mode, doing) => {
    const db = await migrated('pg', 'h4_seedlock', users);
    const before = await tableCounts(db.url, AGENTS);
    const r = await pgHolding(db.url, [...lock], () => bounded(['seed', '--url', db.url, '--lock-timeout', '2', ...args]));
    expect(r.code, r.stderr).toBe(4);
    const line = errorLine(r);
    expect(line).toMatch(new RegExp(`^dbkit: gave up after 2s \\(--lock-timeout\\) waiting for a lock on public\\.${table}, `));
    expect(line).toMatch(holderOn(table, mode));
    expect(line).toContain(`: ${doing} (canceling statement due to lock timeout (SQLSTATE 55P03))`);
    expect(line).toMatch(/; nothing was written$/);
    expect(await tableCounts(db.url, AGENTS)).toEqual(before);
  }, 120_000);

  it("Ctrl-C whose take-back meets another session's lock on the run's rows: ends, saying which table, whose lock and what may be left", async () => {
    const db = await migrated('pg', 'h4_seedlock_back');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'h4-holder' });
    holder.on('error', () => undefined);
    await holder.connect();
    try {
      let locked = false;
      // Once the run has committed users: lock them (FOR UPDATE), then interrupt it.
      const r = await dbkitSignalled(['seed', '--url', db.url, '--users', '4000', '--lock-timeout', '2', '--verbose'], 'SIGINT', async () => {
        if (locked) return true;
        const [n] = (await holder.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows;
        if (Number(n!.n) === 0) return false;
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM users FOR UPDATE');
        locked = true;
        return true;
      }, 120_000);
      expect(locked).toBe(true);
      expect(r.code, r.stderr).toBe(130);
      const line = errorLine(r);
      expect(line).toMatch(/^dbkit: seed interrupted by SIGINT; taking back what it had committed failed \(gave up after 2s \(--lock-timeout\) waiting for a lock on public\.users, /);
      expect(line).toMatch(/held by PostgreSQL session \d+ \(h4-holder from [^;]*; RowShareLock on users\): taking back the run's rows/);
      expect(line).toMatch(/\): [\d,]+ users \(numbered 1 to 4000\) and their rows may still be there; dbkit seed --truncate starts over$/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 300_000);
});

describe('MariaDB: another session holds a lock on a table of the schema', () => {
  it.concurrent.each([
    // LOCK TABLES ... WRITE stops the privilege pre-flight (EXPLAIN INSERT waits for the metadata lock) before anything else.
    ['the checks before seeding', 0, ['--users', '5'], ['LOCK TABLES conversations WRITE'], 'UNLOCK TABLES', /waiting for a lock on (\w+, )*conversations(, \w+)*, held by another session: checking the privileges seed needs; nothing was written \(Lock wait timeout exceeded/],
    // An open transaction that read api_calls holds its metadata lock: TRUNCATE waits.
    ['--truncate', 3, ['--users', '5', '--truncate', '--yes'], ['BEGIN', 'SELECT 1 FROM api_calls LIMIT 1'], 'ROLLBACK', /waiting for a lock on api_calls, held by another session: --truncate emptying the tables \(Lock wait timeout exceeded.*\); nothing was written$/],
    // Next-key locks on users (FOR UPDATE in an open transaction): the load's inserts wait.
    ['the bulk load', 0, ['--users', '5'], ['BEGIN', 'SELECT id FROM users FOR UPDATE'], 'ROLLBACK', /waiting for a lock on users, held by another session: loading users \(Lock wait timeout exceeded.*\); nothing was written$/],
  ] as const)('%s: exit 4 within --lock-timeout naming the table; nothing written', async (_what, users, args, lock, release, message) => {
    const db = await migrated('my', 'h4_seedlock', users);
    const before = await tableCounts(db.url, CHAT);
    const r = await myHolding(db.url, [...lock], release, () => bounded(['seed', '--url', db.url, '--lock-timeout', '2', ...args]));
    expect(r.code, r.stderr).toBe(4);
    expect(errorLine(r)).toMatch(/^dbkit: gave up after 2s \(--lock-timeout\) /);
    expect(errorLine(r)).toMatch(message);
    expect(await tableCounts(db.url, CHAT)).toEqual(before);
  }, 120_000);
});
