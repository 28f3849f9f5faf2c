/**
 * The migration lock of a connection: an advisory lock on PostgreSQL,
 * GET_LOCK on MySQL (both released by the server if the process dies), and
 * for PGlite the lock file taken when the database was opened.
 */
import { LockError } from '../cli/errors.js';
import type { Connection } from '../db/connect.js';

import type { HeldLock } from './held-lock.js';

export async function acquireMigrationLock(conn: Connection, signal?: AbortSignal, onWait?: (text: string) => void): Promise<HeldLock> {
  const { target, lockTimeoutMs } = conn.config;
  let lock: HeldLock | null;
  let heldBy: string | null = null;
  const waiting = (holder: string | null) => {
    heldBy = holder;
    onWait?.(`waiting up to ${lockTimeoutMs / 1000}s for the migration lock, held by ${holder ?? 'another session'}`);
  };
  if (signal?.aborted) throw signal.reason;
  if (target.engine === 'postgres') {
    const { acquirePostgresLock } = await import('../../dialects/postgres/lock.js');
    lock = await acquirePostgresLock(target.url, conn.namespace, lockTimeoutMs, signal, waiting);
  } else if (target.engine === 'mysql') {
    const { acquireMysqlLock } = await import('../../dialects/mysql/lock.js');
    lock = await acquireMysqlLock(target.url, conn.namespace, lockTimeoutMs, signal, waiting);
  } else {
    lock = { release: async () => undefined };
  }
  if (signal?.aborted) {
    await lock?.release();
    throw signal.reason;
  }
  if (!lock) {
    throw new LockError(
      `another dbkit is migrating ${target.display} (namespace ${conn.namespace}${heldBy ? `; lock held by ${heldBy}` : ''}); gave up after ${lockTimeoutMs / 1000}s (--lock-timeout)`,
    );
  }
  // Knex keeps a lock row of its own; a killed run leaves it set. Holding our
  // lock, nobody else is migrating, so a set row can only be stale.
  const { knex } = conn;
  const table = conn.config.dialect === 'postgres' ? `${conn.namespace}.dbkit_migrations_lock` : 'dbkit_migrations_lock';
  try {
    const exists =
      conn.config.dialect === 'postgres'
        ? await knex.schema.withSchema(conn.namespace).hasTable('dbkit_migrations_lock')
        : await knex.schema.hasTable('dbkit_migrations_lock');
    if (exists) await knex(table).update({ is_locked: 0 });
  } catch (err) {
    await lock.release();
    throw err;
  }
  return lock;
}
