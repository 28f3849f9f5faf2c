/**
 * Redundant indexes: a non-unique btree index whose columns are a strict left
 * prefix of another index (same method and predicate) or of a key, which
 * serves the same lookups. A unique index is never advised for dropping: it
 * enforces something the longer one does not; nor is the definition's own
 * index for the sake of one the definition does not have.
 */
import { byString, cols } from '../schema/describe.js';
import type { Index, Table } from '../schema/model.js';
import { leadsWith, ownIndexes } from '../schema/index-match.js';
import type { Advisory } from './types.js';

interface Longer {
  label: string;
  columns: string[];
  method: string;
  where: string | null;
}

function longerKeys(table: Table, indexes: Index[]): Longer[] {
  const keys = [
    ...(table.primaryKey ? [{ label: 'the primary key', columns: table.primaryKey.columns }] : []),
    ...table.uniques.map((u) => ({ label: `the unique constraint ${cols(u.columns)}`, columns: u.columns })),
  ].map((k) => ({ ...k, method: 'btree', where: null }));
  const valid = indexes.filter((i) => i.valid !== false).map((i) => ({ ...i, label: i.name }));
  return [...valid, ...keys];
}

/** `own`: names of the table's indexes that the definition expects. */
export function redundantIndexes(table: Table, own: ReadonlySet<string> = new Set()): Advisory[] {
  const indexes = ownIndexes(table).sort((a, b) => byString(a.name, b.name));
  const longer = longerKeys(table, indexes);
  const out: Advisory[] = [];
  for (const i of indexes) {
    if (i.unique || i.method !== 'btree') continue;
    // The longest such key, so that the advice never points at an index that is itself redundant.
    const by = longer
      .filter((k) => k.columns.length > i.columns.length && k.method === i.method && k.where === i.where)
      .filter((k) => !own.has(i.name) || !indexes.some((x) => x.name === k.label) || own.has(k.label))
      .filter((k) => leadsWith(k.columns, i.columns))
      .reduce<Longer | null>((best, k) => (best && best.columns.length >= k.columns.length ? best : k), null);
    if (!by) continue;
    out.push({
      kind: 'redundant',
      table: table.name,
      index: i.name,
      columns: [...i.columns],
      message:
        `Index ${i.name} on ${table.name} ${cols(i.columns)} is a left prefix of ` +
        `${by.label} ${cols(by.columns)}; drop it.`,
    });
  }
  return out;
}
