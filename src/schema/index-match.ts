/**
 * Pairing of a table's expected indexes with its actual ones, shared by the
 * differ and `check-indexes`. Indexes the design names are paired by name.
 * MySQL's implicit foreign-key index (`implicit: true`) is paired by columns
 * whatever its name; when none has exactly its columns it is satisfied by
 * any index or key that leads with them, as MySQL then needs none of its own
 * (and drops the one it made when such an index is added).
 */
import { PRIMARY_KEY_LABEL, sameList, uniqueLabel } from './describe.js';
import type { Index, Table } from './model.js';

/** True when `columns` are the leading columns of `indexColumns`, in order. */
export const leadsWith = (indexColumns: readonly string[], columns: readonly string[]): boolean =>
  columns.length <= indexColumns.length && columns.every((c, i) => indexColumns[i] === c);

/**
 * The indexes of a table except those behind its primary key or a unique
 * constraint (an index of the same name), for which the constraint speaks.
 */
export function ownIndexes(table: Table): Index[] {
  const names = new Set<string>();
  if (table.primaryKey?.name) names.add(table.primaryKey.name);
  for (const u of table.uniques) if (u.name) names.add(u.name);
  return table.indexes.filter((i) => !names.has(i.name));
}

/** Keys and full (non-partial) indexes of a table, as column lists with a label. */
export function keyColumns(table: Table): Array<{ label: string; columns: string[]; unique: boolean }> {
  return [
    ...(table.primaryKey ? [{ label: PRIMARY_KEY_LABEL, columns: table.primaryKey.columns, unique: true }] : []),
    ...table.uniques.map((u) => ({ label: uniqueLabel(u), columns: u.columns, unique: true })),
    ...ownIndexes(table)
      .filter((i) => i.where === null && i.valid !== false)
      .map((i) => ({ label: i.name, columns: i.columns, unique: i.unique })),
  ];
}

export interface IndexPair {
  expected: Index;
  /** The actual index paired with the expected one, or null. */
  actual: Index | null;
  /** For an implicit index with no index of its own: the key or index that serves instead. */
  coveredBy: string | null;
}

export interface IndexPairing {
  pairs: IndexPair[];
  /** Actual indexes no expected index accounts for. */
  extra: Index[];
}

export function pairIndexes(actual: Table, expected: Table): IndexPairing {
  const pool = ownIndexes(actual);
  const used = new Set<Index>();
  const found = new Map<Index, IndexPair>();
  const take = (e: Index, test: (a: Index) => boolean): Index | null => {
    const a = pool.find((x) => !used.has(x) && test(x)) ?? null;
    if (a) used.add(a);
    return a;
  };
  for (const e of expected.indexes) {
    if (!e.implicit) found.set(e, { expected: e, actual: take(e, (a) => a.name === e.name), coveredBy: null });
  }
  for (const e of expected.indexes) {
    if (!e.implicit) continue;
    const a = take(e, (x) => sameList(x.columns, e.columns));
    const cover = a ? undefined : keyColumns(actual).find((k) => leadsWith(k.columns, e.columns));
    found.set(e, { expected: e, actual: a, coveredBy: cover?.label ?? null });
  }
  return {
    pairs: expected.indexes.map((e) => found.get(e)!),
    extra: pool.filter((a) => !used.has(a)),
  };
}
