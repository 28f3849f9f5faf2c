/**
 * PostgreSQL's bounds on a migration's statements (src/migrate/apply/limits.ts):
 * `lock_timeout` (how long a statement queues for its table's lock, and so
 * how long every query queued behind it waits) and `statement_timeout`.
 * In a transaction they are SET LOCAL (gone at its end); statement by
 * statement, session settings, reset after.
 */
import type { EngineBounds } from '../../src/port/bounds.js';

const scope = (inTransaction: boolean): string => (inTransaction ? 'SET LOCAL' : 'SET');

/** Statements that let reads and writes go on however long they run. */
const ONLINE = /^(CREATE (UNIQUE )?INDEX CONCURRENTLY |DROP INDEX CONCURRENTLY |ALTER TABLE .+ VALIDATE CONSTRAINT )/s;

export const postgresBounds: EngineBounds = {
  lockSetting: 'lock_timeout',
  lockWaitMs: (ms) => ms,
  setLock: (ms, tx) => [{ sql: `${scope(tx)} lock_timeout = '${Math.round(ms)}ms'` }],
  setStatement: (ms, tx) => [{ sql: `${scope(tx)} statement_timeout = '${Math.round(ms)}ms'` }],
  reset: () => [{ sql: 'RESET lock_timeout' }, { sql: 'RESET statement_timeout' }],
  unknownSetting: (err) => code(err) === '42704',
  runsOnline: (sql) => ONLINE.test(sql),
  // SHARE UPDATE EXCLUSIVE conflicts with no reader's or writer's lock, so a queued request holds nobody up; the waits
  // for other transactions (a concurrent build's, before it builds and before its index turns valid) lock nothing.
  waitsOnline: (sql) => ONLINE.test(sql),
  waitedFor,
  lockTimedOut: (err) => code(err) === '55P03',
  // 57014 is also a cancel on request (Ctrl-C): only the timeout says so.
  statementTimedOut: (err) => code(err) === '57014' && /statement timeout/i.test((err as Error).message ?? ''),
};

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const BUILD_ON = new RegExp(String.raw`^CREATE (?:UNIQUE )?INDEX CONCURRENTLY (?:IF NOT EXISTS )?${IDENT} ON (?:ONLY )?((?:${IDENT}\.)?${IDENT})`, 's');
const VALIDATE_ON = new RegExp(String.raw`^ALTER TABLE (?:ONLY )?((?:${IDENT}\.)?${IDENT}) VALIDATE CONSTRAINT `, 's');

/**
 * A concurrent build waits for its table's SHARE UPDATE EXCLUSIVE lock (held
 * by another schema change, VACUUM, ANALYZE or index build on the table),
 * then makes its index (not yet valid) and waits, twice, for the
 * transactions that write the table, then for every transaction whose
 * snapshot is older than the build, anywhere in the database. VALIDATE
 * CONSTRAINT waits for the lock alone; DROP INDEX CONCURRENTLY for the lock,
 * then for the transactions that use the table.
 */
function waitedFor(sql: string, indexMade: boolean): string {
  const build = BUILD_ON.exec(sql);
  if (build) {
    return indexMade
      ? 'other transactions to end (its index was made, not yet valid: a concurrent build waits for the transactions that write the table, then for every transaction or query older than the build in the whole database)'
      : `a lock on table ${build[1]} that another session holds (a schema change, VACUUM, ANALYZE or index build on it)`;
  }
  const validate = VALIDATE_ON.exec(sql);
  if (validate) return `a lock on table ${validate[1]} (or the table its foreign key references) that another session holds`;
  if (/^DROP INDEX CONCURRENTLY /.test(sql)) return 'a lock on its table that another session holds, or the transactions that use the table to end';
  return 'a lock another session holds on the table';
}

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}
