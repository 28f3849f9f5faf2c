/** The engine half of a migration statement's bounds (src/migrate/limits.ts; filled in dialects/<d>/timeouts.ts). */

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
  lockTimedOut(err: unknown): boolean;
  statementTimedOut(err: unknown): boolean;
  unknownSetting(err: unknown): boolean;
}
