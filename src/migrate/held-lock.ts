/** A lock some process holds until it calls release(). */
export interface HeldLock {
  release(): Promise<void>;
  /**
   * Cancel the statement running on another session of the same server
   * (its backend pid / connection id), from the lock's own connection: how
   * an interrupt stops a migration mid-statement. Absent on PGlite.
   */
  cancelQuery?(sessionId: number): Promise<void>;
}
