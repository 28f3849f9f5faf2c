/**
 * Ctrl-C (SIGINT) and SIGTERM during `dbkit migrate` (issue 5, acceptance 4):
 * the migration running at that moment is held up on purpose (another
 * session holds a lock on the table it references), the signal cancels its
 * statement, the run exits 130 saying where it stopped, the migration lock
 * is free at once, and a plain re-run completes the schema.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { diff } from '../../src/diff/differ.js';
import { normal } from '../support/normal.js';
import { introspected } from '../support/catalog.js';
import { dbkit, dbkitSignalled } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';

const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

const TABLES = {
  postgres: (table: string) => `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '${table}'`,
  mysql: (table: string) => `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '${table}'`,
};

const PG_HOLD = 'BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE';
// MariaDB lets CREATE TABLE reference a locked table: hold up the migration's own bookkeeping row instead.
const MYSQL_HOLD = 'BEGIN; SELECT * FROM dbkit_checksums FOR UPDATE';

/** dbkit's migration is waiting on the holder's lock (not just started: the signal must find the statement to cancel). */
const WAITING = {
  postgres: "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'dbkit' AND wait_event_type = 'Lock'",
  mysql: "SELECT count(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND command = 'Query' AND info LIKE 'insert into `dbkit_checksums`%'",
};

describe.each([
  ['postgres', freshPostgres, 'SIGINT', PG_HOLD],
  ['postgres', freshPostgres, 'SIGTERM', PG_HOLD],
  ['mysql', freshMysql, 'SIGINT', MYSQL_HOLD],
  ['mysql', freshMysql, 'SIGTERM', MYSQL_HOLD],
] as const)('%s', (engine, fresh, signal, hold) => {
  it(`${signal} while a migration waits cancels it, exits 130, frees the lock, and a re-run completes`, async () => {
    const db = await fresh('migrate_signal');
    dbs.push(db);
    const url = ['--url', db.url, '--schema', 'agents'];
    expect((await dbkit(['migrate', ...url, '--to', 'create_users', '--quiet'])).code).toBe(0);

    // The next migration (sessions) waits on this session's lock: on users (its foreign key's table) on
    // PostgreSQL, on the checksum table's rows on MariaDB.
    const holder = await openAdmin(db.url);
    try {
      for (const sql of hold.split('; ')) await holder.query(sql);
      const waiting = async () => Number((await adminQuery<{ n: unknown }>(db.url, WAITING[engine]))[0]!.n) > 0;
      const run = await dbkitSignalled(['migrate', ...url], signal, waiting, 30_000);
      expect(run.signalled).toBe(true);
      expect(run.code, run.stderr).toBe(130);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('dbkit:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^dbkit: migrate interrupted by ${signal}: nothing was applied; migration 20250101000200_create_sessions stopped at statement 1 of \\d+; (it was rolled back|none of its statements had taken effect).*run dbkit migrate again`));
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // The migration lock is free at once (a lock timeout of 1 s would fail otherwise)...
      const status = await dbkit(['migrate', ...url, '--dry-run', '--lock-timeout', '1']);
      expect(status.code).toBe(0);
    } finally {
      await holder.close();
    }
    // ...nothing of the interrupted migration is left, and a plain re-run completes.
    expect(Number((await adminQuery<{ n: unknown }>(db.url, TABLES[engine]('sessions')))[0]!.n)).toBe(0);
    const rerun = await dbkit(['migrate', ...url, '--lock-timeout', '10']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('applied 6 migration(s)');
    expect(diff(await introspected(engine, db.url), normal(expectedVariant('agents', engine)))).toEqual([]);
  }, 60_000);
});
