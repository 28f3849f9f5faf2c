/**
 * No wait without a bound on PostgreSQL: dbkit reads and writes its
 * bookkeeping in a transaction with `SET LOCAL lock_timeout` (--lock-timeout;
 * a session-level SET would stay on a server connection a transaction pooler
 * hands to others), and when a lock is not granted in time (SQLSTATE 55P03)
 * names who holds one on those tables.
 */
import type { LockNeed, LockWaits } from '../../src/port/lock-wait.js';
import type { Sql } from '../../src/port/sql.js';
import { ident } from './quote.js';

/** lock_timeout 0 means "wait forever": --lock-timeout 0 is 1 ms, "do not wait". */
export const setLocalLockTimeout = (ms: number): string => `SET LOCAL lock_timeout = '${Math.max(1, Math.round(ms))}ms'`;

export type { LockNeed };

const HARMLESS: Record<LockNeed, readonly string[]> = {
  'writer-or-reader': ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock'],
  read: ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock'],
  write: ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock'],
  delete: ['AccessShareLock'],
  all: [],
};

/** Sessions holding a lock on the tables that can stop what was waiting, with what pg_stat_activity says of them. */
const HOLDERS_SQL = (count: number, harmless: number) => `SELECT DISTINCT a.pid, c.relname AS rel, l.mode, a.application_name AS app, host(a.client_addr) AS addr,
  to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ') AS since
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_class c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
  ${harmless ? `AND l.mode NOT IN (${marks(harmless)})` : ''}
  AND n.nspname = ? AND c.relname IN (${marks(count)})
ORDER BY 1, 2 LIMIT 5`;

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

interface HolderRow {
  pid: number;
  rel: string;
  mode: string;
  app: string | null;
  addr: string | null;
  since: string | null;
}

/** A session holding a lock on one of the tables: the table, and `PostgreSQL session 4242 (psql from 10.0.0.7, since …; AccessExclusiveLock on dbkit_migrations)`. */
export interface LockHolder {
  table: string;
  text: string;
}

/** Who holds a lock on the tables that can stop a statement needing `need` (at most 5 locks, by session). */
export async function postgresLockHolderList(sql: Sql, namespace: string, tables: readonly string[], need: LockNeed = 'writer-or-reader'): Promise<LockHolder[]> {
  if (!tables.length) return [];
  const harmless = HARMLESS[need];
  const rows = await sql.query<HolderRow>(HOLDERS_SQL(tables.length, harmless.length), [...harmless, namespace, ...tables]);
  return rows.map((r) => {
    const from = r.addr ? ` from ${r.addr}` : '';
    const since = r.since ? `, since ${r.since}` : '';
    return { table: r.rel, text: `PostgreSQL session ${r.pid} (${r.app || 'no application name'}${from}${since}; ${r.mode} on ${r.rel})` };
  });
}

/** `PostgreSQL session 4242 (psql from 10.0.0.7, since …; AccessExclusiveLock on dbkit_migrations)`, one per session. */
export async function postgresLockHolders(sql: Sql, namespace: string, tables: readonly string[], need: LockNeed = 'writer-or-reader'): Promise<string[]> {
  return (await postgresLockHolderList(sql, namespace, tables, need)).map((h) => h.text);
}

/** Take ROW EXCLUSIVE on the tables (released with the transaction): waits while another session holds a lock that stops writers. */
export const lockTablesSql = (namespace: string, tables: readonly string[]): string =>
  `LOCK TABLE ${tables.map((t) => `${ident(namespace)}.${ident(t)}`).join(', ')} IN ROW EXCLUSIVE MODE`;

/** PostgreSQL's lock waits: SET LOCAL lock_timeout in the transaction; holders from pg_locks. */
export const postgresLockWaits: LockWaits = {
  bound: setLocalLockTimeout,
  async held(sql, namespace, tables, need) {
    const list = await postgresLockHolderList(sql, namespace, tables, need);
    return { tables: tables.filter((t) => list.some((h) => h.table === t)), holders: list.map((h) => h.text) };
  },
  shown: (namespace, table) => `${namespace}.${table}`,
};
