/**
 * The migration lock on MySQL/MariaDB, on a connection of its own:
 * - one server: GET_LOCK, which the server releases when the session ends,
 *   so a killed pipeline never leaves a stale lock behind;
 * - Galera (wsrep_on): GET_LOCK is node-local there, so a cluster-wide lease
 *   instead (lease.ts), after checking that this node may be migrated through
 *   (galera.ts). The connection reads with wsrep_sync_wait, so it sees every
 *   write the cluster committed before each statement.
 */
import type mysql from 'mysql2/promise';
import { mysqlConnection } from '../../src/connection/driver-options.js';
import { newOwner, type HeldLock } from '../../src/port/lock.js';
import { checkGaleraNode, readGalera, type GaleraState } from './galera.js';
import { acquireLease, forceClearLease, leaseHolder, describeLease, DEFAULT_LEASE_TTL_MS } from './lease.js';
import { openMysqlConnection } from './session.js';

/** GET_LOCK names are limited to 64 characters. */
export const lockName = (database: string): string => `dbkit_migrate:${database}`.slice(0, 64);

/** Who holds the lock: IS_USED_LOCK's connection id, with its user, host and age from the process list. */
async function holder(conn: mysql.Connection, name: string): Promise<string | null | undefined> {
  const [[used]] = (await conn.query('SELECT IS_USED_LOCK(?) AS id', [name])) as unknown as [{ id: number | null }[]];
  if (used?.id == null) return undefined; // free
  const [rows] = (await conn
    .query('SELECT USER AS user, HOST AS host, TIME AS secs FROM information_schema.PROCESSLIST WHERE ID = ?', [used.id])
    .catch(() => [[]])) as unknown as [{ user: string; host: string; secs: number }[]];
  const p = rows[0];
  return `MySQL connection ${used.id}${p ? ` (${p.user}@${p.host}, current statement for ${p.secs}s)` : ''}`;
}

export interface MysqlLockOptions {
  /** Lease TTL on Galera (default 30 s). */
  leaseTtlMs?: number;
  /** The URL as displayed (password masked), for refusals. */
  display?: string;
  /** Told when the server is a Galera node (for --verbose). */
  onGalera?(state: GaleraState): void;
  /**
   * Another GET_LOCK name than the migration lock's (the seed lock, src/seed/lock.ts). Such a lock
   * is GET_LOCK on Galera too: node-local there (docs/seeding.md, "the seed lock").
   */
  name?: string;
}

const open = (url: string): Promise<mysql.Connection> => openMysqlConnection({ ...mysqlConnection(url), database: undefined });

export async function acquireMysqlLock(
  url: string,
  database: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onWait?: (holder: string | null) => void,
  options: MysqlLockOptions = {},
): Promise<HeldLock | null> {
  const conn = await open(url);
  // GET_LOCK waits on the server: an interrupt drops the connection, and the wait with it.
  const drop = () => conn.destroy();
  if (signal?.aborted) {
    await conn.end().catch(() => undefined);
    return null;
  }
  signal?.addEventListener('abort', drop, { once: true });
  const name = options.name ?? lockName(database);
  try {
    const galera = options.name ? null : await readGalera(conn);
    if (galera) {
      options.onGalera?.(galera);
      checkGaleraNode(galera, options.display ?? 'this node');
      const lease = await acquireLease(conn, {
        database,
        ttlMs: options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
        timeoutMs,
        node: galera.nodeName,
        signal,
        onWait,
      });
      if (!lease) await conn.end().catch(() => undefined);
      return lease;
    }
    if (onWait) {
      const h = await holder(conn, name);
      if (h !== undefined) onWait(h);
    }
    const [rows] = await conn.query('SELECT GET_LOCK(?, ?) AS locked', [name, timeoutMs / 1000]);
    if (Number((rows as { locked: unknown }[])[0]?.locked) !== 1) {
      await conn.end();
      return null;
    }
  } catch (err) {
    await conn.end().catch(() => undefined);
    if (signal?.aborted) return null;
    throw err;
  } finally {
    signal?.removeEventListener('abort', drop);
  }
  return {
    kind: 'get_lock',
    owner: newOwner(),
    async cancelQuery(id: number) {
      await conn.query(`KILL QUERY ${Number(id)}`);
    },
    async release() {
      await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}

/** For `unlock`: who holds the lock now (null: nobody), and whether it is a lease that --force may clear. */
export async function mysqlLockHolder(url: string, database: string): Promise<{ holder: string | null; lease: boolean }> {
  const conn = await open(url);
  try {
    if (await readGalera(conn)) {
      const h = await leaseHolder(conn, database);
      return { holder: h ? describeLease(h) : null, lease: true };
    }
    return { holder: (await holder(conn, lockName(database))) ?? null, lease: false };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** `unlock --force` on Galera: delete the lease row now, whoever holds it; what it was (null: there was none). */
export async function clearMysqlLease(url: string, database: string): Promise<string | null> {
  const conn = await open(url);
  try {
    const was = await forceClearLease(conn, database);
    return was ? describeLease(was) : null;
  } finally {
    await conn.end().catch(() => undefined);
  }
}
