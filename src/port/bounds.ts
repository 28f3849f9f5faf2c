/** The engine half of a migration statement's bounds (src/migrate/apply/limits.ts; filled in dialects/<d>/timeouts.ts). */

/** A setting statement; `optional`: skipped when the server does not know the setting. */
export interface SettingStatement {
  sql: string;
  optional?: true;
}

/** What differs between engines (dialects/<d>/timeouts.ts). */
export interface EngineBounds {
  /** The setting's name, for messages. */
  lockSetting: string;
  /** How long the lock wait really is for a bound of `ms` (MySQL rounds up to whole seconds). */
  lockWaitMs(ms: number): number;
  setLock(ms: number, inTransaction: boolean): SettingStatement[];
  /** 0: no bound. */
  setStatement(ms: number, inTransaction: boolean): SettingStatement[];
  /** Back to the server's defaults (statement by statement, on a pooled session). */
  reset(): SettingStatement[];
  /** The statement lets writes go on however long it runs: no run-time bound. */
  runsOnline(sql: string): boolean;
  /**
   * While the statement waits for its locks, other sessions' reads and writes
   * go on (PostgreSQL's SHARE UPDATE EXCLUSIVE of a concurrent build, DROP
   * INDEX CONCURRENTLY, VALIDATE CONSTRAINT; their waits for other
   * transactions to end lock nothing): its waits are bounded by --lock-timeout,
   * not by the short DDL lock bound, which only keeps a queued exclusive lock
   * from stalling everyone behind it. Not MySQL's ALGORITHM=INPLACE: it needs
   * an exclusive metadata lock at its start and end, and every query on the
   * table queues behind that request.
   */
  waitsOnline(sql: string): boolean;
  /**
   * What a statement that waits online was waiting for when it gave up;
   * `indexMade`: the index it builds is in the catalog, so a concurrent
   * build got past its table lock and was waiting for other transactions.
   */
  waitedFor(sql: string, indexMade: boolean): string;
  lockTimedOut(err: unknown): boolean;
  statementTimedOut(err: unknown): boolean;
  unknownSetting(err: unknown): boolean;
}
