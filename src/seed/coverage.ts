/**
 * Which tables' rows leave with their user: deleting a users row removes
 * every row that reaches it through NOT NULL foreign keys with ON DELETE
 * CASCADE. A failed seed deletes its users by id and lets the engine remove
 * those rows; rows of any other table are recorded by id and deleted one by
 * one (src/seed/ledger.ts). Read from the expected physical model, so a
 * changed foreign key changes what is recorded.
 */
import type { DbSchema } from '../schema/model.js';

/** The table every seeded user tree hangs from. */
export const USERS = 'users';

/** Tables whose every row is deleted by the engine when the users row it reaches is (users included). */
export function cascadingFromUsers(model: DbSchema): Set<string> {
  const covered = new Set<string>([USERS]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const table of model.tables) {
      if (covered.has(table.name)) continue;
      const notNull = (c: string) => table.columns.find((col) => col.name === c)?.nullable === false;
      const cascades = table.foreignKeys.some((fk) => fk.onDelete === 'CASCADE' && covered.has(fk.refTable) && fk.columns.every(notNull));
      if (cascades) {
        covered.add(table.name);
        grew = true;
      }
    }
  }
  return covered;
}
