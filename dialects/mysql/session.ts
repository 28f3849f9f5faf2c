/**
 * What every dbkit connection to MySQL/MariaDB sets first: on Galera,
 * wsrep_sync_wait = 15, so that each read, update, insert and SHOW waits
 * until this node has applied everything the cluster committed before it
 * (a `status` through node 2 right after a `migrate` through node 1 sees its
 * migrations; a run reading dbkit_migrations under the lease sees the last
 * holder's rows). Without wsrep the setting does nothing; a server without
 * Galera's variables at all (MySQL) answers ER_UNKNOWN_SYSTEM_VARIABLE, which is fine.
 */
import type mysql from 'mysql2/promise';

export const SYNC_WAIT = 'SET SESSION wsrep_sync_wait = 15';
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

const ignorable = (err: unknown): boolean => (err as { errno?: number }).errno === ER_UNKNOWN_SYSTEM_VARIABLE;

/** On a promise connection (mysql2/promise). */
export async function initSession(conn: mysql.Connection): Promise<void> {
  try {
    await conn.query(SYNC_WAIT);
  } catch (err) {
    if (!ignorable(err)) throw err;
  }
}

/** A callback-style connection (Knex's pool hands those to afterCreate). */
interface CallbackConnection {
  query(sql: string, cb: (err: unknown) => void): unknown;
}

/** Knex pool hook: `pool: { afterCreate: initPooledSession }`. */
export function initPooledSession(conn: CallbackConnection, done: (err: unknown, conn: unknown) => void): void {
  conn.query(SYNC_WAIT, (err) => done(err && !ignorable(err) ? err : null, conn));
}
