/**
 * No wait without a bound on dbkit's bookkeeping: another session holding a
 * lock on dbkit_migrations (LOCK TABLE in an open transaction, LOCK TABLES
 * ... WRITE, an ALTER waiting on it) made status, diff and migrate hang.
 * Every read and write of the bookkeeping waits for a lock at most
 * --lock-timeout, then stops with LockError (exit 4) naming the tables and,
 * on PostgreSQL, the sessions holding them:
 * - PostgreSQL: in a transaction with SET LOCAL lock_timeout
 *   (dialects/postgres/lock-wait.ts);
 * - MySQL/MariaDB: every dbkit session has lock_wait_timeout and
 *   innodb_lock_wait_timeout set when it opens (dialects/mysql/lock-wait.ts);
 * - PGlite: one process holds the database (its lock file): nobody else can lock.
 */
import type { Knex } from 'knex';
import { LockError } from '../../shared/errors.js';
import type { Connection, Session } from '../../db/connect.js';
import { isLockWait, serverMessage } from '../../connection/driver-errors.js';
import type { Sql } from '../../db/sql.js';
import { engineOf } from '../../engines/index.js';

const seconds = (ms: number): string => `${ms / 1000}s`;

/** Qualified as the engine names it: `public.dbkit_migrations`, or the table alone on MySQL. */
const shown = (session: Session, table: string): string => engineOf(session).dialect.tableRef(session.namespace, table);

/** The LockError for a lock wait that ran out on `tables`, naming who holds them where the server says. */
export async function lockWaitError(session: Session, tables: readonly string[], doing: string, err: unknown): Promise<LockError> {
  const waits = engineOf(session).migration.lockWaits;
  const holders = waits ? (await waits.held(session.sql, session.namespace, tables, 'writer-or-reader').catch(() => ({ holders: [] }))).holders : [];
  const on = tables.map((t) => shown(session, t)).join(', ');
  const by = holders.length ? holders.join('; ') : 'another session';
  return new LockError(
    `gave up after ${seconds(session.config.lockTimeoutMs)} (--lock-timeout) waiting for a lock on ${on}, held by ${by}: ${doing} (${serverMessage(err)})`,
    { cause: err },
  );
}

/** The statement that bounds a transaction's lock waits on this session's server (none: bounded when opened, or no other session). */
const bound = (session: Session): ((ms: number) => string) | undefined => engineOf(session).migration.lockWaits?.bound;

/**
 * Read dbkit's bookkeeping with every lock wait bounded: on PostgreSQL in a
 * transaction of its own with SET LOCAL lock_timeout.
 */
export async function boundedRead<T>(session: Session, tables: readonly string[], doing: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  try {
    const limit = bound(session);
    if (!limit || !session.sql.transaction) return await fn(session.sql);
    return await session.sql.transaction(async (sql) => {
      await sql.query(limit(session.config.lockTimeoutMs));
      return fn(sql);
    });
  } catch (err) {
    throw isLockWait(err) ? await lockWaitError(session, tables, `${doing}; nothing was changed`, err) : err;
  }
}

/**
 * Write dbkit's bookkeeping in one transaction with every lock wait bounded
 * (PostgreSQL: SET LOCAL lock_timeout); a wait that runs out rolls it back.
 */
export async function boundedWrite<T>(conn: Connection, tables: readonly string[], doing: string, fn: (db: Knex.Transaction) => Promise<T>): Promise<T> {
  try {
    return await conn.knex.transaction(async (trx) => {
      const limit = bound(conn);
      if (limit) await trx.raw(limit(conn.config.lockTimeoutMs));
      return fn(trx);
    });
  } catch (err) {
    throw isLockWait(err) ? await lockWaitError(conn, tables, `${doing}; nothing of it was written`, err) : err;
  }
}
