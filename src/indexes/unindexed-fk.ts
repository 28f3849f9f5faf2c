/**
 * Foreign keys whose columns are not the leading columns of any index: every
 * delete or key update in the referenced table scans the referencing one.
 * The primary key, unique constraints and full, valid indexes all count.
 */
import { cols } from '../schema/describe.js';
import type { ForeignKey, Table } from '../schema/model.js';
import { keyColumns } from '../schema/index-match.js';
import type { Advisory } from './types.js';

/** The first `n` columns of `indexColumns` are the columns of `fk`, in any order. */
const covers = (indexColumns: readonly string[], fk: ForeignKey): boolean => {
  const lead = new Set(indexColumns.slice(0, fk.columns.length));
  return fk.columns.length > 0 && lead.size === fk.columns.length && fk.columns.every((c) => lead.has(c));
};

export function unindexedForeignKeys(table: Table): Advisory[] {
  const keys = keyColumns(table);
  return table.foreignKeys
    .filter((fk) => !keys.some((k) => covers(k.columns, fk)))
    .map((fk) => ({
      kind: 'unindexed_fk',
      table: table.name,
      index: null,
      columns: [...fk.columns],
      message:
        `Foreign key ${table.name} ${cols(fk.columns)} -> ${fk.refTable} has no index leading with its columns: ` +
        `each delete or key update in ${fk.refTable} scans ${table.name}.`,
    }));
}
