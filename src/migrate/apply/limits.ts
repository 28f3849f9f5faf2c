/**
 * Every statement of a migration runs under two bounds (src/config/online.ts
 * for the values): how long it waits for its table's lock (a statement
 * queued for a lock makes every query after it queue too, so this bounds
 * the stall it causes) and how long it runs. A statement that gave up
 * waiting did nothing and is tried again, a bounded number of times, with
 * pauses that grow. Statements that let writes go on however long they run
 * (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, MySQL's ALGORITHM=INPLACE,
 * LOCK=NONE) have no run-time bound. Statements whose lock waits hold
 * nobody up (PostgreSQL's concurrent builds and VALIDATE CONSTRAINT, run
 * statement by statement) wait up to --lock-timeout instead of the short
 * DDL lock bound. The engine's settings and error codes are in
 * dialects/<d>/timeouts.ts.
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import type { MigrationLimits } from '../../config/online.js';
import type { Dialect } from '../../schema/model.js';
import type { EngineBounds, SettingStatement } from '../../port/bounds.js';
import type { Exec } from './statements.js';

export type { EngineBounds, SettingStatement };

export const boundsOf = (dialect: Dialect): EngineBounds => dialectFor(dialect).bounds;

/** Run setting statements, skipping an optional one the server does not know. */
export async function applySettings(exec: Exec, bounds: EngineBounds, statements: SettingStatement[]): Promise<void> {
  for (const s of statements) {
    try {
      await exec(s.sql);
    } catch (err) {
      if (!s.optional || !bounds.unknownSetting(err)) throw err;
    }
  }
}

/**
 * The statement and lock bounds of one session, set only when they change:
 * the migration's statement bound, or none for a statement that runs online;
 * the DDL lock bound, or `onlineLockMs` (--lock-timeout) for a statement
 * whose waits hold nobody up (EngineBounds.waitsOnline), when given (outside
 * a transaction: in one, the locks taken before would be held all along).
 */
export class StatementBound {
  private statementMs: number | null = null;

  constructor(
    private readonly exec: Exec,
    private readonly bounds: EngineBounds,
    private readonly limits: MigrationLimits,
    private readonly inTransaction: boolean,
    private readonly onlineLockMs: number | null = null,
    /** The lock bound the session has now (null: not known, set before the first statement). */
    private lockMs: number | null = null,
  ) {}

  /** How long `sql` may wait for its locks, in milliseconds. */
  lockBoundMs(sql: string): number {
    return this.onlineLockMs !== null && this.bounds.waitsOnline(sql) ? this.onlineLockMs : this.limits.ddlLockTimeoutMs;
  }

  /** Before `sql` runs. */
  async before(sql: string): Promise<void> {
    const ms = this.bounds.runsOnline(sql) ? 0 : this.limits.statementTimeoutMs;
    if (ms !== this.statementMs) {
      await applySettings(this.exec, this.bounds, this.bounds.setStatement(ms, this.inTransaction));
      this.statementMs = ms;
    }
    const lock = this.lockBoundMs(sql);
    if (lock !== this.lockMs) {
      await applySettings(this.exec, this.bounds, this.bounds.setLock(lock, this.inTransaction));
      this.lockMs = lock;
    }
  }
}

/** The bound of a statement that waits online: --lock-timeout, never less than the DDL lock bound, never unbounded (--lock-timeout 0). */
export const onlineLockBoundMs = (lockTimeoutMs: number, limits: MigrationLimits): number => Math.max(lockTimeoutMs, limits.ddlLockTimeoutMs);

/** The session's lock bound, and its statement bound set for the first statement; `onlineLockMs`: see StatementBound. */
export async function startSession(exec: Exec, bounds: EngineBounds, limits: MigrationLimits, inTransaction: boolean, onlineLockMs: number | null = null): Promise<StatementBound> {
  await applySettings(exec, bounds, bounds.setLock(limits.ddlLockTimeoutMs, inTransaction));
  return new StatementBound(exec, bounds, limits, inTransaction, onlineLockMs, limits.ddlLockTimeoutMs);
}

/**
 * The error of a statement that ran past its bound or gave up waiting on
 * its last attempt, with what happened and what to do; other errors as
 * they are. The engine's error stays the cause (its code is kept).
 */
export function explainLimit(err: unknown, bounds: EngineBounds, limits: MigrationLimits, attempts: number, wait?: LockWait): unknown {
  if (!(err instanceof Error)) return err;
  let why: string | null = null;
  if (bounds.statementTimedOut(err)) {
    why =
      `it ran longer than dbkit's statement bound of ${limits.statementTimeoutMs / 1000}s, holding its locks all along; ` +
      'if it must run longer, pass --statement-timeout SECONDS (or set statementTimeout in the config file; 0: no bound)';
  } else if (bounds.lockTimedOut(err)) {
    const w = wait ?? ddlWait(bounds, limits);
    why = `tried ${attempts} time${attempts > 1 ? 's' : ''}, each waiting ${w.seconds}s (${w.setting}) for ${w.what}: ${w.advice}`;
  }
  if (why === null) return err;
  // Out of attempts at a lock: exit 4 (the lock was not acquired in time), not 5, at the entry point.
  if (bounds.lockTimedOut(err)) Object.assign(err, { gaveUpWaiting: true });
  // The MySQL driver's own words are in sqlMessage (what the runner prints); PostgreSQL's in message.
  const e = err as Error & { sqlMessage?: string };
  if (typeof e.sqlMessage === 'string') e.sqlMessage = `${e.sqlMessage} (${why})`;
  else e.message = `${e.message} (${why})`;
  return err;
}

/** How long a statement waited before it gave up, on what, and what to do (for notes and the last attempt's error). */
export interface LockWait {
  seconds: number;
  /** `lock_timeout`, `lock_timeout, --lock-timeout`. */
  setting: string;
  what: string;
  advice: string;
}

/** A DDL statement's wait: for a lock another session holds on its table. */
export const ddlWait = (bounds: EngineBounds, limits: MigrationLimits, what = 'a lock another session holds on the table'): LockWait => ({
  seconds: bounds.lockWaitMs(limits.ddlLockTimeoutMs) / 1000,
  setting: bounds.lockSetting,
  what,
  advice: "end that session's long transaction, or pass --ddl-lock-timeout / --ddl-lock-attempts",
});

/** An online statement's wait (bounded by --lock-timeout): for `what`. */
export const onlineWait = (bounds: EngineBounds, ms: number, what: string): LockWait => ({
  seconds: bounds.lockWaitMs(ms) / 1000,
  setting: `${bounds.lockSetting}, --lock-timeout`,
  what,
  advice: 'end the long transaction or query that holds it up, or pass a longer --lock-timeout (or --ddl-lock-attempts)',
});
