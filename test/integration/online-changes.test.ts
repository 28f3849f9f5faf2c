/**
 * Bounded write stalls (issue 19 item 3, docs/online-changes.md) on real
 * servers, modest data, no timing assertions:
 *
 * - `make` refuses a change that copies (MySQL) or rewrites (PostgreSQL) a
 *   table without --allow-blocking (exit 2, naming it), and makes it with
 *   the warning in the migration; config `online: "pt-osc"` lets MySQL
 *   copies through, not PostgreSQL rewrites;
 * - the generated migrations (a foreign key, NOT NULL, a VARCHAR across the
 *   length-byte boundary) apply to tables with rows on PostgreSQL and
 *   MariaDB, diff is clean, rollback brings the base back;
 * - a run stopped between the two transactions of a foreign key (the
 *   constraint in, NOT VALID) or inside the NOT NULL sequence is finished by
 *   the next plain run, set up exactly as the kill leaves it;
 * - a statement past --statement-timeout fails saying so; one waiting for a
 *   metadata lock is tried again (MariaDB);
 * - with pt-online-schema-change on PATH, the copying change runs through it
 *   on MariaDB and diff is clean.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPtOsc } from '../../dialects/mysql/pt-osc.js';
import { parseSqlFile } from '../../src/migrate/folder/format.js';
import { startDbkit, type CliResult } from '../support/cli.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { adminExec, adminQuery, freshMysql, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-online-');
const dbs: FreshDatabase[] = [];
const base = '20250101000700_create_gallery';
let co: Checkout;
let fk = '';
let notNull = '';
let widen = '';
const made: Record<string, CliResult> = {};

const WIDEN = ["{ name: 'username', type: t.varchar(50), unique: true, notNull: true },", "{ name: 'username', type: t.varchar(100), unique: true, notNull: true },"] as const;
const BIGINT = ["{ name: 'total_tokens', type: t.int(), default: num(0), comment: 'Total tokens' },", "{ name: 'total_tokens', type: t.bigint(), default: num(0), comment: 'Total tokens' },"] as const;

beforeAll(async () => {
  co = checkout(tmp());
  CHANGES.find((c) => c.name === 'add_files_session')!.edit(co);
  expect((await co.run(['make', 'add_files_session'])).code).toBe(0);
  co.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64), notNull: true },");
  expect((await co.run(['make', 'files_hash_not_null', '--allow-data-loss'])).code).toBe(0);
  co.edit('agents.ts', ...WIDEN);
  made.widenRefused = await co.run(['make', 'widen_username']);
  made.widen = await co.run(['make', 'widen_username', '--allow-blocking']);
  co.edit('chat.ts', ...BIGINT);
  made.bigintRefused = await co.run(['make', 'total_tokens_bigint', '--schema', 'chat']);
  made.bigint = await co.run(['make', 'total_tokens_bigint', '--schema', 'chat', '--allow-blocking']);
  [fk, notNull, widen] = co.migrations('agents').slice(7);
}, 180_000);
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

const sqlFile = (name: string, file: string): string => fs.readFileSync(path.join(co.root, 'migrations', 'agents', name, file), 'utf8');

describe('make', () => {
  it('refuses a change that copies a table on MySQL without --allow-blocking (exit 2, naming it), and makes it with the warning in the migration', () => {
    expect(made.widenRefused!.code).toBe(2);
    expect(made.widenRefused!.stderr).toContain(
      'make: refused: this change blocks writes to a table with rows for as long as it runs: MySQL/MariaDB: copies table users (alter column users.username: varchar(50) -> varchar(100))',
    );
    expect(made.widenRefused!.stderr).toContain('Pass --allow-blocking to make it anyway');
    expect(made.widen!.code, made.widen!.stderr).toBe(0);
    expect(widen).toMatch(/_widen_username$/);
    const header = sqlFile(widen, 'mysql.up.sql');
    expect(header).toContain('-- warning: BLOCKS WRITES: statement 1 copies table users (alter column users.username: varchar(50) -> varchar(100))');
    expect(parseSqlFile(header)).toEqual(['ALTER TABLE `users` MODIFY COLUMN `username` varchar(100) NOT NULL']);
    const meta = JSON.parse(sqlFile(widen, 'migration.json'));
    expect(meta.dialects.mysql.up.blocking).toEqual([0]);
    // PostgreSQL widens a varchar in the catalog alone.
    expect(meta.dialects.postgres.up.blocking).toBeUndefined();
  });

  it('refuses a PostgreSQL rewrite (int -> bigint) as well, naming both engines', () => {
    expect(made.bigintRefused!.code).toBe(2);
    expect(made.bigintRefused!.stderr).toContain(
      'PostgreSQL: rewrites table api_calls under an ACCESS EXCLUSIVE lock (alter column api_calls.total_tokens: integer -> bigint): reads and writes wait until it ends',
    );
    expect(made.bigintRefused!.stderr).toContain('MySQL/MariaDB: copies table api_calls (alter column api_calls.total_tokens: int -> bigint)');
    expect(made.bigint!.code, made.bigint!.stderr).toBe(0);
    expect(made.bigint!.stdout).toContain('! blocks writes: PostgreSQL: rewrites table api_calls');
  });

  it('with config online: "pt-osc", lets MySQL copies through (they will run through the tool); a PostgreSQL rewrite still needs the flag', async () => {
    const other = checkout(tmp());
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ online: 'pt-osc' }));
    other.edit('agents.ts', ...WIDEN);
    const widened = await other.run(['make', 'widen_username'], { cwd });
    expect(widened.code, widened.stderr).toBe(0);
    expect(widened.stdout).not.toContain('! blocks writes');
    // Its down (varchar(100) -> varchar(50)) is listed, not gated: the PostgreSQL rewrite; MySQL's copy would run through the tool.
    expect(widened.stdout).toContain('! the rollback of this change blocks writes: PostgreSQL: rewrites table users');
    expect(widened.stdout).not.toContain('blocks writes: MySQL/MariaDB');
    other.edit('chat.ts', ...BIGINT);
    const bigint = await other.run(['make', 'total_tokens_bigint', '--schema', 'chat'], { cwd });
    expect(bigint.code).toBe(2);
    expect(bigint.stderr).toContain('PostgreSQL: rewrites table api_calls');
    expect(bigint.stderr).not.toContain('MySQL/MariaDB: copies');
  }, 120_000);
});

/** 20 users, each with a session, a run and three files (file_hash set). */
const ROWS = [
  "INSERT INTO users (username, email, password_hash) VALUES " + Array.from({ length: 20 }, (_, i) => `('user${i}', 'user${i}@example.com', 'h')`).join(', '),
  "INSERT INTO sessions (user_id, title) SELECT id, 'a session' FROM users",
  "INSERT INTO runs (session_id, user_id, task) SELECT id, user_id, 'a task' FROM sessions",
  ...[1, 2, 3].map((i) => `INSERT INTO files (run_id, name, path, size, file_hash) SELECT id, 'f${i}', '/f${i}', ${i}, 'hash${i}' FROM runs`),
];

async function at(engine: 'postgres' | 'mysql', to: string): Promise<FreshDatabase> {
  const db = await (engine === 'postgres' ? freshPostgres('online') : freshMysql('online'));
  dbs.push(db);
  const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--to', to, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  for (const s of ROWS) await adminExec(db.url, s);
  return db;
}

const clean = async (url: string, extra: string[] = []) => {
  const d = await co.run(['diff', '--url', url, '--schema', 'agents', ...extra]);
  expect(d.code, d.stdout + d.stderr).toBe(0);
};

const count = async (url: string, table: string) => Number((await adminQuery<{ n: number | string }>(url, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

describe.each(['postgres', 'mysql'] as const)('%s: the generated migrations on tables with rows', (engine) => {
  it('apply (the foreign key, NOT NULL, the wider VARCHAR), diff is clean, and rollback brings the base back', async () => {
    const db = await at(engine, base);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(fk);
    await clean(db.url);
    expect(await count(db.url, 'files')).toBe(60);
    if (engine === 'postgres') {
      // Validated, and the temporary NOT NULL check gone.
      const cons = await adminQuery<{ name: string; valid: boolean }>(db.url, "SELECT conname AS name, convalidated AS valid FROM pg_constraint WHERE conrelid = 'files'::regclass AND contype IN ('f', 'c') ORDER BY conname");
      expect(cons).toEqual([
        { name: 'files_run_id_fkey', valid: true },
        { name: 'files_session_id_fkey', valid: true },
      ]);
    }
    // The foreign key holds.
    const bogus = engine === 'postgres' ? "'00000000-0000-0000-0000-000000000000'" : '999999';
    await expect(adminExec(db.url, `UPDATE files SET session_id = ${bogus} WHERE name = 'f1'`)).rejects.toThrow(/foreign key/i);
    const back = await co.run(['rollback', '--url', db.url, '--schema', 'agents', '--steps', '3', '--yes']);
    expect(back.code, back.stderr).toBe(0);
    await clean(db.url, ['--at', base]);
  }, 180_000);
});

describe('postgres: a run stopped between the transactions of an online change is finished by the next plain run', () => {
  const progress = (db: FreshDatabase, name: string, step: number) =>
    adminExec(db.url, `INSERT INTO dbkit_checksums (name, checksum, step, direction, owner) VALUES ('${name}', 'started', ${step}, 'up', 'a killed run')`);

  it('the foreign key added NOT VALID, its VALIDATE not done: validated, then the rest', async () => {
    const db = await at('postgres', base);
    const statements = parseSqlFile(sqlFile(fk, 'postgres.up.sql'));
    expect(statements).toHaveLength(3);
    expect(statements[1]).toMatch(/ NOT VALID$/);
    expect(statements[2]).toMatch(/ VALIDATE CONSTRAINT "files_session_id_fkey"$/);
    // What a kill after the second statement's transaction committed leaves: its progress row at the third.
    await adminExec(db.url, `${statements[0]}; ${statements[1]}`);
    await progress(db, fk, 2);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${fk}: resuming it at statement 2 of 3, where an earlier run stopped`);
    expect(r.stderr).toContain(`${fk}: the catalog shows what statements 2-3 do; running statement 3 (VALIDATE CONSTRAINT) again`);
    expect(await adminQuery(db.url, "SELECT convalidated AS valid FROM pg_constraint WHERE conname = 'files_session_id_fkey'")).toEqual([{ valid: true }]);
    await clean(db.url);
    expect((await co.run(['status', '--check', '--url', db.url, '--schema', 'agents'])).code).toBe(0);
  }, 180_000);

  it.each([
    ['at the VALIDATE of its check (the check in, NOT VALID)', 1, 2],
    ['at the DROP of its check (the column already NOT NULL)', 3, 3],
  ])('NOT NULL stopped %s: finished, the check gone', async (_what, step, done) => {
    const db = await at('postgres', fk);
    const statements = parseSqlFile(sqlFile(notNull, 'postgres.up.sql'));
    expect(statements).toHaveLength(4);
    await adminExec(db.url, statements.slice(0, done).join(`;\n`));
    await progress(db, notNull, step);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${notNull}: resuming it at statement ${step + 1} of 4, where an earlier run stopped`);
    expect(await adminQuery(db.url, "SELECT conname FROM pg_constraint WHERE conname LIKE 'dbkit_nn_%'")).toEqual([]);
    expect(await adminQuery(db.url, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'files' AND column_name = 'file_hash'")).toEqual([{ is_nullable: 'NO' }]);
    await clean(db.url);
  }, 180_000);
});

describe('mysql: a foreign key stopped at its ALTER', () => {
  it('the re-run starts again at SET foreign_key_checks = 0, and the key is there and holds', async () => {
    const db = await at('mysql', base);
    const statements = parseSqlFile(sqlFile(fk, 'mysql.up.sql'));
    expect(statements.slice(1)).toEqual([
      'SET foreign_key_checks = 0',
      'ALTER TABLE `files` ADD FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE SET NULL, ALGORITHM=INPLACE, LOCK=NONE',
      'SET foreign_key_checks = 1',
    ]);
    await adminExec(db.url, statements[0]!);
    await adminExec(db.url, `INSERT INTO dbkit_checksums (name, checksum, step, direction, owner) VALUES ('${fk}', 'started', 2, 'up', 'a killed run')`);
    const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--to', fk]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${fk}: resuming it at statement 2 of 4, where an earlier run stopped`);
    await expect(adminExec(db.url, "UPDATE files SET session_id = 999999 WHERE name = 'f1'")).rejects.toThrow(/foreign key/i);
  }, 180_000);
});

describe('statement and lock bounds', () => {
  /** A checkout with one hand-written migration after the base: `sql` per dialect. */
  async function handWritten(sql: Record<'postgres' | 'mysql', string>): Promise<Checkout> {
    const c = checkout(tmp());
    expect((await c.run(['make', '--empty', 'slow'])).code).toBe(0);
    const dir = path.join(c.root, 'migrations', 'agents', c.migrations('agents').at(-1)!);
    for (const d of ['postgres', 'mysql'] as const) {
      for (const direction of ['up', 'down']) {
        const file = path.join(dir, `${d}.${direction}.sql`);
        fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}${direction === 'up' ? sql[d] : 'SELECT 1'};\n`);
      }
    }
    expect((await c.run(['hash'])).code).toBe(0);
    return c;
  }

  it.each(['postgres', 'mysql'] as const)('%s: a statement past --statement-timeout is stopped, saying so; 0 lifts the bound', async (engine) => {
    const c = await handWritten({ postgres: 'SELECT pg_sleep(3)', mysql: 'SELECT SLEEP(3)' });
    const db = await (engine === 'postgres' ? freshPostgres('online') : freshMysql('online'));
    dbs.push(db);
    const r = await c.run(['migrate', '--url', db.url, '--schema', 'agents', '--statement-timeout', '0.5']);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stderr).toContain("it ran longer than dbkit's statement bound of 0.5s, holding its locks all along; if it must run longer, pass --statement-timeout SECONDS");
    const again = await c.run(['migrate', '--url', db.url, '--schema', 'agents', '--statement-timeout', '0']);
    expect(again.code, again.stderr).toBe(0);
  }, 180_000);

  it('mysql: a statement waiting for a metadata lock another session holds is tried again, saying so, then applied', async () => {
    const db = await at('mysql', base);
    const holder = await openAdmin(db.url);
    try {
      await holder.query('START TRANSACTION');
      await holder.query('SELECT COUNT(*) FROM files');
      const run = startDbkit(['migrate', '--url', db.url, '--schema', 'agents', '--to', fk], { env: { DBKIT_ROOT: co.root } });
      await run.waitFor(/waited 1s for a lock held by another session \(lock_wait_timeout\); trying again in 0\.5s \(attempt 2 of 10\)/);
      await holder.query('COMMIT');
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${fk}: statement 1 waited 1s for a lock held by another session (lock_wait_timeout)`);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.close();
    }
  }, 180_000);

  it('mysql: a statement that runs out of attempts waiting for a lock is exit 4 (a lock not acquired in time), saying where the run stopped', async () => {
    const db = await at('mysql', base);
    const holder = await openAdmin(db.url);
    try {
      await holder.query('START TRANSACTION');
      await holder.query('SELECT COUNT(*) FROM files');
      const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--to', fk, '--ddl-lock-attempts', '2']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/dbkit: migration \S+ stopped at statement 1 of \d+.*\(tried 2 times, each waiting 1s \(lock_wait_timeout\)/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.close();
    }
    // Once the other session is gone, a plain re-run completes.
    const again = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--to', fk]);
    expect(again.code, again.stderr).toBe(0);
  }, 180_000);
});

const ptOsc = findPtOsc();

describe('mysql: the copying change through pt-online-schema-change', () => {
  it.skipIf(!ptOsc)(
    `--online pt-osc runs it through the tool; diff is clean, rows and foreign keys kept${ptOsc ? '' : ' (not run: pt-online-schema-change is not on PATH; .ci/run installs percona-toolkit)'}`,
    async () => {
      const db = await at('mysql', notNull);
      const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--online', 'pt-osc']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${widen}: statement 1 copies its table: running it through pt-online-schema-change`);
      expect(r.stderr).toMatch(/pt-online-schema-change: Successfully altered `[^`]+`\.`users`/);
      // The password went through an option file: it is nowhere in what was printed.
      expect(r.stderr).not.toContain(new URL(db.url).password);
      await clean(db.url);
      expect(await count(db.url, 'users')).toBe(20);
      expect(await count(db.url, 'sessions')).toBe(20);
      // Tables that reference users were pointed at the new table.
      await expect(adminExec(db.url, "INSERT INTO sessions (user_id, title) VALUES (999999, 'x')")).rejects.toThrow(/foreign key/i);
      // Nothing of the tool's is left (its _users_new, _users_old).
      expect(await count(db.url, "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_users\\_%'")).toBe(0);
    },
    180_000,
  );

  it.skipIf(!ptOsc)(
    `a tool left running by a killed migrate is found, not raced: exit 4 naming it and how to stop it, its table and triggers kept; once it is gone the next run completes${ptOsc ? '' : ' (not run: pt-online-schema-change is not on PATH)'}`,
    async () => {
      const db = await at('mysql', notNull);
      // Enough rows that the tool is still copying when its new table is held (below).
      await adminExec(db.url, "INSERT INTO users (username, email, password_hash) SELECT CONCAT('bulk', seq), CONCAT('bulk', seq, '@example.com'), 'h' FROM seq_1_to_200000");
      const admin = await openAdmin(db.url);
      const holder = await openAdmin(db.url);
      let toolPid: number | null = null;
      try {
        const run = startDbkit(['migrate', '--url', db.url, '--schema', 'agents', '--online', 'pt-osc'], { env: { DBKIT_ROOT: co.root } });
        // Its triggers come after its new table is made and altered, just before it copies.
        const copying = async () => (await count(db.url, "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'")) === 3;
        for (let i = 0; !(await copying()); i++) {
          if (i > 3000) throw new Error('the tool never made its triggers');
          await new Promise((r) => setTimeout(r, 20));
        }
        // Hold the tool still: its next statement on _users_new waits for this lock (the tool's lock_wait_timeout is 60 s).
        await holder.query('LOCK TABLES `_users_new` WRITE');
        const blocked = async () =>
          (
            await admin.query<{ ID: number }>(
              "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE '%`\\_users\\_new`%' AND STATE LIKE 'Waiting for table metadata lock%'",
            )
          )[0]?.ID;
        for (let i = 0; !(await blocked()); i++) {
          if (i > 600) throw new Error('the tool never waited on _users_new');
          await new Promise((r) => setTimeout(r, 100));
        }
        run.child.kill('SIGKILL');
        await run.done;

        const raced = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--online', 'pt-osc', '--lock-timeout', '1']);
        expect(raced.code, raced.stderr).toBe(4);
        expect(raced.stderr).toMatch(/waiting up to 1s for a run of pt-online-schema-change still at work on the server \(left by a stopped dbkit run, or someone else's\)/);
        const line = raced.stderr.split('\n').find((l) => l.startsWith('dbkit:'))!;
        expect(line).toMatch(/a run of pt-online-schema-change is still at work on the server after 1s \(--lock-timeout\): pt-online-schema-change \(process \d+ on the machine that runs it\), on MySQL connection \d+ as \S+, is altering table users: /);
        expect(line).toMatch(/nothing was run or dropped\. Let it finish and run dbkit migrate again, or stop the tool with kill -INT \d+ on the machine that runs it \(it then drops its triggers and _users_new\), or end its connection with KILL \d+/);
        toolPid = Number(/kill -INT (\d+)/.exec(line)![1]);
        expect(raced.stderr).not.toContain('dropping');
        // Nothing of the tool's was dropped under it.
        expect(await count(db.url, "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_users_new'")).toBe(1);
        expect(await count(db.url, "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'")).toBe(3);

        // Let it go: the next run waits for it to end (it finishes, or dies on its closed output), then completes.
        await holder.query('UNLOCK TABLES');
        const r = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--online', 'pt-osc']);
        expect(r.stderr).toMatch(/waiting up to 60s for a run of pt-online-schema-change still at work on the server|statement 1 had taken effect before that run stopped|dropping .*left by dbkit's stopped run/);
        expect(r.code, r.stderr).toBe(0);
        await clean(db.url);
        expect(await count(db.url, 'users')).toBe(200_020);
        expect(await count(db.url, "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE '\\_users\\_%'")).toBe(0);
        expect(await count(db.url, "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'pt\\_osc\\_%'")).toBe(0);
      } finally {
        await holder.query('UNLOCK TABLES').catch(() => undefined);
        await holder.close();
        await admin.close();
        // The orphaned tool is this test's to stop, should it still run.
        if (toolPid !== null) {
          try {
            process.kill(toolPid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
    },
    300_000,
  );
});
