/**
 * The migration lock of a connection (see each dialect's lock.ts):
 * PostgreSQL: a transaction-level advisory lock in a transaction of its own
 * (safe behind PgBouncer); MySQL/MariaDB: GET_LOCK; Galera: a lease row;
 * PGlite: the lock file taken when the database was opened.
 */
import type { Knex } from 'knex';
import { LockError } from '../cli/errors.js';
import type { Connection } from '../db/connect.js';
import { newOwner, type HeldLock } from './held-lock.js';

const KNEX_LOCK_TABLE = 'dbkit_migrations_lock';

export interface LockOptions {
  /** Details for --verbose (pooler probe, Galera node). */
  debug?(text: string): void;
}

async function acquireDialectLock(
  conn: Connection,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  waiting: (holder: string | null) => void,
  debug: (text: string) => void,
): Promise<HeldLock | null> {
  const { target } = conn.config;
  if (target.engine === 'postgres') {
    const { acquirePostgresLock } = await import('../../dialects/postgres/lock.js');
    return acquirePostgresLock(target.url, conn.namespace, timeoutMs, signal, waiting, {
      onProbe: (p) => debug(`pooler probe: ${p.evidence}${p.pooled ? ' (transaction pooler: the lock holds its transaction open; no statement is cancelled by pid)' : ''}`),
    });
  }
  if (target.engine === 'mysql') {
    const { acquireMysqlLock } = await import('../../dialects/mysql/lock.js');
    return acquireMysqlLock(target.url, conn.namespace, timeoutMs, signal, waiting, {
      leaseTtlMs: conn.config.leaseTtlMs,
      display: target.display,
      onGalera: (g) => debug(`Galera node ${g.nodeName || '?'}: ${g.state}, ${g.status} component of ${g.clusterSize}, ${g.osuMethod}; taking the lease`),
    });
  }
  return { kind: 'file', owner: newOwner(), release: async () => undefined };
}

/**
 * Knex keeps a lock row of its own; a killed run leaves it set, and runs
 * that once raced on a cluster could leave two rows. Holding our lock,
 * nobody else is migrating: keep exactly one row, unset. In a transaction
 * that fences first, so it is also the proof that the lock is visible from
 * the migration connection (a lock that is not stops the run here).
 */
async function resetKnexLockRow(conn: Connection, lock: HeldLock): Promise<void> {
  const { knex } = conn;
  const pg = conn.config.dialect === 'postgres';
  const exists = pg ? await knex.schema.withSchema(conn.namespace).hasTable(KNEX_LOCK_TABLE) : await knex.schema.hasTable(KNEX_LOCK_TABLE);
  const work = async (db: Knex | Knex.Transaction) => {
    await lock.fence?.(db);
    if (!exists) return;
    const table = pg ? `${conn.namespace}.${KNEX_LOCK_TABLE}` : KNEX_LOCK_TABLE;
    const rows = (await db(table).select('index').orderBy('index')) as { index: number }[];
    if (rows.length > 1) await db(table).whereNot('index', rows[0]!.index).delete();
    if (rows.length > 0) await db(table).update({ is_locked: 0 });
  };
  if (!lock.fence && !exists) return;
  await (lock.fence ? knex.transaction((trx) => work(trx)) : work(knex));
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
