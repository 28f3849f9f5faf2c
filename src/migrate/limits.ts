/**
 * Every statement of a migration runs under two bounds (src/config/online.ts
 * for the values): how long it waits for its table's lock (a statement
 * queued for a lock makes every query after it queue too, so this bounds
 * the stall it causes) and how long it runs. A statement that gave up
 * waiting did nothing and is tried again, a bounded number of times, with
 * pauses that grow. Statements that let writes go on however long they run
 * (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, MySQL's ALGORITHM=INPLACE,
 * LOCK=NONE) have no run-time bound. The engine's settings and error codes
 * are in dialects/<d>/timeouts.ts.
 */
import { mysqlBounds } from '../../dialects/mysql/timeouts.js';
import { postgresBounds } from '../../dialects/postgres/timeouts.js';
import type { MigrationLimits } from '../config/online.js';
import type { Dialect } from '../schema/model.js';
import type { EngineBounds, SettingStatement } from './bounds.js';
import type { Exec } from './statements.js';

export type { EngineBounds, SettingStatement };

export const boundsOf = (dialect: Dialect): EngineBounds => (dialect === 'mysql' ? mysqlBounds : postgresBounds);

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
 * The statement timeout of one session, set only when it changes: the
 * migration's bound, or none for a statement that runs online.
 */
export class StatementBound {
  private current: number | null = null;

  constructor(
    private readonly exec: Exec,
    private readonly bounds: EngineBounds,
    private readonly limits: MigrationLimits,
    private readonly inTransaction: boolean,
  ) {}

  /** Before `sql` runs. */
  async before(sql: string): Promise<void> {
    const ms = this.bounds.runsOnline(sql) ? 0 : this.limits.statementTimeoutMs;
    if (ms === this.current) return;
    await applySettings(this.exec, this.bounds, this.bounds.setStatement(ms, this.inTransaction));
    this.current = ms;
  }
}

/** The session's lock bound, and its statement bound set for the first statement. */
export async function startSession(exec: Exec, bounds: EngineBounds, limits: MigrationLimits, inTransaction: boolean): Promise<StatementBound> {
  await applySettings(exec, bounds, bounds.setLock(limits.ddlLockTimeoutMs, inTransaction));
  return new StatementBound(exec, bounds, limits, inTransaction);
}

/**
 * The error of a statement that ran past its bound or gave up waiting on
 * its last attempt, with what happened and what to do; other errors as
 * they are. The engine's error stays the cause (its code is kept).
 */
export function explainLimit(err: unknown, bounds: EngineBounds, limits: MigrationLimits, attempts: number): unknown {
  if (!(err instanceof Error)) return err;
  let why: string | null = null;
  if (bounds.statementTimedOut(err)) {
    why =
      `it ran longer than dbkit's statement bound of ${limits.statementTimeoutMs / 1000}s, holding its locks all along; ` +
      'if it must run longer, pass --statement-timeout SECONDS (or set statementTimeout in the config file; 0: no bound)';
  } else if (bounds.lockTimedOut(err)) {
    why =
      `tried ${attempts} time${attempts > 1 ? 's' : ''}, each waiting ${bounds.lockWaitMs(limits.ddlLockTimeoutMs) / 1000}s (${bounds.lockSetting}) ` +
      "for a lock another session holds on the table: end that session's long transaction, or pass --ddl-lock-timeout / --ddl-lock-attempts";
  }
  if (why === null) return err;
  // The MySQL driver's own words are in sqlMessage (what the runner prints); PostgreSQL's in message.
  const e = err as Error & { sqlMessage?: string };
  if (typeof e.sqlMessage === 'string') e.sqlMessage = `${e.sqlMessage} (${why})`;
  else e.message = `${e.message} (${why})`;
  return err;
}
