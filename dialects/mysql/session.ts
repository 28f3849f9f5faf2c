/**
 * What every dbkit connection to MySQL/MariaDB sets first (the Knex pool's
 * afterCreate, the driver sessions of status/diff/seed/check, the lock
 * connection):
 *
 * - its own sql_mode: the server's, minus the modes that change how dbkit's
 *   SQL or the catalog's text reads (ANSI_QUOTES, and the combinations that
 *   include it, would make `"` quote identifiers, and MariaDB print CHECK
 *   clauses with them; NO_BACKSLASH_ESCAPES would break the driver's escaping
 *   of bound values; PIPES_AS_CONCAT, EMPTY_STRING_IS_NULL and the NO_*_OPTIONS
 *   of ORACLE mode change what statements mean or SHOW prints), plus
 *   STRICT_ALL_TABLES: a value too long or out of range is an error, never
 *   truncated with a warning, whatever the server's global mode. The rest of
 *   the server's modes (ONLY_FULL_GROUP_BY, NO_ZERO_DATE, ...) stay: dbkit's
 *   SQL is valid under them.
 * - on Galera, wsrep_sync_wait = 15, so that each read, update, insert and
 *   SHOW waits until this node has applied everything the cluster committed
 *   before it (a `status` through node 2 right after a `migrate` through node
 *   1 sees its migrations; a run reading dbkit_migrations under the lease sees
 *   the last holder's rows). Without wsrep the setting does nothing; a server
 *   without Galera's variables at all (MySQL) answers
 *   ER_UNKNOWN_SYSTEM_VARIABLE, which is fine.
 */
import type mysql from 'mysql2/promise';

/** Modes dbkit's sessions never run with (see above); a name a server does not know is simply not there to remove. */
export const DROPPED_SQL_MODES = [
  'ANSI_QUOTES',
  'ANSI',
  'ORACLE',
  'MSSQL',
  'DB2',
  'MAXDB',
  'POSTGRESQL',
  'NO_BACKSLASH_ESCAPES',
  'PIPES_AS_CONCAT',
  'EMPTY_STRING_IS_NULL',
  'NO_KEY_OPTIONS',
  'NO_TABLE_OPTIONS',
  'NO_FIELD_OPTIONS',
] as const;

/**
 * One statement, computed by the server from its own session mode (no round
 * trip to read it first): `,mode,` removed for each dropped mode, then
 * STRICT_ALL_TABLES in front.
 */
export const SQL_MODE = (() => {
  let list = "CONCAT(',', @@SESSION.sql_mode, ',')";
  for (const mode of DROPPED_SQL_MODES) list = `REPLACE(${list}, ',${mode},', ',')`;
  return `SET SESSION sql_mode = CONCAT_WS(',', 'STRICT_ALL_TABLES', NULLIF(TRIM(BOTH ',' FROM ${list}), ''))`;
})();

export const SYNC_WAIT = 'SET SESSION wsrep_sync_wait = 15';
const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

const ignorable = (err: unknown): boolean => (err as { errno?: number }).errno === ER_UNKNOWN_SYSTEM_VARIABLE;

/** On a promise connection (mysql2/promise). */
export async function initSession(conn: mysql.Connection): Promise<void> {
  await conn.query(SQL_MODE);
  try {
    await conn.query(SYNC_WAIT);
  } catch (err) {
    if (!ignorable(err)) throw err;
  }
}

/**
 * Every mysql2 connection dbkit opens itself (driver sessions, the lock
 * connection): set up as above, its idle 'error' events swallowed (a session
 * ended while idle, a lock session killed later: the next query fails
 * instead, and the command says what state it left), closed again if the
 * set-up fails.
 */
export async function openMysqlConnection(options: mysql.ConnectionOptions): Promise<mysql.Connection> {
  const { default: driver } = await import('mysql2/promise');
  const conn = await driver.createConnection(options);
  conn.on('error', () => undefined);
  try {
    await initSession(conn);
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  return conn;
}

/** A callback-style connection (Knex's pool hands those to afterCreate). */
interface CallbackConnection {
  query(sql: string, cb: (err: unknown) => void): unknown;
}

/** Knex pool hook: `pool: { afterCreate: initPooledSession }`. */
export function initPooledSession(conn: CallbackConnection, done: (err: unknown, conn: unknown) => void): void {
  conn.query(SQL_MODE, (modeErr) => {
    if (modeErr) return done(modeErr, conn);
    conn.query(SYNC_WAIT, (err) => done(err && !ignorable(err) ? err : null, conn));
  });
}
