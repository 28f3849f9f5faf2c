/**
 * Which tables' rows belong to a user by the schema's own rules, and how to
 * reach that user from them: a row belongs to the users row it reaches
 * through NOT NULL single-column foreign keys with ON DELETE CASCADE
 * (deleting the user would delete it). A failed seed takes such rows back
 * by joining up that path to the run's users (src/seed/undo.ts), children
 * before parents; rows of any other table are recorded by id
 * (src/seed/ledger.ts). Read from the expected physical model, so a changed
 * foreign key changes what is recorded.
 */
import type { DbSchema } from '../schema/model.js';

/** The table every seeded user tree hangs from. */
export const USERS = 'users';

/** One step up a path: `column` of the table holds the `parentColumn` key of `parent`. */
export interface Hop {
  column: string;
  parent: string;
  parentColumn: string;
}

/**
 * For each table whose rows belong to a user, the shortest path of NOT NULL
 * cascading foreign keys from it to `users` (users itself: an empty path).
 */
export function pathsToUsers(model: DbSchema): Map<string, Hop[]> {
  const paths = new Map<string, Hop[]>([[USERS, []]]);
  // Wave by wave from users: each table gets a path through a table of the wave before, so the shortest.
  for (let wave = [USERS]; wave.length; ) {
    const next: string[] = [];
    for (const table of model.tables) {
      if (paths.has(table.name)) continue;
      const notNull = (c: string) => table.columns.find((col) => col.name === c)?.nullable === false;
      const fk = table.foreignKeys.find(
        (f) => f.onDelete === 'CASCADE' && f.columns.length === 1 && notNull(f.columns[0]!) && wave.includes(f.refTable) && (f.refTable !== USERS || f.refColumns[0] === 'id'),
      );
      if (!fk) continue;
      paths.set(table.name, [{ column: fk.columns[0]!, parent: fk.refTable, parentColumn: fk.refColumns[0]! }, ...paths.get(fk.refTable)!]);
      next.push(table.name);
    }
    wave = next;
  }
  return paths;
}

/** Tables whose every row is deleted by the engine when the users row it reaches is (users included). */
export function cascadingFromUsers(model: DbSchema): Set<string> {
  return new Set(pathsToUsers(model).keys());
}
