/**
 * The migration lock on Galera: a lease, one row of `dbkit_lease` (InnoDB,
 * primary key `name`) in the migrated database. GET_LOCK is node-local on
 * Galera (two nodes grant the same name at once); a row is replicated, and
 * two nodes writing it at once are certified in one order: one commit wins,
 * the other fails with a deadlock (1213) and tries again.
 *
 * - Taken by INSERT IGNORE (no row yet) or by an UPDATE of a row whose
 *   expiry has passed (a killed holder): affected rows = 1 means taken.
 * - Renewed by a heartbeat every TTL/6 (UPDATE ... WHERE owner = this run);
 *   a run whose lease was taken over learns it there or at its next fence.
 * - fence(): the same UPDATE inside the transaction that records a
 *   migration, so that transaction and a takeover write the same row: the
 *   cluster commits one of them, and a run that lost its lease records nothing.
 * - Released by deleting the row; a killed holder's row expires after the
 *   TTL (default 30 s, DBKIT_LEASE_TTL); `dbkit unlock --force` deletes it at once.
 *
 * Times are the servers' UTC_TIMESTAMP(6): the nodes' clocks must agree to
 * well within the TTL (NTP).
 */
import os from 'node:os';
import type { Knex } from 'knex';
import type mysql from 'mysql2/promise';
import { LockError } from '../../src/shared/errors.js';
import { newOwner, type HeldLock } from '../../src/port/lock.js';
import { BOOKKEEPING_MARKER } from '../../src/port/bookkeeping.js';
import { ident, literal } from './quote.js';

export const LEASE_TABLE = 'dbkit_lease';
/** The lease of migrations (one per database). */
export const LEASE_NAME = 'migrate';
export const DEFAULT_LEASE_TTL_MS = 30_000;

/** ER_LOCK_DEADLOCK (a certification conflict on Galera) and ER_LOCK_WAIT_TIMEOUT: lost this round, try again. */
const RETRYABLE = new Set([1213, 1205]);
export const retryable = (err: unknown): boolean => RETRYABLE.has((err as { errno?: number }).errno ?? 0);

const table = (database: string): string => `${ident(database)}.${ident(LEASE_TABLE)}`;

export const createLeaseTable = (database: string): string => `CREATE TABLE IF NOT EXISTS ${table(database)} (
  name VARCHAR(64) NOT NULL,
  owner VARCHAR(255) NOT NULL,
  host VARCHAR(255) NOT NULL,
  pid INT UNSIGNED NOT NULL,
  node VARCHAR(64) NOT NULL DEFAULT '',
  acquired_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT=${literal(BOOKKEEPING_MARKER)}`;

const insertLease = (database: string): string =>
  `INSERT IGNORE INTO ${table(database)} (name, owner, host, pid, node, acquired_at, expires_at)
VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND)`;

const takeExpired = (database: string): string =>
  `UPDATE ${table(database)} SET owner = ?, host = ?, pid = ?, node = ?, acquired_at = UTC_TIMESTAMP(6), expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND
WHERE name = ? AND expires_at < UTC_TIMESTAMP(6)`;

/** Heartbeat and fence: extend the lease if this run still owns it. */
export const renewLease = (database: string): string =>
  `UPDATE ${table(database)} SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE name = ? AND owner = ?`;

const releaseLease = (database: string): string => `DELETE FROM ${table(database)} WHERE name = ? AND owner = ?`;
const clearLease = (database: string): string => `DELETE FROM ${table(database)} WHERE name = ?`;

const readLease = (database: string): string =>
  `SELECT owner, host, pid, node, DATE_FORMAT(acquired_at, '%Y-%m-%d %H:%i:%s UTC') AS since,
  TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), expires_at) DIV 1000000 AS expires_in
FROM ${table(database)} WHERE name = ?`;

export interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  node: string;
  since: string;
  /** Seconds until it expires (negative: expired that long ago). */
  expiresIn: number;
}

export function describeLease(l: LeaseRow): string {
  const node = l.node ? ` through Galera node ${l.node}` : '';
  const expiry = l.expiresIn >= 0 ? `lease expires in ${l.expiresIn}s unless renewed` : `lease expired ${-l.expiresIn}s ago`;
  return `dbkit on ${l.host} (pid ${l.pid})${node}, since ${l.since}; ${expiry}`;
}

type Rows<T> = [T[], unknown];
type Header = [{ affectedRows: number }, unknown];

async function tableExists(conn: mysql.Connection, database: string): Promise<boolean> {
  const [rows] = (await conn.query('SELECT 1 AS present FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [
    database,
    LEASE_TABLE,
  ])) as unknown as Rows<unknown>;
  return rows.length > 0;
}

/** The lease row, or null when there is none (or no table yet). */
export async function leaseHolder(conn: mysql.Connection, database: string): Promise<LeaseRow | null> {
  if (!(await tableExists(conn, database))) return null;
  const [rows] = (await conn.query(readLease(database), [LEASE_NAME])) as unknown as Rows<Omit<LeaseRow, 'expiresIn'> & { expires_in: unknown }>;
  const r = rows[0];
  return r ? { owner: r.owner, host: r.host, pid: Number(r.pid), node: r.node, since: r.since, expiresIn: Number(r.expires_in) } : null;
}

/** `dbkit unlock --force`: delete the lease whoever holds it; returns what it was. */
export async function forceClearLease(conn: mysql.Connection, database: string): Promise<LeaseRow | null> {
  const was = await leaseHolder(conn, database);
  if (!was) return null;
  for (let attempt = 0; ; attempt++) {
    try {
      await conn.query(clearLease(database), [LEASE_NAME]);
      return was;
    } catch (err) {
      if (!retryable(err) || attempt >= 4) throw err;
    }
  }
}

export interface LeaseOptions {
  database: string;
  ttlMs: number;
  timeoutMs: number;
  /** This node's wsrep_node_name, recorded for the waiting message. */
  node: string;
  signal?: AbortSignal;
  onWait?: (holder: string | null) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One attempt: true when this run now holds the lease. */
async function tryTake(conn: mysql.Connection, o: LeaseOptions, owner: string): Promise<boolean> {
  const micros = o.ttlMs * 1000;
  const host = os.hostname().slice(0, 255);
  const [ins] = (await conn.query(insertLease(o.database), [LEASE_NAME, owner, host, process.pid, o.node.slice(0, 64), micros])) as unknown as Header;
  if (ins.affectedRows === 1) return true;
  const [upd] = (await conn.query(takeExpired(o.database), [owner, host, process.pid, o.node.slice(0, 64), micros, LEASE_NAME])) as unknown as Header;
  return upd.affectedRows === 1;
}

/**
 * Take the lease on `conn` (a connection of its own, wsrep_sync_wait set),
 * waiting up to timeoutMs; null when it stayed taken. The connection stays
 * open for the heartbeat until release().
 */
export async function acquireLease(conn: mysql.Connection, o: LeaseOptions): Promise<HeldLock | null> {
  if (!(await tableExists(conn, o.database))) await conn.query(createLeaseTable(o.database));
  const owner = newOwner();
  const deadline = Date.now() + o.timeoutMs;
  let onWait = o.onWait;
  for (;;) {
    try {
      if (await tryTake(conn, o, owner)) break;
    } catch (err) {
      if (!retryable(err)) throw err;
    }
    if (onWait) {
      const h = await leaseHolder(conn, o.database).catch(() => null);
      onWait(h ? describeLease(h) : null);
      onWait = undefined;
    }
    if (Date.now() >= deadline || o.signal?.aborted) return null;
    // Jitter: runs that lost one certification round do not collide again in step.
    await sleep(Math.min(150 + Math.random() * 200, Math.max(10, deadline - Date.now())));
  }
  return heldLease(conn, o, owner);
}

function heldLease(conn: mysql.Connection, o: LeaseOptions, owner: string): HeldLock {
  const micros = o.ttlMs * 1000;
  let lost: string | null = null;
  let beating: Promise<unknown> | null = null;
  const loseTo = async (read: () => Promise<LeaseRow | null>) => {
    const now = await read().catch(() => null);
    lost = now ? `the lease was taken over by ${describeLease(now)}` : 'the lease was cleared (dbkit unlock --force?)';
  };
  const heartbeat = setInterval(
    () => {
      if (beating || lost) return;
      beating = (async () => {
        try {
          const [res] = (await conn.query(renewLease(o.database), [micros, LEASE_NAME, owner])) as unknown as Header;
          if (res.affectedRows !== 1) await loseTo(() => leaseHolder(conn, o.database));
        } catch {
          // A certification conflict or a slow node: the next beat tries again, and the fence decides.
        }
      })().finally(() => {
        beating = null;
      });
    },
    Math.max(500, Math.floor(o.ttlMs / 6)),
  );
  heartbeat.unref();
  const since = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const me = `dbkit on ${os.hostname()} (pid ${process.pid})${o.node ? ` through Galera node ${o.node}` : ''}, since ${since}`;
  const fail = () => new LockError(`lost the migration lock: ${lost}; nothing more is recorded by this run`);

  return {
    kind: 'lease',
    owner,
    describe: () => me,
    async cancelQuery(id: number) {
      await conn.query(`KILL QUERY ${Number(id)}`);
    },
    async fence(db: Knex | Knex.Transaction) {
      if (lost) throw fail();
      const [res] = (await db.raw(renewLease(o.database), [micros, LEASE_NAME, owner])) as unknown as Header;
      if (res.affectedRows !== 1) {
        await loseTo(async () => {
          const [rows] = (await db.raw(readLease(o.database), [LEASE_NAME])) as unknown as Rows<Omit<LeaseRow, 'expiresIn'> & { expires_in: unknown }>;
          const r = rows[0];
          return r ? { ...r, pid: Number(r.pid), expiresIn: Number(r.expires_in) } : null;
        });
        throw fail();
      }
    },
    async release() {
      clearInterval(heartbeat);
      await beating;
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await conn.query(releaseLease(o.database), [LEASE_NAME, owner]);
          break;
        } catch (err) {
          if (!retryable(err)) break; // the lease then expires by itself
        }
      }
      await conn.end().catch(() => undefined);
    },
  };
}
