/**
 * Where a live database differs from the definition: the differ's changes,
 * looked up by what they are about (a table, column, index or constraint),
 * so that the document can mark those rows.
 */
import type { Change } from '../diff/changes.js';

type Group = 'table' | 'column' | 'index' | 'constraint' | 'trigger';

const groupOf = (c: Change): Group | null => {
  if (c.kind.startsWith('table_')) return 'table';
  if (c.kind.startsWith('column_')) return 'column';
  if (c.kind.startsWith('index_')) return 'index';
  if (c.kind.startsWith('trigger_')) return 'trigger';
  if (c.kind === 'primary_key' || c.kind.startsWith('unique_') || c.kind.startsWith('foreign_key_')) return 'constraint';
  return null;
};

export interface Marks {
  /** The changes of one table, in the differ's order. */
  ofTable(table: string): Change[];
  /** Changes that belong to no table (enum types). */
  schemaLevel(): Change[];
  column(table: string, name: string): boolean;
  index(table: string, name: string): boolean;
  /** `label`: `PRIMARY KEY`, `UNIQUE (a, b)`, `FOREIGN KEY (a) REFERENCES t (id)` (src/schema/describe.ts). */
  constraint(table: string, label: string): boolean;
}

const key = (group: Group, table: string, name: string) => `${group}\u0000${table}\u0000${name}`;

export function marksOf(changes: Change[] | null): Marks {
  const all = changes ?? [];
  const set = new Set<string>();
  for (const c of all) {
    const g = groupOf(c);
    if (g && c.table !== null) set.add(key(g, c.table, c.name));
  }
  return {
    ofTable: (table) => all.filter((c) => c.table === table),
    schemaLevel: () => all.filter((c) => c.table === null),
    column: (table, name) => set.has(key('column', table, name)),
    index: (table, name) => set.has(key('index', table, name)),
    constraint: (table, label) => set.has(key('constraint', table, label)),
  };
}
