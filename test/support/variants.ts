/** The four expected variants, and small lookups the unit tests share. */
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import type { DbSchema, Table } from '../../src/schema/model.js';

export const VARIANTS = {
  'agents/postgres': () => expectedVariant('agents', 'postgres'),
  'agents/mysql': () => expectedVariant('agents', 'mysql'),
  'chat/postgres': () => expectedVariant('chat', 'postgres'),
  'chat/mysql': () => expectedVariant('chat', 'mysql'),
};
export const variantNames = Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>;

export const tableOf = (schema: DbSchema, name: string): Table => schema.tables.find((t) => t.name === name)!;

/**
 * Constraint names the design leaves to the engine are compared by structure:
 * blank them. Which index MySQL made by itself is not in the catalog either:
 * indexes are compared by name and columns.
 */
export function withoutConstraintNames(table: Table): Table {
  return {
    ...table,
    primaryKey: table.primaryKey && { ...table.primaryKey, name: null },
    uniques: table.uniques.map((u) => ({ ...u, name: null })),
    foreignKeys: table.foreignKeys.map((f) => ({ ...f, name: null })),
    indexes: table.indexes.map(({ implicit: _implicit, ...i }) => i),
  };
}
