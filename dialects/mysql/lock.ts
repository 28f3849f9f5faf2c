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

export async function acquireMysqlLock(url: string, database: string, timeoutMs: number, signal?: AbortSignal): Promise<HeldLock | null> {
  const conn = await mysql.createConnection({ ...mysqlConnection(url, database), database: undefined });
  // GET_LOCK waits on the server: an interrupt drops the connection, and the wait with it.
  const drop = () => conn.destroy();
  signal?.addEventListener('abort', drop, { once: true });
  try {
    const [rows] = await conn.query('SELECT GET_LOCK(?, ?) AS locked', [lockName(database), timeoutMs / 1000]);
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
      await conn.query('SELECT RELEASE_LOCK(?)', [lockName(database)]).catch(() => undefined);
      await conn.end().catch(() => undefined);
    },
  };
}
