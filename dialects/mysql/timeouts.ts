/**
 * MySQL's and MariaDB's bounds on a migration's statements
 * (src/migrate/apply/limits.ts), session settings reset after the migration:
 * `lock_wait_timeout`, whole seconds (at least 1), how long a statement
 * waits for its table's metadata lock, and so how long every query queued
 * behind it waits (the server's default is a year); `max_statement_time`
 * (MariaDB, seconds; MySQL 8 has no bound for DDL: its max_execution_time
 * covers SELECT only, so the setting is skipped there). ER_LOCK_WAIT_TIMEOUT
 * means the statement did nothing: it is tried again.
 */
import type { EngineBounds } from '../../src/port/bounds.js';

/** Whole seconds, at least 1 (MySQL's lower bound). */
const lockSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** `ALGORITHM=INPLACE, LOCK=NONE`: the server keeps writes going however long it runs. */
const ONLINE = /, ALGORITHM=INPLACE, LOCK=NONE$/;

export const mysqlBounds: EngineBounds = {
  lockSetting: 'lock_wait_timeout',
  lockWaitMs: (ms) => lockSeconds(ms) * 1000,
  setLock: (ms) => [{ sql: `SET SESSION lock_wait_timeout = ${lockSeconds(ms)}` }],
  // MySQL 8 does not know the variable (ER_UNKNOWN_SYSTEM_VARIABLE): skipped.
  setStatement: (ms) => [{ sql: `SET SESSION max_statement_time = ${(ms / 1000).toFixed(3)}`, optional: true }],
  reset: () => [
    { sql: 'SET SESSION lock_wait_timeout = DEFAULT' },
    { sql: 'SET SESSION max_statement_time = DEFAULT', optional: true },
    // A migration that stopped between its SET foreign_key_checks = 0 and = 1 must not leave the pooled session without checks.
    { sql: 'SET SESSION foreign_key_checks = DEFAULT' },
  ],
  unknownSetting: (err) => errno(err) === 1193,
  runsOnline: (sql) => ONLINE.test(sql),
  // ALGORITHM=INPLACE still takes an exclusive metadata lock at its start and end: every query on the table queues behind the request.
  waitsOnline: () => false,
  waitedFor: () => 'a lock another session holds on the table',
  lockTimedOut: (err) => errno(err) === 1205,
  statementTimedOut: (err) => errno(err) === 1969,
};

function errno(err: unknown): number | undefined {
  return (err as { errno?: number } | null)?.errno;
}
