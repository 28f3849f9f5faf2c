/**
 * What a seed run may have committed, by key: the ids of the users whose
 * rows went into a transaction that was sent its COMMIT (their rows go with
 * them: see src/rows/coverage.ts), and the ids of the rows that do not go
 * with a user (rows no user owns, and rows of tables that do not cascade
 * from users). A failed run takes back exactly these (src/seed/undo.ts);
 * rows of a transaction that rolled back are never recorded, so a run never
 * deletes a key it did not write.
 */
import type { IdValue } from '../fake/types.js';

/** Ids per table. */
export type IdsByTable = Record<string, IdValue[]>;

export class Ledger {
  /** users.id of every user whose rows may be committed. */
  readonly users: IdValue[] = [];
  /** Rows of users' trees that do not cascade from their user, per table. */
  readonly owned = new Map<string, IdValue[]>();
  /** Rows no user owns (written once, with the first chunk), per table. */
  readonly shared = new Map<string, IdValue[]>();
  /** COMMITs sent (a COMMIT that failed may still have gone through). */
  commits = 0;

  private static add(into: Map<string, IdValue[]>, table: string, ids: readonly IdValue[]): void {
    if (!ids.length) return;
    const list = into.get(table);
    if (list) for (const id of ids) list.push(id);
    else into.set(table, [...ids]);
  }

  /** Record what a transaction holds, just before its COMMIT is sent. */
  record(what: { users?: readonly IdValue[]; owned?: IdsByTable; shared?: IdsByTable }): void {
    this.commits++;
    if (what.users) for (const id of what.users) this.users.push(id);
    for (const [t, ids] of Object.entries(what.owned ?? {})) Ledger.add(this.owned, t, ids);
    for (const [t, ids] of Object.entries(what.shared ?? {})) Ledger.add(this.shared, t, ids);
  }

  /** Nothing was ever sent a COMMIT: the run wrote nothing. */
  get empty(): boolean {
    return this.commits === 0;
  }
}
