/**
 * Migrations run in the order of their timestamps. A pending migration that
 * sorts before one this database has applied was made on another branch
 * (or its folder was renamed): applying it now runs it in another order
 * than a fresh database does, which may end in another schema. `migrate`
 * refuses it (exit 1, naming both), unless --allow-out-of-order, which
 * applies it and records that it was applied out of order. Pure.
 */
import { DbkitError, ExitCode } from '../../shared/errors.js';
import type { MigrationEntry } from './state.js';

export interface OutOfOrder {
  name: string;
  /** The newest applied migration that sorts after it. */
  after: string;
}

/** A pending migration sorts before an applied one. Exit 1 (a check found something). */
export class OutOfOrderError extends DbkitError {
  constructor(message: string) {
    super(message, ExitCode.found);
  }
}

/** The migrations of `todo` that sort before a migration the database has applied. */
export function outOfOrder(entries: readonly MigrationEntry[], todo: readonly string[]): OutOfOrder[] {
  const applied = entries.filter((e) => e.state !== 'pending').map((e) => e.name).sort();
  const newest = applied.at(-1);
  if (!newest) return [];
  return todo.filter((n) => n < newest).map((name) => ({ name, after: applied.filter((a) => a > name).at(-1)! }));
}

/** Throws OutOfOrderError unless allowed; returns the names to record as applied out of order. */
export function checkOrder(entries: readonly MigrationEntry[], todo: readonly string[], allow: boolean): string[] {
  const late = outOfOrder(entries, todo);
  if (!late.length || allow) return late.map((l) => l.name);
  const list = late.map((l) => `${l.name} sorts before ${l.after}`).join('; ');
  throw new OutOfOrderError(
    `${list}, which this database has applied: nothing was migrated. A fresh database runs them in the other order; ` +
      `if the order does not matter (a migration from another branch), apply ${late.length > 1 ? 'them' : 'it'} with dbkit migrate --allow-out-of-order (recorded as applied out of order), else make ${late.length > 1 ? 'them' : 'it'} again on top (docs/recovery.md)`,
  );
}
