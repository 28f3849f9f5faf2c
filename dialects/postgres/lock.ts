/**
 * The migration lock on PostgreSQL: a transaction-level advisory lock
 * (pg_try_advisory_xact_lock) taken in a transaction that stays open on a
 * connection of its own for the whole run.
 *
 * Why a transaction and not a session lock: a lock that lives in a
 * transaction cannot outlive it, and a transaction cannot outlive its client
 * connection, with or without a pooler in between (PgBouncer closes a server
 * connection whose client left mid-transaction; PostgreSQL rolls it back).
 * A session-level lock taken through a transaction pooler stays on a pooled
 * server connection after dbkit has gone, held for whoever gets that
 * connection next. So: a killed run never leaves the lock behind, through
 * PgBouncer too, and there is nothing for `dbkit unlock` to clear.
 *
 * The migrations run on other connections; fence() proves in their
 * recording transactions that the lock transaction is still the holder.
 */
import os from 'node:os';
import type { Knex } from 'knex';
import pg from 'pg';
import { LockError } from '../../src/shared/errors.js';
import { CONNECT_TIMEOUT_MS } from '../../src/connection/server-url.js';
import { pgConnection } from '../../src/connection/driver-options.js';
import { newOwner, type HeldLock } from '../../src/port/lock.js';
import { probePooler, type PoolerProbe } from './pooler.js';

/** Lock key space of dbkit (two-int advisory lock form: class, hashtext(namespace)). */
const LOCK_CLASS = 0x64626b74 >> 1; // "dbkt"
/** The fence's barrier: shared by recording transactions, waited out by a new holder. */
const BARRIER_CLASS = LOCK_CLASS + 1;
/** How often the lock connection proves it is alive (and keeps a pooler's idle-transaction timeout away). */
const HEARTBEAT_MS = 5_000;

const TRY_LOCK = `SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked`;

/** The lock's row in pg_locks: which backend and transaction hold it. */
const MINE = `SELECT pid, virtualtransaction AS vxid, to_char(now(), 'YYYY-MM-DD HH24:MI:SS TZ') AS since FROM pg_locks
WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2`;

/** Recording transactions between their fence and their end (see fence()). */
const BARRIER_HOLDERS = `SELECT count(*)::int AS n FROM pg_locks
WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2`;

const BARRIER = 'SELECT pg_advisory_xact_lock_shared(?, hashtext(?))';

/** Is the lock held by this backend in this very transaction (pg_locks is read live, never from a snapshot)? */
const STILL_HELD = `SELECT EXISTS (SELECT 1 FROM pg_locks
WHERE locktype = 'advisory' AND granted AND pid = ? AND virtualtransaction = ?
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid = ?::int::oid AND objid = hashtext(?)::oid AND objsubid = 2) AS held`;

/** Who holds the lock: the session's pid, application, client address, and since when (pg_locks x pg_stat_activity). */
const HOLDER = `SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr,
  to_char(coalesce(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS TZ') AS since, l.virtualtransaction AS vxid
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = $1::int::oid AND l.objid = hashtext($2)::oid AND l.objsubid = 2`;

/** The lock connection's application_name: who holds the lock, readable by every waiter in pg_stat_activity (63 bytes at most). */
export function lockApplicationName(host = os.hostname(), pid = process.pid): string {
  return `dbkit-lock ${host.slice(0, 32)} ${pid}`.slice(0, 63);
}

/** `dbkit on ci-7 (pid 4242), PostgreSQL session 918 from 10.0.0.7, since …`, or the session alone for another tool. */
export function describeHolder(h: { pid: number; app: string; addr: string | null; since: string }): string {
  const m = /^dbkit-lock (\S+) (\d+)$/.exec(h.app);
  const from = h.addr ? ` from ${h.addr}` : '';
  if (m) return `dbkit on ${m[1]} (pid ${m[2]}), PostgreSQL session ${h.pid}${from}, since ${h.since}`;
  return `PostgreSQL session ${h.pid} (${h.app || 'no application name'}${from}, since ${h.since})`;
}

async function holder(client: pg.Client, namespace: string): Promise<string | null> {
  const rows = (await client.query<{ pid: number; app: string; addr: string | null; since: string }>(HOLDER, [LOCK_CLASS, namespace]).catch(() => null))?.rows;
  const h = rows?.[0];
  return h ? describeHolder(h) : null;
}

export interface PostgresLockOptions {
  /** Told what the pooler probe saw (for --verbose). */
  onProbe?(probe: PoolerProbe): void;
}

/** A query without parameters goes by the simple protocol, which destroys the unnamed portal of the last one. */
const DROP_PORTAL = 'SELECT 1';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newClient(url: string, applicationName: string): pg.Client {
  const client = new pg.Client({ ...pgConnection(url), application_name: applicationName, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that dies later (idle_session_timeout, pg_terminate_backend) must not crash the run.
  client.on('error', () => undefined);
  return client;
}

/** Open a client on `url` (for the pooler probe and for `unlock`). */
export async function openClient(url: string, applicationName = 'dbkit'): Promise<pg.Client> {
  const client = newClient(url, applicationName);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return client;
}

/** Who holds the migration lock of `namespace` now, or null (for `unlock`). */
export async function postgresLockHolder(url: string, namespace: string): Promise<string | null> {
  const client = await openClient(url);
  try {
    return await holder(client, namespace);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Wait until no recording transaction of an earlier holder is between its fence and its end. */
async function waitOutBarrier(client: pg.Client, namespace: string, deadline: number, signal?: AbortSignal): Promise<boolean> {
  for (;;) {
    const n = (await client.query<{ n: number }>(BARRIER_HOLDERS, [BARRIER_CLASS, namespace])).rows[0]?.n ?? 0;
    if (n === 0) return true;
    if (Date.now() >= deadline || signal?.aborted) return false;
    await sleep(50);
  }
}

export async function acquirePostgresLock(
  url: string,
  namespace: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onWait?: (holder: string | null) => void,
  options: PostgresLockOptions = {},
): Promise<HeldLock | null> {
  const client = await openClient(url, lockApplicationName());
  const deadline = Date.now() + timeoutMs;
  let mine: { pid: number; vxid: string; since: string };
  let probe: PoolerProbe;
  try {
    probe = await probePooler(client, () => openClient(url));
    options.onProbe?.(probe);
    for (;;) {
      await client.query('BEGIN');
      // The lock transaction idles between heartbeats: a server-wide idle-in-transaction timeout must not end it.
      await client.query('SET LOCAL idle_in_transaction_session_timeout = 0');
      const res = await client.query<{ locked: boolean }>(TRY_LOCK, [LOCK_CLASS, namespace]);
      if (res.rows[0]?.locked) break;
      await client.query('ROLLBACK');
      if (onWait) {
        onWait(await holder(client, namespace));
        onWait = undefined;
      }
      if (Date.now() >= deadline || signal?.aborted) {
        await client.end();
        return null;
      }
      await sleep(Math.min(250, Math.max(10, deadline - Date.now())));
    }
    const row = (await client.query<{ pid: number; vxid: string; since: string }>(MINE, [LOCK_CLASS, namespace])).rows[0];
    if (!row) throw new LockError('the migration lock was granted but is not in pg_locks: is the server a PostgreSQL server?');
    mine = row;
    // Someone who held the lock before may still be committing a fenced recording: let it end first.
    if (!(await waitOutBarrier(client, namespace, deadline, signal))) {
      await client.end();
      return null;
    }
    // The queries above used the extended protocol: their unnamed portal keeps its snapshot (and so
    // this idle transaction's xmin) until another query replaces it, which would make every CREATE
    // INDEX CONCURRENTLY of the run wait for this transaction. A simple-protocol query drops it.
    await client.query(DROP_PORTAL);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }

  let lost: string | null = null;
  let beating: Promise<unknown> | null = null;
  const heartbeat = setInterval(() => {
    if (beating || lost) return;
    beating = client
      .query('SELECT 1')
      .catch((err: Error) => {
        lost = `the lock's connection failed (${err.message})`;
      })
      .finally(() => {
        beating = null;
      });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const owner = newOwner();
  const me = `dbkit on ${os.hostname()} (pid ${process.pid}), PostgreSQL session ${mine.pid}, since ${mine.since}`;

  return {
    kind: 'advisory',
    owner,
    pooled: probe.pooled,
    describe: () => me,
    ...(probe.pooled
      ? {}
      : {
          async cancelQuery(pid: number) {
            // Only dbkit's own session of this database, and only while it runs a statement.
            await client.query(
              "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND application_name = 'dbkit' AND datname = current_database() AND state = 'active'",
              [pid],
            );
            await client.query(DROP_PORTAL);
          },
        }),
    async fence(db: Knex | Knex.Transaction) {
      if (lost) throw new LockError(`lost the migration lock: ${lost}; nothing more is recorded by this run`);
      // Shared, never waited for: it only tells a new holder to wait until this transaction ends.
      await db.raw(BARRIER, [BARRIER_CLASS, namespace]);
      const res = (await db.raw(STILL_HELD, [mine.pid, mine.vxid, LOCK_CLASS, namespace])) as { rows: { held: boolean }[] };
      if (!res.rows[0]?.held) {
        lost = `the lock transaction (PostgreSQL session ${mine.pid}) no longer holds it, or it is not visible from the migration connection (a pooler spreading connections over several servers? use --direct-url)`;
        throw new LockError(`lost the migration lock: ${lost}; nothing more is recorded by this run`);
      }
    },
    async release() {
      clearInterval(heartbeat);
      await beating;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
