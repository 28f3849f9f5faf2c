/**
 * The migration lock on MySQL/MariaDB: GET_LOCK on a connection of its own.
 * The server releases it when the session ends, so a killed pipeline never
 * leaves a stale lock behind.
 */
import mysql from 'mysql2/promise';
import { mysqlConnection } from '../../src/config/url.js';
import type { HeldLock } from '../../src/migrate/held-lock.js';

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

export async function acquireMysqlLock(
  url: string,
  database: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onWait?: (holder: string | null) => void,
  /** The GET_LOCK name: the migration lock of `database` unless another is given (the seed lock, src/seed/lock.ts). */
  name = lockName(database),
): Promise<HeldLock | null> {
  const conn = await mysql.createConnection({ ...mysqlConnection(url, database), database: undefined });
  // GET_LOCK waits on the server: an interrupt drops the connection, and the wait with it.
  const drop = () => conn.destroy();
  conn.on('error', () => undefined); // a lock session killed later must not crash the run
  if (signal?.aborted) {
    await conn.end().catch(() => undefined);
    return null;
  }
  signal?.addEventListener('abort', drop, { once: true });
  try {
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
    async cancelQuery(id: number) {
      await conn.query(`KILL QUERY ${Number(id)}`);
    },
    async release() {
      await conn.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}
