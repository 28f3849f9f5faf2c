/**
 * Duplicate indexes: an index with the same columns (in the same order),
 * method and predicate as another index, or that repeats the columns of the
 * primary key or of a unique constraint. The one advised for dropping is
 * never the only unique one of a pair.
 */
import { byString, cols, sameList } from '../diff/describe.js';
import type { Index, Table } from '../schema/model.js';
import { ownIndexes } from './match.js';
import type { Advisory } from './types.js';

const sameDefinition = (a: Index, b: Index): boolean =>
  sameList(a.columns, b.columns) && a.method === b.method && a.where === b.where;

/** The key (primary key or unique constraint) a plain btree index repeats, if any. */
function repeatedKey(table: Table, i: Index): string | null {
  if (i.method !== 'btree' || i.where !== null) return null;
  if (table.primaryKey && sameList(table.primaryKey.columns, i.columns)) return 'the primary key';
  const u = table.uniques.find((x) => sameList(x.columns, i.columns));
  return u ? `the unique constraint ${cols(u.columns)}${u.name ? ` (${u.name})` : ''}` : null;
}

const advisory = (table: Table, i: Index, what: string): Advisory => ({
  kind: 'duplicate',
  table: table.name,
  index: i.name,
  columns: [...i.columns],
  message: `Index ${i.name} on ${table.name} ${cols(i.columns)} duplicates ${what}; drop it.`,
});

export function duplicateIndexes(table: Table): Advisory[] {
  const indexes = ownIndexes(table).sort((a, b) => byString(a.name, b.name));
  const out = new Map<Index, Advisory>();
  for (const i of indexes) {
    const key = repeatedKey(table, i);
    if (key) out.set(i, advisory(table, i, key));
  }
  indexes.forEach((a, n) => {
    for (const b of indexes.slice(n + 1)) {
      if (out.has(a) || out.has(b) || !sameDefinition(a, b)) continue;
      // Keep the unique one of a mixed pair; otherwise keep the first by name.
      const [keep, drop] = a.unique === b.unique || a.unique ? [a, b] : [b, a];
      out.set(drop, advisory(table, drop, `index ${keep.name}`));
    }
  });
  return indexes.filter((i) => out.has(i)).map((i) => out.get(i)!);
}
