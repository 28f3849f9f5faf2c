/**
 * Hostile cases of issue 20 (part A), through the real binary: each failed on
 * 312fe19 (wrong exit code, a hang, a leak or a wrong action) and each run here
 * is bounded (a run killed after its bound fails the test).
 * - dbkit's bookkeeping is trusted by its structure and marker, never by its
 *   name: a view or a foreign table under a dbkit name is refused (exit 5) by
 *   every command that reads or writes bookkeeping, and nothing is changed
 *   (catalog and rows compared before and after);
 * - check-indexes keeps the definition's index and advises dropping the hand-made duplicate;
 * - a PGlite lock file whose pid is now another process is taken over; a directory there is exit 3;
 * - a lock on dbkit_migrations held by another session ends status, diff and migrate with exit 4 in --lock-timeout;
 * - docs --out /proc/x fails (exit 8) instead of spinning; --out under a file is exit 2;
 * - a driver error says the server's words (statement_timeout), also in --json;
 * - a config file that does not parse shows line and column, never its text (a password);
 * - exit codes: dbkit.sum a directory (2), unlock on a read-only database (6),
 *   check --url without CREATE (7), a config lockTimeout of -5 named as the config key (2).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkitKilledAfter, json, repoRoot, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPglite, freshPostgres, pgAdminUrl, uniqueName, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-hostile2-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A run that may not take longer than `ms` (a hang fails the test instead of stalling it). */
async function bounded(args: string[], ms = 45_000, opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const r = await dbkitKilledAfter(args, ms, opts);
  expect(r.killed, `dbkit ${args[0]} still running after ${ms / 1000}s: ${r.stderr}`).toBe(false);
  return r;
}

/** The one error line of a failed run (no stack trace). */
const errorLine = (r: CliResult): string => {
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('dbkit: '));
  expect(lines.length, r.stderr).toBeGreaterThan(0);
  return lines[lines.length - 1]!;
};

async function fresh(kind: 'pg' | 'my', prefix: string, migrate = true): Promise<FreshDatabase> {
  const db = kind === 'pg' ? await freshPostgres(prefix) : await freshMysql(prefix);
  dbs.push(db);
  if (migrate) expect((await bounded(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
  return db;
}

/** Every relation of the namespace with its kind, columns, types and comment, and the rows of `tables`. */
async function snapshot(url: string, tables: string[]): Promise<string> {
  const my = url.startsWith('mysql');
  const catalog = await adminQuery(
    url,
    my
      ? `SELECT t.TABLE_NAME AS t, t.TABLE_TYPE AS k, t.TABLE_COMMENT AS c, GROUP_CONCAT(CONCAT(col.COLUMN_NAME, ' ', col.COLUMN_TYPE) ORDER BY col.ORDINAL_POSITION) AS cols
         FROM information_schema.TABLES t LEFT JOIN information_schema.COLUMNS col ON col.TABLE_SCHEMA = t.TABLE_SCHEMA AND col.TABLE_NAME = t.TABLE_NAME
         WHERE t.TABLE_SCHEMA = DATABASE() GROUP BY t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_COMMENT ORDER BY 1`
      : `SELECT c.relname AS t, c.relkind::text AS k, obj_description(c.oid, 'pg_class') AS c,
           string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum) AS cols
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'public' GROUP BY c.oid, c.relname, c.relkind ORDER BY 1`,
  );
  const rows = [];
  for (const t of tables) rows.push(await adminQuery(url, `SELECT * FROM ${my ? `\`${t}\`` : `"${t}"`} ORDER BY 1`));
  return JSON.stringify({ catalog, rows });
}

describe('a foreign object under a bookkeeping name is refused, and nothing is changed', () => {
  const commands: [string, string[]][] = [
    ['status', ['status']],
    ['diff', ['diff']],
    ['check-indexes', ['check-indexes']],
    ['migrate', ['migrate']],
    ['migrate --dry-run', ['migrate', '--dry-run']],
    ['migrate --accept-changed (the advice a missing migration gets)', ['migrate', '--accept-changed', 'payroll-2024']],
    ['rollback', ['rollback', '--yes']],
    ['unlock', ['unlock']],
  ];

  it.concurrent.each([
    ['pg', 'CREATE TABLE audit_log (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz)'],
    ['my', 'CREATE TABLE audit_log (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255), batch int, migration_time timestamp NULL)'],
  ] as const)('%s: an updatable VIEW named dbkit_migrations over another table', async (kind, create) => {
    const db = await fresh(kind, 'h2_view');
    await adminQuery(db.url, 'DROP TABLE dbkit_migrations');
    await adminQuery(db.url, create);
    await adminQuery(db.url, "INSERT INTO audit_log (name, batch) VALUES ('payroll-2024', 1), ('payroll-2025', 1)");
    await adminQuery(db.url, 'CREATE VIEW dbkit_migrations AS SELECT * FROM audit_log');
    const before = await snapshot(db.url, ['audit_log', 'dbkit_checksums', 'dbkit_migrations_lock']);
    for (const [what, args] of commands) {
      const r = await bounded([...args, '--url', db.url]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(5);
      expect(errorLine(r), what).toMatch(/^dbkit: refusing to use dbkit's bookkeeping: \S*dbkit_migrations is a view, not a table\. dbkit did not create it/);
    }
    const asJson = await bounded(['status', '--json', '--url', db.url]);
    expect(json<{ error: { exitCode: number; message: string } }>(asJson).error).toMatchObject({ exitCode: 5, message: expect.stringContaining('is a view') });
    expect(await snapshot(db.url, ['audit_log', 'dbkit_checksums', 'dbkit_migrations_lock'])).toBe(before);
  }, 300_000);

  it.concurrent('a table of another shape named dbkit_checksums, on a database dbkit never migrated', async () => {
    const db = await fresh('pg', 'h2_sums', false);
    await adminExec(db.url, "CREATE TABLE dbkit_checksums (id int PRIMARY KEY, note text); INSERT INTO dbkit_checksums VALUES (1, 'keep me')");
    const before = await snapshot(db.url, ['dbkit_checksums']);
    for (const [what, args] of commands) {
      const r = await bounded([...args, '--url', db.url]);
      expect(r.code, `${what}: ${r.stderr}`).toBe(5);
      expect(errorLine(r), what).toMatch(/dbkit_checksums is a table with columns id integer, note text, not dbkit's \(name, checksum, step, direction, owner, batch, applied_as\)/);
    }
    // No ALTER TABLE ... ADD, no dbkit_migrations made beside it.
    expect(await snapshot(db.url, ['dbkit_checksums'])).toBe(before);
  }, 300_000);

  it.concurrent('dbkit marks the tables it makes; an unmarked table of the right shape (an older dbkit) is marked by the next migrate', async () => {
    const db = await fresh('pg', 'h2_marker');
    const comments = async () =>
      adminQuery<{ t: string; c: string | null }>(
        db.url,
        "SELECT relname AS t, obj_description(oid, 'pg_class') AS c FROM pg_class WHERE relname LIKE 'dbkit%' AND relkind = 'r' ORDER BY 1",
      );
    expect(await comments()).toEqual(['dbkit_checksums', 'dbkit_migrations', 'dbkit_migrations_lock'].map((t) => ({ t, c: 'dbkit bookkeeping v1' })));
    await adminExec(db.url, 'COMMENT ON TABLE dbkit_migrations IS NULL; ALTER TABLE dbkit_checksums DROP COLUMN step, DROP COLUMN direction, DROP COLUMN owner, DROP COLUMN batch');
    const status = await bounded(['status', '--check', '--url', db.url]);
    expect(status.code, status.stderr).toBe(0);
    expect((await bounded(['migrate', '--url', db.url])).code).toBe(0);
    expect((await comments()).every((r) => r.c === 'dbkit bookkeeping v1')).toBe(true);
    const cols = await adminQuery<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'dbkit_checksums'");
    expect(cols[0]!.n).toBe(6);
    // Someone else's comment on a table of the right shape: not dbkit's.
    await adminExec(db.url, "COMMENT ON TABLE dbkit_migrations_lock IS 'payments ledger lock'");
    const r = await bounded(['status', '--url', db.url]);
    expect(r.code).toBe(5);
    expect(errorLine(r)).toMatch(/dbkit_migrations_lock is a table whose comment is not dbkit's marker/);
  }, 300_000);
});

describe('check-indexes keeps the definition’s index', () => {
  it('advises dropping the hand-made duplicate of idx_runs_session_id, not the definition’s own', async () => {
    const db = await fresh('pg', 'h2_idx');
    await adminQuery(db.url, 'CREATE INDEX idx_aaa_by_hand ON runs (session_id)');
    const r = await bounded(['check-indexes', '--json', '--url', db.url]);
    const doc = json<{ ok: boolean; advisories: { kind: string; index: string; message: string }[] }>(r);
    const dup = doc.advisories.filter((a) => a.kind === 'duplicate' && a.message.includes(' on runs '));
    expect(dup).toEqual([expect.objectContaining({ index: 'idx_aaa_by_hand' })]);
    expect(dup[0]!.message).toBe("Index idx_aaa_by_hand on runs (session_id) duplicates the definition's index idx_runs_session_id; drop it.");
    expect(doc.ok).toBe(true);
  });
});

describe('the PGlite lock file', () => {
  /** A process that is not dbkit, kept alive for the test. */
  function other(cmd: string, args: string[]) {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    return { pid: child.pid!, stop: () => child.kill('SIGKILL') };
  }

  it.concurrent.each([
    ['a process that is not Node.js (sleep)', () => other('sleep', ['120']), 0],
    ['a Node.js process started after the lock file was written', () => other(process.execPath, ['-e', 'setTimeout(() => {}, 120000)']), -3600],
  ] as const)('whose pid now belongs to %s is taken over', async (_what, start, ageSeconds) => {
    const db = await freshPglite('h2_lock');
    dbs.push(db);
    fs.mkdirSync(path.dirname(db.name), { recursive: true });
    const p = start();
    try {
      const lock = `${db.name}.lock`;
      fs.writeFileSync(lock, String(p.pid));
      if (ageSeconds) fs.utimesSync(lock, new Date(Date.now() + ageSeconds * 1000), new Date(Date.now() + ageSeconds * 1000));
      // Taken over at once, even without waiting.
      const r = await bounded(['status', '--url', db.url, '--lock-timeout', '0']);
      expect(r.code, r.stderr).toBe(0);
      expect(fs.existsSync(lock)).toBe(false); // released at the end of the run
    } finally {
      p.stop();
    }
  }, 120_000);

  it('a directory at the lock path is exit 3 saying so, not "in use by another dbkit process"', async () => {
    const db = await freshPglite('h2_lockdir');
    dbs.push(db);
    fs.mkdirSync(`${db.name}.lock`, { recursive: true });
    const r = await bounded(['status', '--url', db.url, '--lock-timeout', '30']);
    expect(r.code).toBe(3);
    expect(errorLine(r)).toMatch(/db\.lock is a directory, where the embedded database keeps its lock file: remove or rename it/);
    expect(fs.statSync(`${db.name}.lock`).isDirectory()).toBe(true);
  });
});

describe('a lock another session holds on dbkit_migrations', () => {
  const LOCKED = /gave up after 2s \(--lock-timeout\) waiting for a lock on .*dbkit_migrations/;

  it('PostgreSQL (LOCK TABLE ... ACCESS EXCLUSIVE in an open transaction): status, diff, migrate and rollback exit 4 naming it and its holder', async () => {
    const db = await fresh('pg', 'h2_pglock');
    const holder = new pg.Client({ connectionString: db.url, application_name: 'hostile-holder' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE dbkit_migrations IN ACCESS EXCLUSIVE MODE');
      for (const args of [['status'], ['diff'], ['migrate'], ['rollback', '--yes'], ['status', '--json']]) {
        const r = await bounded([...args, '--lock-timeout', '2', '--url', db.url]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
        expect(errorLine(r)).toMatch(LOCKED);
        expect(errorLine(r)).toMatch(/held by PostgreSQL session \d+ \(hostile-holder .*AccessExclusiveLock on dbkit_migrations\)/);
      }
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 180_000);

  it('MariaDB (LOCK TABLES ... WRITE): status, diff and migrate exit 4 naming the table', async () => {
    const db = await fresh('my', 'h2_mylock');
    const holder = await mysql.createConnection({ uri: db.url });
    try {
      await holder.query('LOCK TABLES dbkit_migrations WRITE');
      for (const args of [['status'], ['diff'], ['migrate']]) {
        const r = await bounded([...args, '--lock-timeout', '2', '--url', db.url]);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
        expect(errorLine(r)).toMatch(/gave up waiting for a lock another session holds \(--lock-timeout\): Lock wait timeout exceeded.*\(ER_LOCK_WAIT_TIMEOUT\); statement: .*dbkit_migrations/);
      }
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined);
      await holder.end();
    }
  }, 180_000);
});

describe('docs --out', () => {
  it('/proc/x fails with one line (exit 8) instead of spinning; a path under a file is exit 2', async () => {
    const proc = await bounded(['docs', '--out', '/proc/dbkit-x'], 30_000);
    expect(proc.code).toBe(8);
    expect(errorLine(proc)).toBe('dbkit: cannot create the directory /proc/dbkit-x (--out): no such file or directory (ENOENT)');
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'a-file'), 'x');
    for (const out of ['a-file', 'a-file/docs']) {
      const r = await bounded(['docs', '--out', out], 30_000, { cwd: dir });
      expect(r.code, r.stderr).toBe(2);
      expect(errorLine(r)).toMatch(/^dbkit: --out a-file.*: (it|\S+a-file) is a file, not a directory/);
    }
  });
});

describe('a driver error says what the server said', () => {
  it('statement_timeout in the URL: the server’s message (and the statement’s first line), also in --json, never the SQL alone', async () => {
    const db = await fresh('pg', 'h2_timeout');
    // Enough catalog that no catalog query finishes within 1 ms.
    await adminExec(db.url, Array.from({ length: 150 }, (_, i) => `CREATE TABLE pad_${i} (id int PRIMARY KEY, v text);`).join('\n'));
    const url = `${db.url}?statement_timeout=1`;
    // migrate and the dry run read through Knex, which put the statement before the server's words.
    for (const args of [['migrate'], ['migrate', '--json'], ['rollback', '--dry-run'], ['status'], ['diff', '--json']]) {
      const r = await bounded([...args, '--url', url]);
      expect([3, 5], r.stderr).toContain(r.code);
      const line = errorLine(r);
      expect(line).toMatch(/canceling statement due to statement timeout/);
      expect(line).not.toMatch(/^dbkit: (SELECT|select)\b| - canceling/);
      if (r.code === 5) expect(line).toMatch(/canceling statement due to statement timeout \(SQLSTATE 57014\); statement: \S+/);
      if (args.includes('--json')) expect(json<{ error: { message: string } }>(r).error.message).toBe(line.slice('dbkit: '.length));
    }
  });
});

describe('configuration and exit codes', () => {
  const PASSWORD = 'Sup3rS3cretPw';
  const pieces = (s: string) => Array.from({ length: s.length - 5 }, (_, i) => s.slice(i, i + 6));

  it('a dbkit.config.json that does not parse: line and column, never a piece of the file (a password)', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), `{\n  "url": "postgres://app@db/app",\n  "pass": ${PASSWORD}\n}\n`);
    for (const args of [['status'], ['status', '--json'], ['status', '--verbose']]) {
      const r = await bounded(args, 30_000, { cwd: dir });
      expect(r.code).toBe(2);
      expect(errorLine(r)).toBe(
        "dbkit: cannot read config file dbkit.config.json: line 3, column 11: expected a value (a string in double quotes, a number, an object, an array, true, false or null), found a letter (the file's text is not shown, it may hold a password)",
      );
      for (const piece of pieces(PASSWORD)) expect(r.stdout + r.stderr).not.toContain(piece);
    }
  });

  it('a config lockTimeout of -5 is named as the config file key, not as a --lock-timeout flag', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ lockTimeout: -5 }));
    const r = await bounded(['status'], 30_000, { cwd: dir });
    expect(r.code).toBe(2);
    expect(errorLine(r)).toBe('dbkit: config file dbkit.config.json: "lockTimeout" must be a number of seconds, 0 or more, got -5');
  });

  it('dbkit.sum that is a directory: exit 2 saying so', async () => {
    const root = tmp();
    fs.cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
    fs.rmSync(path.join(root, 'migrations', 'agents', 'dbkit.sum'));
    fs.mkdirSync(path.join(root, 'migrations', 'agents', 'dbkit.sum'));
    const db = await fresh('pg', 'h2_sum', false);
    for (const args of [['status'], ['migrate']]) {
      const r = await bounded([...args, '--url', db.url], 45_000, { env: { DBKIT_ROOT: root } });
      expect(r.code, r.stderr).toBe(2);
      expect(errorLine(r)).toMatch(/migrations\/agents\/dbkit\.sum is a directory, not a sum file/);
    }
  });

  it('unlock on a read-only PostgreSQL database: exit 6 with the read-only line, nothing written', async () => {
    const db = await fresh('pg', 'h2_ro');
    await adminExec(db.url, 'UPDATE dbkit_migrations_lock SET is_locked = 1');
    await adminQuery(pgAdminUrl(), `ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
    const r = await bounded(['unlock', '--url', db.url]);
    expect(r.code, r.stderr).toBe(6);
    expect(errorLine(r)).toMatch(/^dbkit: the server of \S+ is read-only \(.*default_transaction_read_only.*\): unlock writes, so it stopped before changing anything/);
    expect(await adminQuery(db.url, 'SELECT is_locked FROM dbkit_migrations_lock')).toEqual([{ is_locked: 1 }]);
  });

  describe('check --url as a role without CREATE on the database', () => {
    const role = uniqueName('h2_nocreate');
    beforeAll(async () => {
      await adminQuery(pgAdminUrl(), `CREATE ROLE "${role}" LOGIN PASSWORD 'nocreate-pw'`);
    });
    afterAll(async () => {
      await adminQuery(pgAdminUrl(), `DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
    });

    it('is exit 7 naming CREATE, the database and the role; nothing is created', async () => {
      const db = await fresh('pg', 'h2_check', false);
      const url = Object.assign(new URL(db.url), { username: role, password: 'nocreate-pw' }).toString();
      const r = await bounded(['check', '--schema', 'agents', '--url', url], 120_000);
      expect(r.code, r.stderr).toBe(7);
      expect(errorLine(r)).toMatch(new RegExp(`lacks CREATE on database ${db.name}: check --url replays the migrations in a scratch schema \\(dbkit_check_\\w+\\) it creates there; nothing was created`));
      expect(await adminQuery(db.url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'dbkit_check_%'")).toEqual([]);
    }, 180_000);
  });
});
