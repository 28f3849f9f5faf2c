/**
 * Recovery that never wedges (issue 19, item 1 and acceptance 1): for each
 * way a database used to get stuck, the next plain `dbkit migrate` (the
 * built binary) either completes or exits with one truthful line, and a
 * following run completes, with no SQL by hand on dbkit's state.
 *
 * - PostgreSQL: CREATE UNIQUE INDEX CONCURRENTLY that fails on duplicates
 *   written during the build; one killed (kill -9) while its server
 *   statement goes on (it is waited for, or named with how to end it, then
 *   resumed after the index it built, or rebuilt when it was cancelled);
 *   kill -9 during a long CREATE INDEX CONCURRENTLY on 1M rows.
 * - MariaDB: kill -9 during ALTER TABLE ... ADD INDEX on 700k rows; a
 *   statement of the migration still running is named with KILL QUERY.
 * - PGlite: a migration stopped midway resumes (it used to hang 60 s).
 * - A migration that sorts before an applied one (two branches): refused,
 *   then applied with --allow-out-of-order and recorded so.
 * - The two-branches way out: --accept-changed of the deleted branch and
 *   --adopt of the migration made again, checked against the catalog.
 * - Concurrent `dbkit make` after one edit make the migration once.
 *
 * The tests run concurrently; each has its own databases and checkouts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootId, processStart } from '../../src/migrate/author/folder-lock.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { json, startDbkit, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPglite, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-wedges-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

const change = (name: string) => CHANGES.find((c) => c.name === name)!;
const UNIQUE_EDIT: [string, string] = [
  "      indexes: [{ name: 'idx_sessions_user_id', columns: ['user_id'] }],",
  "      indexes: [{ name: 'idx_sessions_user_id', columns: ['user_id'] }],\n      uniques: [['user_id', 'title']],",
];
const UNIQUE = 'sessions_user_id_title_key';

/** co: + index_messages_type (idx), + a UNIQUE (user_id, title) on sessions (uq). coA / coB: two branches. */
let co: Checkout;
let idx = '';
let uq = '';
let coA: Checkout;
let coB: Checkout;
let A = '';
let B = '';

const made = async (c: Checkout, args: string[]) => {
  const r = await c.run(['make', ...args]);
  expect(r.code, r.stderr).toBe(0);
};

beforeAll(async () => {
  // Branch A first: its migration sorts before branch B's (made later, or in the same second: add_ < index_).
  coA = checkout(tmp());
  change('add_users_bio').edit(coA);
  await made(coA, ['add_users_bio']);
  A = coA.migrations('agents').at(-1)!;
  coB = checkout(tmp());
  change('index_messages_type').edit(coB);
  await made(coB, ['index_messages_type']);
  B = coB.migrations('agents').at(-1)!;
  co = checkout(tmp(), coB.root);
  co.edit('agents.ts', ...UNIQUE_EDIT);
  await made(co, ['unique_session_title', '--allow-data-loss']);
  [idx, uq] = co.migrations('agents').slice(-2) as [string, string];
  expect(idx).toBe(B);
}, 120_000);

/**
 * A new database. On PostgreSQL, dbkit's sessions here are named dbkit_wedges, not dbkit: test files that run
 * beside this one look for `dbkit` sessions waiting on a lock anywhere on the server, and these wait on purpose
 * (the probe finds dbkit's statements by their comment, whatever the session's name).
 */
async function fresh(make: (p: string) => Promise<FreshDatabase>): Promise<FreshDatabase> {
  const db = await make('wedges');
  dbs.push(db);
  return make === freshPostgres ? { ...db, url: `${db.url}?application_name=dbkit_wedges` } : db;
}

async function migrated(c: Checkout, make: (p: string) => Promise<FreshDatabase>, to?: string): Promise<FreshDatabase> {
  const db = await fresh(make);
  const r = await c.run(['migrate', '--url', db.url, '--schema', 'agents', '--quiet', ...(to ? ['--to', to] : [])]);
  expect(r.code, r.stderr).toBe(0);
  return db;
}

const errorLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('dbkit:'));

/** One line on stderr says why it stopped; no stack trace. */
function oneLine(r: CliResult): string {
  const lines = errorLines(r);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

async function complete(c: Checkout, url: string): Promise<CliResult> {
  const r = await c.run(['migrate', '--url', url, '--schema', 'agents']);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

async function clean(c: Checkout, url: string): Promise<void> {
  const s = await c.run(['status', '--check', '--url', url, '--schema', 'agents']);
  expect(s.code, s.stdout).toBe(0);
  const d = await c.run(['diff', '--url', url, '--schema', 'agents']);
  expect(d.code, d.stdout).toBe(0);
}

/** dbkit migrate in the background, and its child process (to kill). */
const background = (c: Checkout, url: string) => startDbkit(['migrate', '--url', url, '--schema', 'agents'], { env: { DBKIT_ROOT: c.root } });

/** Poll `probe` until it gives something; a background run that ends meanwhile fails the wait with its output. */
async function until<T>(what: string, probe: () => Promise<T | null | undefined>, run?: { done: Promise<CliResult> }, ms = 60_000): Promise<T> {
  let ended: CliResult | null = null;
  void run?.done.then((r) => (ended = r));
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null && v !== undefined) return v;
    if (ended) throw new Error(`dbkit ended (exit ${(ended as CliResult).code}) before ${what}: ${(ended as CliResult).stderr}`);
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const killed = async (run: ReturnType<typeof background>) => {
  run.child.kill('SIGKILL');
  await run.done;
};

/** A user, a session and a run to hang rows on (PostgreSQL). */
const PG_SEED = `INSERT INTO users (username, email, password_hash) VALUES ('a', 'a@x', 'h');
INSERT INTO sessions (user_id, title) SELECT id, 't' FROM users;
INSERT INTO runs (session_id, user_id, task) SELECT id, user_id, 'x' FROM sessions;`;

/** The backend of dbkit's tagged CREATE UNIQUE INDEX CONCURRENTLY in this database (the tests run at once), while it waits for a lock. */
const waitingBuild = (admin: Awaited<ReturnType<typeof openAdmin>>) => async () =>
  (
    await admin.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE query LIKE '/* dbkit %CREATE UNIQUE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND datname = current_database()",
    )
  )[0]?.pid;

describe.concurrent('PostgreSQL: CREATE UNIQUE INDEX CONCURRENTLY', () => {
  it('fails on duplicates written during the build: one truthful line, no INVALID index left; after the data is fixed a plain run completes', async () => {
    const db = await migrated(co, freshPostgres, idx);
    await adminExec(db.url, PG_SEED);
    const admin = await openAdmin(db.url);
    const writer = await openAdmin(db.url);
    try {
      // A duplicate written while the migration runs (not there when it started): the build waits for this writer, then meets it.
      await writer.query('BEGIN');
      await writer.query("INSERT INTO sessions (user_id, title) SELECT id, 't' FROM users");
      const run = background(co, db.url);
      await until('the build waiting for the writer', waitingBuild(admin), run);
      await writer.query('COMMIT');
      const r = await run.done;
      expect(r.code, r.stderr).toBe(5);
      const line = oneLine(r);
      expect(line).toContain(`migration ${uq} stopped at statement 1 of 2; none of its statements had taken effect (checked against the catalog`);
      expect(line).toContain(`building the unique index ${UNIQUE} failed: its columns hold duplicate values (Key (user_id, title)=(`);
      expect(line).toContain('the invalid index the failed build left was dropped');
      expect(await admin.query(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = 'sessions'::regclass AND NOT indisvalid`)).toEqual([]);
      // The data is the user's to fix; dbkit's state needs nothing.
      await admin.query("DELETE FROM sessions WHERE ctid = (SELECT max(ctid) FROM sessions)");
    } finally {
      await writer.close();
      await admin.close();
    }
    await complete(co, db.url);
    await clean(co, db.url);
  }, 120_000);

  it('kill -9 while the build waits for a writer; the orphaned build goes on and finishes: the next run goes on after the index it built', async () => {
    const db = await migrated(co, freshPostgres, idx);
    await adminExec(db.url, PG_SEED);
    const admin = await openAdmin(db.url);
    const writer = await openAdmin(db.url);
    try {
      await writer.query('BEGIN');
      await writer.query("INSERT INTO sessions (user_id, title) SELECT id, 'other' FROM users");
      const run = background(co, db.url);
      await until('the build waiting for the writer', waitingBuild(admin), run);
      await killed(run);
      // The server goes on with the dead run's statement once the writer is done (its own lock_timeout, 3 s, bounds the wait).
      await writer.query('COMMIT');
    } finally {
      await writer.close();
      await admin.close();
    }
    const r = await complete(co, db.url);
    expect(r.stderr).not.toMatch(/already exists|concurrently updated/);
    expect(r.stderr).toContain(`${uq}: index ${UNIQUE} was built before that run stopped (statement 1 took effect); going on at statement 2`);
    // What this run ran, truthfully: statement 1 was the dead run's.
    expect(r.stdout).toContain(`+ ${uq}  (resumed: statement 1 had been run by an earlier run, not run again)`);
    await clean(co, db.url);
    expect(await adminQuery(db.url, `SELECT contype FROM pg_constraint WHERE conname = '${UNIQUE}'`)).toEqual([{ contype: 'u' }]);
  }, 120_000);

  it('kill -9, then the orphaned build is cancelled in its last phase (pg_cancel_backend): the INVALID UNIQUE index it leaves is dropped and built again', async () => {
    const db = await migrated(co, freshPostgres, idx);
    await adminExec(db.url, PG_SEED);
    const admin = await openAdmin(db.url);
    const reader = await openAdmin(db.url);
    try {
      // A snapshot older than the build: the build ends waiting for it ("waiting for old snapshots").
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM users');
      const run = background(co, db.url);
      const pid = await until('the build waiting for old snapshots', async () =>
        (
          await admin.query<{ pid: number }>(
            `SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.datname = current_database() AND a.query LIKE '/* dbkit public ${uq} up %' AND p.phase = 'waiting for old snapshots'`,
          )
        )[0]?.pid,
        run,
      );
      await killed(run);
      await admin.query(`SELECT pg_cancel_backend(${pid})`);
      await until('the cancelled build to end', async () => ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length ? null : true));
      expect(await admin.query(`SELECT indisvalid AS valid, indisunique AS unique FROM pg_index WHERE indexrelid = '${UNIQUE}'::regclass`)).toEqual([{ valid: false, unique: true }]);
      await reader.query('COMMIT');
    } finally {
      await reader.close();
      await admin.close();
    }
    const r = await complete(co, db.url);
    expect(r.stderr).not.toMatch(/already exists|concurrently updated/);
    expect(r.stderr).toContain(`${uq}: index ${UNIQUE} was left invalid by a stopped CREATE INDEX CONCURRENTLY; dropping it to build it again`);
    await clean(co, db.url);
    expect(await adminQuery(db.url, `SELECT contype FROM pg_constraint WHERE conname = '${UNIQUE}'`)).toEqual([{ contype: 'u' }]);
  }, 120_000);
});

describe.concurrent('PostgreSQL: a concurrent build held up by other transactions (it waits online, up to --lock-timeout)', () => {
  /** The backend of dbkit's tagged build of idx in this database, in `phase`. */
  const building = (admin: Awaited<ReturnType<typeof openAdmin>>, phase: string) => async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.datname = current_database() AND a.query LIKE '/* dbkit public ${idx} up %' AND p.phase = $1`,
        [phase],
      )
    )[0]?.pid;

  it('a transaction older than the build: the build waits for it in its last phase (not 0.5 s), then completes once, with no lock-wait note', async () => {
    const db = await migrated(co, freshPostgres, 'create_gallery');
    await adminExec(db.url, PG_SEED);
    const admin = await openAdmin(db.url);
    const reader = await openAdmin(db.url);
    try {
      // Any transaction in the database whose snapshot is older than the build holds up its last phase.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM users');
      const run = startDbkit(['migrate', '--url', db.url, '--schema', 'agents'], { env: { DBKIT_ROOT: co.root } });
      const pid = await until('the build waiting for old snapshots', building(admin, 'waiting for old snapshots'), run);
      // Well past the 0.5 s DDL lock bound: the same build still waits (with that bound it gave up, dropped its index and built it again).
      const since = Date.now();
      await until('2 s of waiting', async () => (Date.now() - since > 2_000 ? true : null), run);
      expect(await building(admin, 'waiting for old snapshots')()).toBe(pid);
      await reader.query('COMMIT');
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('waited');
      expect(r.stderr).not.toContain('dropping it');
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await reader.close();
      await admin.close();
    }
    expect(await adminQuery(db.url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'idx_messages_message_type'::regclass")).toEqual([{ valid: true }]);
    await clean(co, db.url);
  }, 120_000);

  it('past --lock-timeout: the note says it waited for other transactions; the drop of the INVALID index it left is retried like the build (it waits for the same reader), then both succeed', async () => {
    const db = await migrated(co, freshPostgres, 'create_gallery');
    await adminExec(db.url, PG_SEED);
    const reader = await openAdmin(db.url);
    try {
      // A reader of messages itself: the build waits for its snapshot, the DROP INDEX CONCURRENTLY for its lock.
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await reader.query('SELECT count(*) FROM messages');
      const run = startDbkit(['migrate', '--url', db.url, '--schema', 'agents', '--lock-timeout', '1'], { env: { DBKIT_ROOT: co.root } });
      await run.waitFor(
        new RegExp(
          `${idx}: statement 1 waited 1s for other transactions to end \\(its index was made, not yet valid: .*\\) \\(lock_timeout, --lock-timeout\\); trying again in 0\\.5s \\(attempt 2 of 10\\)`,
        ),
      );
      await run.waitFor(
        new RegExp(
          `${idx}: statement 1: dropping the invalid index idx_messages_message_type it left waited 1s for a lock on its table that another session holds, or the transactions that use the table to end \\(lock_timeout, --lock-timeout\\); trying again in 1s \\(attempt 3 of 10\\)`,
        ),
      );
      await reader.query('COMMIT');
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain('lock held by another session');
    } finally {
      await reader.query('ROLLBACK').catch(() => undefined);
      await reader.close();
    }
    expect(await adminQuery(db.url, "SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'idx_messages_message_type'::regclass")).toEqual([{ valid: true }]);
    await clean(co, db.url);
  }, 120_000);
});

describe.concurrent('kill -9 during a long index build, re-run at once', () => {
  it('PostgreSQL, CREATE INDEX CONCURRENTLY over 1M rows: the server goes on building; the next plain run waits for it, then goes on', async () => {
    const db = await migrated(co, freshPostgres, 'create_gallery');
    // Narrow rows; the foreign key's trigger is skipped for the load (a superuser's test set-up).
    await adminExec(
      db.url,
      `${PG_SEED} SET session_replication_role = replica;
       INSERT INTO messages (run_id, sender, content, message_type) SELECT (SELECT id FROM runs), 'u', 'c', (g % 7)::text FROM generate_series(1, 1000000) g;
       RESET session_replication_role; ANALYZE messages;`,
    );
    const admin = await openAdmin(db.url);
    // A snapshot held open keeps the build waiting at its end ("waiting for old snapshots"), so the
    // poll below sees it however fast the machine builds; released once dbkit is killed.
    const snapshot = await openAdmin(db.url);
    await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await snapshot.query('SELECT count(*) FROM runs');
    try {
      const run = background(co, db.url);
      await until(
        'the build running',
        async () =>
          (
            await admin.query<{ pid: number }>(
              `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '/* dbkit public ${idx} up %'`,
            )
          )[0]?.pid,
        run,
        150_000,
      );
      await killed(run);
    } finally {
      await snapshot.query('COMMIT').catch(() => undefined);
      await snapshot.close();
      await admin.close();
    }
    const r = await complete(co, db.url);
    // Waited for while it still ran (how much of the build is left depends on the machine), and never raced.
    if (r.stderr.includes('waiting up to')) {
      expect(r.stderr).toMatch(
        new RegExp(`waiting up to 60s for a statement an earlier dbkit run left running on the server: PostgreSQL session \\d+ has run CREATE INDEX CONCURRENTLY "idx_messages_message_type" ON "messages" \\("message_type"\\) for \\d+s \\(${idx}, statement 1 of 1`),
      );
    }
    // The orphaned build finished (taken as done), or gave up waiting for a lock and left its index INVALID (built again).
    expect(r.stderr).toMatch(new RegExp(`${idx}: (statement 1 had taken effect before that run stopped|index idx_messages_message_type was left invalid by a stopped CREATE INDEX CONCURRENTLY; dropping it to build it again)`));
    expect(r.stderr).not.toMatch(/concurrently updated|already exists/);
    await clean(co, db.url);
  }, 300_000);

  it('MariaDB, ALTER TABLE ... ADD INDEX over 700k rows: the next plain run completes', async () => {
    const db = await migrated(co, freshMysql, 'create_gallery');
    await adminExec(
      db.url,
      `INSERT INTO users (username, email, password_hash) VALUES ('a', 'a@x', 'h');
       INSERT INTO sessions (user_id, title) SELECT id, 't' FROM users;
       INSERT INTO runs (session_id, user_id, task) SELECT id, user_id, 'x' FROM sessions;
       INSERT INTO messages (run_id, sender, content, message_type) SELECT (SELECT id FROM runs), 'u', 'c', seq % 7 FROM seq_1_to_700000;`,
    );
    const admin = await openAdmin(db.url);
    // A transaction that has read the table holds a metadata lock the ALTER must wait for: the statement
    // stays on the server however fast the machine builds, so the poll below sees it; released once
    // dbkit is killed, the orphaned ALTER goes on (or, past its lock wait bound, gives up undone).
    const reader = await openAdmin(db.url);
    await reader.query('START TRANSACTION');
    await reader.query('SELECT 1 FROM messages LIMIT 1');
    try {
      const run = background(co, db.url);
      await until('the ALTER TABLE adding the index', async () =>
        (
          await admin.query<{ ID: number }>(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '/* dbkit %ADD INDEX `idx_messages_message_type`%'",
          )
        )[0]?.ID,
        run,
      );
      await killed(run);
    } finally {
      await reader.query('COMMIT').catch(() => undefined);
      await reader.close();
      await admin.close();
    }
    const r = await complete(co, db.url);
    expect(r.stderr).not.toMatch(/Duplicate key name|ER_DUP_KEYNAME|Lock wait timeout/);
    // The orphaned ALTER was either waited for (then it had taken effect) or gone with its work undone (then it ran again).
    if (r.stderr.includes('waiting up to')) expect(r.stderr).toMatch(/left running on the server: MySQL connection \d+ has run ALTER TABLE `messages` ADD INDEX `idx_messages_message_type`/);
    await clean(co, db.url);
  }, 180_000);

  it.each([
    ['PostgreSQL', freshPostgres, 'SELECT pg_backend_pid() AS id', 'SELECT pg_sleep(60)', "SELECT 1 AS x FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", 'PostgreSQL session', (id: number) => `SELECT pg_cancel_backend(${id})`, 'public'],
    ['MariaDB', freshMysql, 'SELECT CONNECTION_ID() AS id', 'SELECT SLEEP(60)', "SELECT 1 AS x FROM information_schema.PROCESSLIST WHERE ID = ? AND INFO LIKE '%SLEEP%'", 'MySQL connection', (id: number) => `KILL QUERY ${id}`, null],
  ] as const)('%s: a statement of the migration still running on the server is named, with how to end it (exit 4); ended so, the next run completes', async (_engine, make, whoAmI, sleep, running, session, end, ns) => {
    const db = await migrated(co, make, 'create_gallery');
    const namespace = ns ?? new URL(db.url).pathname.slice(1);
    const orphan = await openAdmin(db.url);
    const admin = await openAdmin(db.url);
    try {
      const [{ id }] = await orphan.query<{ id: number }>(whoAmI);
      // What a dead run's statement looks like to the server: behind dbkit's comment for this namespace and migration.
      const sleeping = orphan.query(`/* dbkit ${namespace} ${idx} up 1/1 */ ${sleep}`).catch(() => undefined);
      await until('the statement to run', async () => (await admin.query(running, [id]))[0]);
      const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--lock-timeout', '1']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toContain('waiting up to 1s for a statement an earlier dbkit run left running on the server');
      const line = oneLine(r);
      expect(line).toContain(`${session} ${id} has run ${sleep} for`);
      expect(line).toContain(`(${idx}, statement 1 of 1)`);
      expect(line).toContain(`nothing was run. Let it finish and run dbkit migrate again, or end it with ${end(Number(id))} (the next run then resumes at that statement)`);
      await admin.query(end(Number(id)));
      await sleeping;
    } finally {
      await orphan.close();
      await admin.close();
    }
    await complete(co, db.url);
    await clean(co, db.url);
  }, 120_000);
});

describe.concurrent('PGlite, out of order, two branches, concurrent make', () => {
  it('PGlite: a migration stopped midway resumes (no wait for a second connection)', async () => {
    const db = await migrated(co, freshPglite, idx);
    // Stopped between the two statements: the index built, not yet the constraint.
    await adminExec(
      db.url,
      `CREATE UNIQUE INDEX ${UNIQUE} ON sessions (user_id, title);
       INSERT INTO dbkit_checksums (name, checksum, step, direction, owner) VALUES ('${uq}', 'started', 1, 'up', 'a killed run');`,
    );
    const status = await co.run(['status', '--url', db.url, '--schema', 'agents']);
    expect(status.stdout).toMatch(new RegExp(`${uq} +\\(a run stopped at statement 2 of 2; dbkit migrate resumes it\\)`));
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // --json lists the statement this run ran; the one the stopped run had run is marked, not listed as run.
    const [ran] = json<{ migrations: { name: string; sql: string[]; skipped?: { statement: number; sql: string }[] }[] }>(r).migrations;
    expect(ran!.name).toBe(uq);
    expect(ran!.sql).toEqual([expect.stringMatching(/^ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_title_key" UNIQUE USING INDEX/)]);
    expect(ran!.skipped).toEqual([{ statement: 1, sql: expect.stringMatching(/^CREATE UNIQUE INDEX CONCURRENTLY "sessions_user_id_title_key"/) }]);
    expect(r.stderr).not.toContain('Timeout acquiring a connection');
    expect(r.stderr).toContain(`${uq}: resuming it at statement 1 of 2, where an earlier run stopped`);
    expect(r.stderr).toContain(`${uq}: index ${UNIQUE} was built before that run stopped (statement 1 took effect); going on at statement 2`);
    await clean(co, db.url);
  }, 120_000);

  it('a migration that sorts before an applied one is refused, then applied with --allow-out-of-order and recorded so; a fresh database runs them in order', async () => {
    const merged = checkout(tmp(), coB.root);
    fs.cpSync(path.join(coA.root, 'migrations', 'agents', A), path.join(merged.root, 'migrations', 'agents', A), { recursive: true });
    expect((await merged.run(['hash'])).code).toBe(0);
    const db = await migrated(coB, freshMysql);
    const refused = await merged.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(refused.code, refused.stderr).toBe(1);
    expect(oneLine(refused)).toContain(`${A} sorts before ${B}, which this database has applied: nothing was migrated`);
    expect(refused.stderr).toContain('dbkit migrate --allow-out-of-order');
    // A dry run refuses the same way (it used to print A's SQL and exit 0); with the flag it shows A, marked.
    const dry = await merged.run(['migrate', '--url', db.url, '--schema', 'agents', '--dry-run']);
    expect(dry.code, dry.stdout + dry.stderr).toBe(1);
    expect(oneLine(dry)).toBe(oneLine(refused));
    expect(dry.stdout).not.toContain('ALTER TABLE');
    const dryAllowed = await merged.run(['migrate', '--url', db.url, '--schema', 'agents', '--dry-run', '--allow-out-of-order']);
    expect(dryAllowed.code, dryAllowed.stderr).toBe(0);
    expect(dryAllowed.stdout).toContain(`-- ${A} (up, out of order: it sorts before a migration this database has applied)\nALTER TABLE`);
    const dryJson = await merged.run(['migrate', '--url', db.url, '--schema', 'agents', '--dry-run', '--allow-out-of-order', '--json']);
    expect(json(dryJson)).toMatchObject({ dryRun: true, migrations: [{ name: A, outOfOrder: true }] });
    const r = await merged.run(['migrate', '--url', db.url, '--schema', 'agents', '--allow-out-of-order', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ migrations: { name: string; outOfOrder?: boolean }[] }>(r).migrations).toMatchObject([{ name: A, outOfOrder: true }]);
    const s = json<{ upToDate: boolean; migrations: { name: string; appliedAs?: string }[] }>(await merged.run(['status', '--url', db.url, '--schema', 'agents', '--json']));
    expect(s.upToDate).toBe(true);
    expect(s.migrations.find((m) => m.name === A)).toMatchObject({ appliedAs: 'out-of-order' });
    expect(s.migrations.find((m) => m.name === B)!.appliedAs).toBeUndefined();
    expect((await merged.run(['status', '--url', db.url, '--schema', 'agents'])).stdout).toMatch(new RegExp(`${A} +\\(batch 2\\) +\\(applied out of order\\)`));
    const other = await fresh(freshMysql);
    const inOrder = await merged.run(['migrate', '--url', other.url, '--schema', 'agents']);
    expect(inOrder.code, inOrder.stderr).toBe(0);
    expect(inOrder.stdout.indexOf(A)).toBeLessThan(inOrder.stdout.indexOf(B));
    expect(inOrder.stdout).not.toContain('out of order');
  }, 120_000);

  it('two branches: the README way out, then --accept-changed of the deleted one and --adopt of the one made again, checked against the catalog; the same command line on a fresh database and one that applied only A', async () => {
    // Both branches applied here (merged with both folders kept), then the recipe: keep A, delete B, hash, make B's change again (C).
    const merged = checkout(tmp(), coB.root);
    fs.cpSync(path.join(coA.root, 'migrations', 'agents', A), path.join(merged.root, 'migrations', 'agents', A), { recursive: true });
    expect((await merged.run(['hash'])).code).toBe(0);
    const recipe = checkout(tmp(), coA.root);
    change('index_messages_type').edit(recipe);
    await made(recipe, ['index_messages_type']);
    const C = recipe.migrations('agents').at(-1)!;
    const db = await migrated(merged, freshPostgres);

    const plain = await recipe.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(plain.code, plain.stderr).toBe(1);
    const line = oneLine(plain);
    expect(line).toContain(`${B} was applied but its folder is gone`);
    expect(line).toContain(`The effect of pending ${C} is already in the database (checked against the catalog)`);
    expect(line).toContain(`run dbkit migrate --accept-changed ${B} --adopt ${C}`);

    const forgetOnly = await recipe.run(['migrate', '--url', db.url, '--schema', 'agents', '--accept-changed', B]);
    expect(forgetOnly.code, forgetOnly.stderr).toBe(5);
    const conflict = oneLine(forgetOnly);
    expect(conflict).not.toContain('dbkit did not create it');
    expect(conflict).toContain(`index idx_messages_message_type (${C} would create it) already exists in public, and no migration in the folder proves dbkit made it; ${B}, applied here and whose folder is gone, may have`);
    expect(conflict).toContain(`dbkit migrate --accept-changed ${B} --adopt ${C}`);

    // One command line for every database of a pipeline: this one (A and B applied), a fresh one, one that applied only A; and again.
    const way = (url: string) => recipe.run(['migrate', '--url', url, '--schema', 'agents', '--accept-changed', B, '--adopt', C, '--json']);
    const both = await way(db.url);
    expect(both.code, both.stderr).toBe(0);
    expect(json(both)).toMatchObject({ migrations: [], adopted: [C], accepted: [{ name: B, was: 'missing' }] });
    const s = json<{ migrations: { name: string; appliedAs?: string }[] }>(await recipe.run(['status', '--url', db.url, '--schema', 'agents', '--json']));
    expect(s.migrations.find((m) => m.name === C)).toMatchObject({ state: 'applied', appliedAs: 'adopted' });
    await clean(recipe, db.url);
    const again = await way(db.url);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`--accept-changed ${B}: no migration of that name is in the folder or applied here: nothing to accept`);
    expect(json(again)).toMatchObject({ migrations: [], accepted: [] });

    // A fresh database: B is nowhere (a note, not a usage error); C is decided at its turn, after A: its effect is absent, so it runs.
    const empty = await fresh(freshPostgres);
    const fromScratch = await way(empty.url);
    expect(fromScratch.code, fromScratch.stderr).toBe(0);
    expect(fromScratch.stderr).toContain(`--accept-changed ${B}: no migration of that name is in the folder or applied here: nothing to accept`);
    expect(fromScratch.stderr).toContain(`${C}: --adopt: its effect is not in the database (the catalog shows the state before it, checked now that the migrations before it ran): running it`);
    const ran = json<{ migrations: { name: string }[]; adopted?: string[] }>(fromScratch);
    expect(ran.migrations.map((m) => m.name)).toEqual(expect.arrayContaining([A, C]));
    expect(ran.adopted).toBeUndefined();
    await clean(recipe, empty.url);
    expect((await way(empty.url)).code).toBe(0);

    // A database that applied only A: C's effect is absent: it runs (it used to exit 1).
    const onlyA = await migrated(coA, freshPostgres);
    const fromA = await way(onlyA.url);
    expect(fromA.code, fromA.stderr).toBe(0);
    expect(fromA.stderr).toContain(`${C}: --adopt: its effect is not in the database (the catalog shows the state before it): running it`);
    expect(json(fromA)).toMatchObject({ migrations: [{ name: C }], accepted: [] });
    await clean(recipe, onlyA.url);
    expect((await way(onlyA.url)).code).toBe(0);

    // A part of a name that matches nothing is still a usage error (a typo).
    const typo = await recipe.run(['migrate', '--url', onlyA.url, '--schema', 'agents', '--accept-changed', 'index_mesages_type']);
    expect(typo.code, typo.stderr).toBe(2);
    expect(oneLine(typo)).toContain('--accept-changed index_mesages_type: no such migration');

    // Never trusted blind: where an index of C's name is there but not as C makes it, --adopt is refused, nothing recorded; a hand-written migration cannot be adopted.
    const other = await migrated(coA, freshPostgres);
    await adminExec(other.url, 'CREATE INDEX idx_messages_message_type ON messages (sender)');
    const handWritten = checkout(tmp(), recipe.root);
    await made(handWritten, ['--empty', 'backfill']);
    const blind = await handWritten.run(['migrate', '--url', other.url, '--schema', 'agents', '--adopt', 'backfill']);
    expect(blind.code, blind.stderr).toBe(2);
    expect(oneLine(blind)).toMatch(/cannot adopt \d+_backfill: hand-written, no operations dbkit can check against the catalog/);
    const refused = await way(other.url);
    expect(refused.code, refused.stderr).toBe(1);
    expect(oneLine(refused)).toMatch(new RegExp(`cannot adopt: the effect of the migration is not in public as it makes it, nor absent \\(checked against the catalog\\): ${C}: .*idx_messages_message_type.*; nothing was recorded`));
    expect(await adminQuery(other.url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_messages_message_type'")).toEqual([{ indexdef: expect.stringContaining('(sender)') }]);
  }, 180_000);

  it('make: concurrent runs after one edit make the migration once; a stale lock is taken over, a live one waited for (exit 4)', async () => {
    const c = checkout(tmp());
    change('add_users_bio').edit(c);
    const before = c.migrations('agents');
    const runs = await Promise.all([1, 2, 3].map(() => c.run(['make', 'add_users_bio'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(c.migrations('agents')).toHaveLength(before.length + 1);
    expect(runs.filter((r) => r.stdout.startsWith('created ')).length).toBe(1);
    expect(runs.filter((r) => r.stdout.includes('no change since the last migration')).length).toBe(2);
    const lockFile = path.join(c.root, 'migrations', '.dbkit-make.lock');
    expect(fs.existsSync(lockFile)).toBe(false);

    const holder = (pid: number, start: string | null) => ({ pid, host: os.hostname(), since: new Date().toISOString(), boot: bootId(), start, token: 'test' });
    const gone = await new Promise<number>((resolve) => {
      const p = spawn(process.execPath, ['-e', '0']);
      p.on('close', () => resolve(p.pid!));
    });
    for (const [h, why] of [
      // (Or, should the pid have been given to another process meanwhile: that one started at another time.)
      [holder(gone, '1'), new RegExp(`process ${gone} is gone|pid ${gone} is now another process`)],
      // This very pid, alive, but started at another time than the lock says: a reused pid is not trusted.
      [holder(process.pid, processStart(process.pid) ? 'not-this-start' : null), new RegExp(`pid ${process.pid} is now another process`)],
    ] as const) {
      if (h.start === null) continue; // no /proc: a reused pid cannot be told from its holder
      fs.writeFileSync(lockFile, JSON.stringify(h));
      const r = await c.run(['make', 'add_users_bio']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`taking over a stale make lock (dbkit make, pid ${h.pid} on ${os.hostname()}`);
      expect(r.stderr).toMatch(why);
      expect(fs.existsSync(lockFile)).toBe(false);
    }
    fs.writeFileSync(lockFile, JSON.stringify(holder(process.pid, processStart(process.pid))));
    const r = await c.run(['make', 'add_users_bio', '--lock-timeout', '1']);
    expect(r.code, r.stderr).toBe(4);
    expect(oneLine(r)).toContain(
      `another dbkit make is writing migrations in migrations (dbkit make, pid ${process.pid} on ${os.hostname()}`,
    );
    expect(r.stderr).toContain('gave up after 1s (--lock-timeout). If no make runs there any more, delete migrations/.dbkit-make.lock');
    expect(fs.existsSync(lockFile)).toBe(true);
    fs.rmSync(lockFile);
  }, 120_000);
});
