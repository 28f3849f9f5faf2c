/**
 * The migration lock on PostgreSQL: a session-level advisory lock on a
 * connection of its own. The server releases it when the process dies, so a
 * killed pipeline never leaves a stale lock behind.
 */
import pg from 'pg';
import { CONNECT_TIMEOUT_MS } from '../../src/db/sql.js';
import { pgConnection } from '../../src/config/url.js';
import type { HeldLock } from '../../src/migrate/held-lock.js';

/** Lock key space of dbkit (two-int advisory lock form: class, hashtext(namespace)). */
const LOCK_CLASS = 0x64626b74 >> 1; // "dbkt"
const TRY_LOCK = 'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked';
const UNLOCK = 'SELECT pg_advisory_unlock($1, hashtext($2))';

/** Who holds the lock: the session's pid, application, client address and start (pg_locks x pg_stat_activity). */
const HOLDER = `SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr, to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ') AS since
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = $1::int::oid AND l.objid = hashtext($2)::oid AND l.objsubid = 2`;

async function holder(client: pg.Client, namespace: string): Promise<string | null> {
  const rows = (await client.query<{ pid: number; app: string; addr: string | null; since: string }>(HOLDER, [LOCK_CLASS, namespace]).catch(() => null))?.rows;
  const h = rows?.[0];
  return h ? `PostgreSQL session ${h.pid} (${h.app || 'no application name'}${h.addr ? ` from ${h.addr}` : ''}, connected ${h.since})` : null;
}

export async function acquirePostgresLock(
  url: string,
  namespace: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onWait?: (holder: string | null) => void,
): Promise<HeldLock | null> {
  const client = new pg.Client({ ...pgConnection(url), application_name: 'dbkit-lock', connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A lock session that dies later (idle_session_timeout, pg_terminate_backend) must not crash the run.
  client.on('error', () => undefined);
  await client.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const res = await client.query<{ locked: boolean }>(TRY_LOCK, [LOCK_CLASS, namespace]);
      if (res.rows[0]?.locked) break;
      if (onWait) {
        onWait(await holder(client, namespace));
        onWait = undefined;
      }
      if (Date.now() >= deadline || signal?.aborted) {
        await client.end();
        return null;
      }
      await new Promise((r) => setTimeout(r, Math.min(250, Math.max(10, deadline - Date.now()))));
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return {
    async cancelQuery(pid: number) {
      // Only dbkit's own session of this database (behind a pooler, the pid could be another server's).
      await client.query(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND application_name = 'dbkit' AND datname = current_database()",
        [pid],
      );
    },
    async release() {
      await client.query(UNLOCK, [LOCK_CLASS, namespace]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
