import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';

/**
 * How the migration lock is held:
 * - `advisory`: PostgreSQL, a transaction-level advisory lock in a transaction
 *   kept open on a connection of its own (released when that transaction or
 *   connection ends, also through a transaction pooler);
 * - `get_lock`: MySQL/MariaDB without Galera, GET_LOCK on a connection of its own;
 * - `lease`: Galera, a row in `dbkit_lease` with an expiry, renewed by a heartbeat;
 * - `file`: PGlite, the lock file taken when the database was opened.
 */
export type LockKind = 'advisory' | 'get_lock' | 'lease' | 'file';

/** Something held until release() (PGlite's lock file). */
export interface Releasable {
  release(): Promise<void>;
}

/** The migration lock some process holds until it calls release(). */
export interface HeldLock extends Releasable {
  readonly kind: LockKind;
  /**
   * Who holds it: an id of this run, unique and readable (newOwner(); on
   * Galera, the lease row's owner).
   * The runner writes it into its crash-recovery markers: while this lock is
   * held, a marker with any other owner was left by a run that no longer
   * holds the lock (killed, or its lease taken over) and can record nothing more.
   */
  readonly owner: string;
  /**
   * True when the lock's connection goes through a transaction pooler (PgBouncer):
   * migration connections keep no session state there, so nothing may rely on a
   * session-level SET (use SET LOCAL inside a transaction, or do without).
   */
  readonly pooled?: boolean;
  /**
   * Cancel the statement running on another session of the same server
   * (its backend pid / connection id), from the lock's own connection: how
   * an interrupt stops a migration mid-statement. Absent on PGlite, and
   * behind a transaction pooler (a backend there may serve someone else by now).
   */
  cancelQuery?(sessionId: number): Promise<void>;
  /**
   * Prove that this run still holds the lock, inside `db`: the transaction
   * that records a migration (then nothing is recorded unless the lock was
   * held when it commits), or before a statement of a non-transactional
   * migration. Throws LockError (exit 4) when the lock was lost.
   * - lease (Galera): updates the lease row where the owner is this run, so
   *   the transaction writes the row a takeover writes: the cluster certifies
   *   one of the two, never both;
   * - advisory (PostgreSQL): checks that the lock transaction still holds the
   *   lock, under a shared barrier lock that a new holder waits out before it
   *   starts, so a recording that passed the check commits before anyone else migrates.
   * Absent where the lock cannot be lost while the process lives (GET_LOCK, PGlite).
   */
  fence?(db: Knex | Knex.Transaction): Promise<void>;
  /** Who holds it, for messages (`dbkit on ci-7 (pid 4242) since …`). */
  describe?(): string;
}

/** A run's owner id: `dbkit pid 4242 on ci-7 since 2026-11-30T10:00:00.000Z #a1b2c3` (at most 255 characters). */
export function newOwner(pid = process.pid, host = os.hostname(), now = new Date()): string {
  return `dbkit pid ${pid} on ${host.slice(0, 120)} since ${now.toISOString()} #${randomBytes(3).toString('hex')}`;
}
