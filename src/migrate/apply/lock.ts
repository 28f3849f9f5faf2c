/**
 * The migration lock of a connection (see each dialect's lock.ts):
 * PostgreSQL: a transaction-level advisory lock in a transaction of its own
 * (safe behind PgBouncer); MySQL/MariaDB: GET_LOCK; Galera: a lease row;
 * PGlite: the lock file taken when the database was opened.
 */
import { LockError } from '../../shared/errors.js';
import type { Connection } from '../../db/connect.js';
import { engineOf } from '../../engines/index.js';
import { boundedWrite } from './bounded.js';
import type { HeldLock } from '../../port/lock.js';
import { judgeLive } from './trust.js';

const KNEX_LOCK_TABLE = 'dbkit_migrations_lock';

export interface LockOptions {
  /** Details for --verbose (pooler probe, Galera node). */
  debug?(text: string): void;
}

function acquireDialectLock(
  conn: Connection,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  waiting: (holder: string | null) => void,
  debug: (text: string) => void,
): Promise<HeldLock | null> {
  const { target, leaseTtlMs } = conn.config;
  return engineOf(conn).migration.lock({ url: target.url, display: target.display, namespace: conn.namespace, timeoutMs, signal, onWait: waiting, debug, leaseTtlMs });
}

/**
 * Knex keeps a lock row of its own; a killed run leaves it set, and runs
 * that once raced on a cluster could leave two rows. Holding our lock,
 * nobody else is migrating: keep exactly one row, unset. In a transaction
 * that fences first, so it is also the proof that the lock is visible from
 * the migration connection (a lock that is not stops the run here). Before
 * that: the tables are dbkit's (trust.ts), and on PostgreSQL no other
 * session holds a lock on them that would stop the run's bookkeeping
 * (ROW EXCLUSIVE taken and released at once, waited for at most
 * --lock-timeout: exit 4 naming who holds them).
 */
async function resetKnexLockRow(conn: Connection, lock: HeldLock): Promise<void> {
  const { present } = await judgeLive(conn);
  const engine = engineOf(conn);
  const lockTables = present.length ? engine.migration.lockTablesSql?.(conn.namespace, present) : undefined;
  const table = (t: string) => engine.dialect.tableRef(conn.namespace, t);
  if (!lock.fence && !present.includes(KNEX_LOCK_TABLE) && !lockTables) return;
  await boundedWrite(conn, present, 'checking dbkit\'s bookkeeping tables before taking them over', async (db) => {
    await lock.fence?.(db);
    if (lockTables) await db.raw(lockTables);
    if (!present.includes(KNEX_LOCK_TABLE)) return;
    const rows = (await db(table(KNEX_LOCK_TABLE)).select('index').orderBy('index')) as { index: number }[];
    if (rows.length > 1) await db(table(KNEX_LOCK_TABLE)).whereNot('index', rows[0]!.index).delete();
    if (rows.length > 0) await db(table(KNEX_LOCK_TABLE)).update({ is_locked: 0 });
  });
}

export async function acquireMigrationLock(
  conn: Connection,
  signal?: AbortSignal,
  onWait?: (text: string) => void,
  options: LockOptions = {},
): Promise<HeldLock> {
  const { target, lockTimeoutMs } = conn.config;
  let heldBy: string | null = null;
  const waiting = (holder: string | null) => {
    heldBy = holder;
    onWait?.(`waiting up to ${lockTimeoutMs / 1000}s for the migration lock, held by ${holder ?? 'another session'}`);
  };
  if (signal?.aborted) throw signal.reason;
  const debug = options.debug ?? conn.debug ?? (() => undefined);
  const lock = await acquireDialectLock(conn, lockTimeoutMs, signal, waiting, debug);
  if (signal?.aborted) {
    await lock?.release();
    throw signal.reason;
  }
  if (!lock) {
    throw new LockError(
      `another dbkit is migrating ${target.display} (namespace ${conn.namespace}${heldBy ? `; lock held by ${heldBy}` : ''}); gave up after ${lockTimeoutMs / 1000}s (--lock-timeout)`,
    );
  }
  try {
    await resetKnexLockRow(conn, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
  debug(`holding the migration lock (${lock.kind}${lock.kind === 'lease' ? `, owner ${lock.owner}` : ''})`);
  return lock;
}
