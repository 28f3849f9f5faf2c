/**
 * What a stopped run leaves, resumed by the next one (issue 12), set up
 * exactly rather than by a random kill: on MariaDB, a migration of four
 * statements stopped after its first (its progress row at statement 1 or 2);
 * on PostgreSQL, an INVALID index left by a stopped CREATE INDEX CONCURRENTLY
 * (dropped and built again, but refused when no progress row proves it is
 * dbkit's), and a statement that waits longer than lock_timeout for a lock
 * another session holds (retried, saying so).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin } from '../support/cli.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { adminExec, adminQuery, freshMysql, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-resume-');
const dbs: FreshDatabase[] = [];
let co: Checkout;
const base = '20250101000700_create_gallery';
let addSession = '';
let indexType = '';

beforeAll(async () => {
  co = checkout(tmp());
  for (const name of ['add_files_session', 'index_messages_type', 'add_users_bio']) {
    CHANGES.find((c) => c.name === name)!.edit(co);
    expect((await co.run(['make', name])).code).toBe(0);
  }
  [addSession, indexType] = co.migrations('agents').slice(7);
}, 120_000);
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

async function at(fresh: () => Promise<FreshDatabase>, to: string): Promise<FreshDatabase> {
  const db = await fresh();
  dbs.push(db);
  const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--to', to, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

const clean = async (url: string) => {
  const d = await co.run(['diff', '--url', url, '--schema', 'agents']);
  expect(d.code, d.stdout).toBe(0);
  expect((await co.run(['status', '--check', '--url', url, '--schema', 'agents'])).code).toBe(0);
};

describe('mysql: a migration stopped after its first statement', () => {
  it.each([
    ['at its second statement (the first is in)', 1],
    ['at its first statement, which had taken effect', 0],
  ])('%s: the re-run goes on after what is in, and runs the rest', async (_what, step) => {
    const db = await at(() => freshMysql('resume'), base);
    await adminExec(db.url, 'ALTER TABLE files ADD COLUMN session_id bigint');
    await adminExec(db.url, `INSERT INTO dbkit_checksums (name, checksum, step, direction, owner) VALUES ('${addSession}', 'started', ${step}, 'up', 'a killed run')`);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(0);
    // Its statements: the column, then SET foreign_key_checks = 0, the foreign key, = 1 (docs/online-changes.md).
    expect(r.stderr).toContain(`${addSession}: resuming it at statement ${step + 1} of 4, where an earlier run stopped`);
    if (step === 0) expect(r.stderr).toContain(`${addSession}: statement 1 had taken effect before that run stopped; going on after it`);
    await clean(db.url);
  }, 120_000);
});

describe('postgres: CREATE INDEX CONCURRENTLY stopped, leaving an INVALID index', () => {
  // A failed CREATE UNIQUE INDEX CONCURRENTLY over duplicates leaves an invalid index of that name.
  const invalid = async (url: string) => {
    await adminExec(url, "INSERT INTO users (username, email, password_hash) VALUES ('a', 'a@x', 'h')");
    await adminExec(url, "INSERT INTO sessions (user_id, title) SELECT id, 't' FROM users");
    await adminExec(url, "INSERT INTO runs (session_id, user_id, task) SELECT s.id, s.user_id, 'x' FROM sessions s");
    await adminExec(url, "INSERT INTO messages (run_id, sender, content) SELECT id, 'u', 'c' FROM runs; INSERT INTO messages (run_id, sender, content) SELECT id, 'u', 'c' FROM runs");
    await expect(adminExec(url, 'CREATE UNIQUE INDEX CONCURRENTLY idx_messages_message_type ON messages (message_type)')).rejects.toThrow(/could not create unique index/);
    const rows = await adminQuery<{ valid: boolean }>(url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'idx_messages_message_type'::regclass");
    expect(rows).toEqual([{ valid: false }]);
  };

  it('with the progress row of that run: dropped and built again', async () => {
    const db = await at(() => freshPostgres('resume'), addSession);
    await invalid(db.url);
    await adminExec(db.url, `INSERT INTO dbkit_checksums (name, checksum, step, direction, owner) VALUES ('${indexType}', 'started', 0, 'up', 'a killed run')`);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${indexType}: index idx_messages_message_type was left invalid by a stopped CREATE INDEX CONCURRENTLY; dropping it to build it again`);
    const rows = await adminQuery<{ valid: boolean; unique: boolean }>(db.url, "SELECT indisvalid AS valid, indisunique AS unique FROM pg_index WHERE indexrelid = 'idx_messages_message_type'::regclass");
    expect(rows).toEqual([{ valid: true, unique: false }]);
    await clean(db.url);
    const idx = await co.run(['check-indexes', '--url', db.url, '--schema', 'agents']);
    expect(idx.code, idx.stdout).toBe(0);
  }, 120_000);

  it('without one: refused as an index dbkit did not create, left as it is', async () => {
    const db = await at(() => freshPostgres('resume'), addSession);
    await invalid(db.url);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`index idx_messages_message_type (${indexType} would create it) already exists in public, and dbkit did not create it`);
    expect(await adminQuery(db.url, "SELECT count(*)::int AS n FROM pg_index WHERE indexrelid = 'idx_messages_message_type'::regclass")).toEqual([{ n: 1 }]);
  }, 120_000);
});

describe('postgres: lock_timeout', () => {
  it('a migration that waits longer than lock_timeout for a lock is retried, saying so, and then applied', async () => {
    const db = await at(() => freshPostgres('locktimeout'), indexType);
    const holder = await openAdmin(db.url);
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      const run = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, 'migrate', '--url', db.url, '--schema', 'agents'], { env: { ...process.env, NO_COLOR: '1', DBKIT_ROOT: co.root } });
        let stderr = '';
        let released = false;
        child.stderr.on('data', (d) => {
          stderr += d;
          // Released only once dbkit said it retries: the first attempt certainly timed out.
          if (!released && /trying again in 0.5s \(attempt 2 of 10\)/.test(stderr)) {
            released = true;
            void holder.query('COMMIT');
          }
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/_add_users_bio: statement 1 waited 0.5s for a lock held by another session \(lock_timeout\); trying again in 0.5s \(attempt 2 of 10\)/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.close();
    }
    await clean(db.url);
  }, 120_000);
});
