/**
 * No wait without a bound in `seed`: another session's lock on a table of
 * the schema (LOCK TABLE, LOCK TABLES, an open transaction that read or
 * wrote it, an ALTER waiting) made seed hang on PostgreSQL. Every statement
 * of seed's sessions that may wait for a table's or a row's lock waits at
 * most --lock-timeout, then ends with LockError (exit 4) naming the table
 * and, where the server can tell, the session holding it:
 * - PostgreSQL: each statement in a transaction with SET LOCAL lock_timeout
 *   (a session-level SET would stay on a server connection a transaction
 *   pooler hands to others); the holders from pg_locks;
 * - MySQL/MariaDB: every dbkit session has lock_wait_timeout and
 *   innodb_lock_wait_timeout set when it opens (dialects/mysql/lock-wait.ts);
 *   the server names no holder, only which tables are in use;
 * - PGlite: one process holds the database (its lock file): nobody else can
 *   lock a table, nothing to bound.
 * The checks of privileges before seeding, the emptiness check, --truncate,
 * the bulk load, the set-based foreign-key check after it and the take-back
 * of a failed run all go through here.
 */
import { LockError } from '../shared/errors.js';
import { isLockWait, serverMessage } from '../connection/driver-errors.js';
import type { Sql } from '../db/sql.js';
import type { Dialect } from '../schema/model.js';
import type { HeldTables as Held, LockNeed, LockWaits } from '../port/lock-wait.js';
import { dialectFor } from '../engines/sql-dialects.js';

export type { LockNeed };

const waitsOf = (dialect: Dialect): LockWaits => dialectFor(dialect).lockWaits;

/** What a statement that ran out of time was doing: on which tables, needing which lock. */
interface WaitTag {
  tables: readonly string[];
  need: LockNeed;
  doing: string;
}

const TAG = Symbol.for('dbkit.seedLockWait');

/** Record on a lock-wait error what its statement was doing (the first tag wins: the innermost). */
export function tagLockWait<E>(err: E, tables: readonly string[], need: LockNeed, doing: string): E {
  if (isLockWait(err) && err && typeof err === 'object' && !(TAG in err)) {
    Object.defineProperty(err, TAG, { value: { tables, need, doing } satisfies WaitTag, enumerable: false });
  }
  return err;
}

const tagOf = (err: unknown): WaitTag | undefined => (err && typeof err === 'object' ? (err as { [TAG]?: WaitTag })[TAG] : undefined);

export interface WaitPlace {
  sql: Sql;
  dialect: Dialect;
  namespace: string;
  lockTimeoutMs: number;
}

/**
 * `fn` with every lock wait bounded by --lock-timeout: on PostgreSQL in a
 * transaction of its own with SET LOCAL lock_timeout (on `sql` when it can
 * run one: PGlite's cannot, and needs none); a wait that runs out is tagged
 * with what it was doing (see seedLockWaitError).
 */
export async function withBoundedWaits<T>(at: WaitPlace, tables: readonly string[], need: LockNeed, doing: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const bound = waitsOf(at.dialect).bound;
  try {
    if (!bound || !at.sql.transaction) return await fn(at.sql);
    return await at.sql.transaction(async (sql) => {
      await sql.query(bound(at.lockTimeoutMs));
      return fn(sql);
    });
  } catch (err) {
    throw tagLockWait(err, tables, need, doing);
  }
}

/** The statement that bounds the lock waits of a transaction already open (after BEGIN), if the dialect needs one. */
export const boundStatement = (dialect: Dialect, ms: number): string | undefined => waitsOf(dialect).bound?.(ms);

const seconds = (ms: number): string => `${ms / 1000}s`;
const names = (namespace: string, dialect: Dialect, tables: readonly string[]): string =>
  tables.map((t) => waitsOf(dialect).shown(namespace, t)).join(', ');

/**
 * A lock wait that ran out, as exit 4 naming what it waited for: the tables
 * held (or, where the server cannot say, the tables of the statement), the
 * holders where the server says, what it was doing, and the server's words.
 * Anything else comes back as it was.
 */
export async function seedLockWaitError(at: WaitPlace, err: unknown, fallback: { tables: readonly string[]; need: LockNeed; doing: string }): Promise<unknown> {
  if (!isLockWait(err)) return err;
  const tag = tagOf(err) ?? fallback;
  const held = await waitsOf(at.dialect).held(at.sql, at.namespace, tag.tables, tag.need).catch((): Held => ({ tables: [], holders: [] }));
  const on = held.tables.length ? held.tables : tag.tables;
  const what = `${held.tables.length || on.length === 1 ? '' : 'one of '}${names(at.namespace, at.dialect, on)}`;
  const by = held.holders.length ? held.holders.join('; ') : 'another session';
  return new LockError(
    `gave up after ${seconds(at.lockTimeoutMs)} (--lock-timeout) waiting for a lock on ${what}, held by ${by}: ${tag.doing} (${serverMessage(err)})`,
    { cause: err },
  );
}
