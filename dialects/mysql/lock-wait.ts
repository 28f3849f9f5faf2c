/**
 * No wait without a bound on MySQL/MariaDB: every dbkit session waits for a
 * table's metadata lock (LOCK TABLES, an open ALTER) or a row lock at most
 * --lock-timeout seconds (at least 1, the servers' minimum), instead of the
 * servers' defaults (lock_wait_timeout: a year; innodb_lock_wait_timeout:
 * 50 s). A wait that runs out fails with ER_LOCK_WAIT_TIMEOUT (1205), which
 * dbkit reports as exit 4 naming the statement's table.
 */
import type mysql from 'mysql2/promise';
import type { LockWaits } from '../../src/port/lock-wait.js';
import { ident } from './quote.js';

/** Whole seconds, at least 1. */
export const lockWaitSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export const lockWaitSql = (ms: number): string => {
  const s = lockWaitSeconds(ms);
  return `SET SESSION lock_wait_timeout = ${s}, innodb_lock_wait_timeout = ${s}`;
};

/** On a promise connection (mysql2/promise). */
export async function boundLockWaits(conn: mysql.Connection, ms: number): Promise<void> {
  await conn.query(lockWaitSql(ms));
}

interface CallbackConnection {
  query(sql: string, cb: (err: unknown) => void): unknown;
}
type AfterCreate = (conn: CallbackConnection, done: (err: unknown, conn: unknown) => void) => void;

/** A Knex pool hook that bounds the lock waits of each new connection, then runs `next`. */
export const pooledLockWaits =
  (ms: number, next: AfterCreate): AfterCreate =>
  (conn, done) =>
    conn.query(lockWaitSql(ms), (err) => (err ? done(err, conn) : next(conn, done)));

/**
 * Tables of a database that some session has in use or locked (LOCK TABLES,
 * a statement running on it): what a lock wait that ran out most likely
 * waited for. The server names no holder (performance_schema's
 * metadata_locks is off by default): only the tables.
 */
export const TABLES_IN_USE_SQL = (database: string): string => `SHOW OPEN TABLES FROM ${ident(database)} WHERE In_use > 0`;

/** Of `tables`, those in use or locked by some session now (see TABLES_IN_USE_SQL). */
export async function mysqlTablesInUse(sql: { query<T>(q: string): Promise<T[]> }, database: string, tables: readonly string[]): Promise<string[]> {
  const rows = await sql.query<{ Table: string }>(TABLES_IN_USE_SQL(database));
  const used = new Set(rows.map((r) => r.Table));
  return tables.filter((t) => used.has(t));
}

/** MySQL's lock waits: bounded when the session opens; the tables in use, not who holds them. */
export const mysqlLockWaits: LockWaits = {
  held: async (sql, namespace, tables) => ({ tables: await mysqlTablesInUse(sql, namespace, tables), holders: [] }),
  shown: (_namespace, table) => table,
};
