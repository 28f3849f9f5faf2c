/** A lock some process holds until it calls release(). */
import type { Knex } from 'knex';

export interface HeldLock {
  release(): Promise<void>;
  /**
   * Cancel the statement running on another session of the same server
   * (its backend pid / connection id), from the lock's own connection: how
   * an interrupt stops a migration mid-statement. Absent on PGlite.
   */
  cancelQuery?(sessionId: number): Promise<void>;
  /**
   * Throws when the lock was lost (a lease that expired or was taken over).
   * Called in the same transaction that records a migration, and before each
   * statement of a migration that runs outside a transaction.
   */
  fence?(db: Knex | Knex.Transaction): Promise<void>;
}
