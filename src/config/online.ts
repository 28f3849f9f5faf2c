/**
 * How migrate and rollback bound each statement, and whether MySQL table
 * copies run through pt-online-schema-change: flags over the config file
 * over the defaults (docs/online-changes.md).
 *
 *   --statement-timeout S   statementTimeout   60    seconds a statement may run; 0: no bound.
 *                                                    CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT
 *                                                    and MySQL's ALGORITHM=INPLACE, LOCK=NONE are
 *                                                    exempt: they let writes go on however long
 *   --ddl-lock-timeout S    ddlLockTimeout     0.5   seconds a statement waits for its table's lock
 *                                                    (PostgreSQL lock_timeout; MySQL lock_wait_timeout,
 *                                                    whole seconds, at least 1) before it gives up;
 *                                                    PostgreSQL's online statements (a concurrent
 *                                                    build, VALIDATE) wait up to --lock-timeout
 *   --ddl-lock-attempts N   ddlLockAttempts    10    tries of a statement that gave up waiting, with
 *                                                    pauses of 0.5, 1, 2, 4, then 5 s between them
 *   --online pt-osc|none    online             none  MySQL: statements marked blocking (table copies)
 *                                                    run through pt-online-schema-change
 */
import { UsageError } from '../shared/errors.js';
import { readSeconds } from './seconds.js';

export type OnlineMethod = 'pt-osc' | 'none';
export const ONLINE_METHODS: readonly OnlineMethod[] = ['pt-osc', 'none'];

export interface MigrationLimits {
  /** 0: none. */
  statementTimeoutMs: number;
  ddlLockTimeoutMs: number;
  ddlLockAttempts: number;
  online: OnlineMethod;
}

export const DEFAULT_LIMITS: MigrationLimits = { statementTimeoutMs: 60_000, ddlLockTimeoutMs: 500, ddlLockAttempts: 10, online: 'none' };

/**
 * The values as given: flags are strings, the config file's numbers (or
 * strings); undefined is unset. An empty value is a usage error (the CLI and
 * the config loader refuse one first; refused here too, never read as unset
 * or as 0, which would be "no bound").
 */
export interface LimitInputs {
  statementTimeout?: string | number;
  ddlLockTimeout?: string | number;
  ddlLockAttempts?: string | number;
  online?: string;
}

const unset = (v: string | number | undefined): v is undefined => v === undefined;

function nonEmpty<T extends string | number>(name: string, v: T): T {
  if (typeof v === 'string' && v.trim() === '') throw new UsageError(`${name} is empty: give it a value, or leave it out`);
  return v;
}

function seconds(name: string, v: string | number, zero: boolean): number {
  const n = readSeconds(nonEmpty(name, v));
  if (n === null || (!zero && n === 0)) {
    throw new UsageError(`${name} must be a number of seconds${zero ? ' (0: no bound)' : ' more than 0'}, got "${v}"`);
  }
  return Math.round(n * 1000);
}

function attempts(name: string, v: string | number): number {
  const n = Number(nonEmpty(name, v));
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new UsageError(`${name} must be a whole number from 1 to 100, got "${v}"`);
  return n;
}

function method(name: string, v: string): OnlineMethod {
  const m = nonEmpty(name, v).trim().toLowerCase();
  if (!(ONLINE_METHODS as readonly string[]).includes(m)) throw new UsageError(`${name} must be one of ${ONLINE_METHODS.join(', ')}, got "${v}"`);
  return m as OnlineMethod;
}

/** `over` (flags, named `--kebab-case`) over `base`; `names` says how to name a bad value (flag or config key). */
export function applyLimits(base: MigrationLimits, over: LimitInputs, names: 'flags' | 'config'): MigrationLimits {
  const n = (flag: string, key: string) => (names === 'flags' ? flag : `config "${key}"`);
  return {
    statementTimeoutMs: unset(over.statementTimeout) ? base.statementTimeoutMs : seconds(n('--statement-timeout', 'statementTimeout'), over.statementTimeout, true),
    ddlLockTimeoutMs: unset(over.ddlLockTimeout) ? base.ddlLockTimeoutMs : seconds(n('--ddl-lock-timeout', 'ddlLockTimeout'), over.ddlLockTimeout, false),
    ddlLockAttempts: unset(over.ddlLockAttempts) ? base.ddlLockAttempts : attempts(n('--ddl-lock-attempts', 'ddlLockAttempts'), over.ddlLockAttempts),
    online: unset(over.online) ? base.online : method(n('--online', 'online'), over.online),
  };
}

/** The pause before attempt `attempt + 1` of a statement that gave up waiting for a lock: 0.5 s, doubling, at most 5 s. */
export const lockRetryPauseMs = (attempt: number): number => Math.min(500 * 2 ** (attempt - 1), 5_000);
