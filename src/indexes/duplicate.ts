/**
 * Duplicate indexes: an index with the same columns (in the same order),
 * method and predicate as another index, or that repeats the columns of the
 * primary key or of a unique constraint. Of a pair, the one advised for
 * dropping is never the definition's own index when the other is not (the
 * definition's is the one `check-indexes` expects), and never a unique one:
 * a hand-made unique index beside the definition's plain one gets no advice.
 */
import { byString, cols, sameList } from '../schema/describe.js';
import type { Index, Table } from '../schema/model.js';
import { ownIndexes } from '../schema/index-match.js';
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

/** Which of a pair to keep and which to advise dropping (null: neither): the definition's own index, else the unique one, else the first by name. */
function keepOf(a: Index, b: Index, own: ReadonlySet<string>): [Index, Index] | null {
  if (own.has(a.name) !== own.has(b.name)) {
    const [keep, drop] = own.has(a.name) ? [a, b] : [b, a];
    return drop.unique ? null : [keep, drop];
  }
  return a.unique === b.unique || a.unique ? [a, b] : [b, a];
}

/** `own`: names of the table's indexes that the definition expects. */
export function duplicateIndexes(table: Table, own: ReadonlySet<string> = new Set()): Advisory[] {
  const indexes = ownIndexes(table).sort((a, b) => byString(a.name, b.name));
  const out = new Map<Index, Advisory>();
  for (const i of indexes) {
    const key = repeatedKey(table, i);
    if (key) out.set(i, advisory(table, i, key));
  }
  const pairs = indexes.flatMap((a, n) => indexes.slice(n + 1).filter((b) => sameDefinition(a, b)).map((b) => [a, b] as const));
  // Pairs of the definition's index and a hand-made one first: the hand-made one is named against the definition's.
  const mixed = ([a, b]: readonly [Index, Index]) => (own.has(a.name) !== own.has(b.name) ? 0 : 1);
  for (const [a, b] of pairs.sort((x, y) => mixed(x) - mixed(y))) {
    if (out.has(a) || out.has(b)) continue;
    const pair = keepOf(a, b, own);
    if (!pair) continue;
    const [keep, drop] = pair;
    out.set(drop, advisory(table, drop, own.has(keep.name) && !own.has(drop.name) ? `the definition's index ${keep.name}` : `index ${keep.name}`));
  }
  return indexes.filter((i) => out.has(i)).map((i) => out.get(i)!);
}
