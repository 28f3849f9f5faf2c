/**
 * A MySQL table's own character set and collation: a table converted to
 * latin1, or to a binary collation, or whose default alone was changed
 * (`ALTER TABLE t DEFAULT CHARACTER SET latin1`), is drift of the table.
 * Both sides in normal form: absent means the variant's utf8mb4 and the
 * character set's default collation. The columns of such a table are
 * compared with what the definition expects (columns.ts); one that has the
 * table's own character set and collation follows the table, and the
 * table's change says it for all of them.
 */
import { DEFAULT_TABLE_CHARSET, type Column, type Table } from '../schema/model.js';
import type { Change } from './changes.js';

/** Whether `table`'s own character set or collation is not the variant's. */
export const tableDrifted = (table: Table): boolean => !!(table.charset || table.collation);

/** A text column of a drifted table that has the table's own character set and collation (CONVERT TO made it so). */
export const followsTable = (table: Table, column: Column): boolean =>
  tableDrifted(table) && (column.charset ?? null) === (table.charset ?? null) && (column.collation ?? null) === (table.collation ?? null);

export function diffTableCharset(actual: Table, expected: Table): Change[] {
  const out: Change[] = [];
  const table = expected.name;
  const [ac, ec] = [actual.charset ?? null, expected.charset ?? null];
  // Converted (its text columns have its character set) or only its default changed (they kept the definition's).
  const follow = actual.columns.some((c) => followsTable(actual, c))
    ? 'its text columns follow the table'
    : `its text columns are still ${ec ?? DEFAULT_TABLE_CHARSET}: only the default for columns added later differs`;
  if (ac !== ec) {
    out.push({
      kind: 'table_charset',
      table,
      name: table,
      expected: ec,
      actual: ac,
      message: `Table ${table} has character set ${ac ?? DEFAULT_TABLE_CHARSET}, expected ${ec ?? DEFAULT_TABLE_CHARSET} (${follow}).`,
    });
  }
  const [al, el] = [actual.collation ?? null, expected.collation ?? null];
  if (al !== el) {
    out.push({
      kind: 'table_collation',
      table,
      name: table,
      expected: el,
      actual: al,
      message: `Table ${table} has ${al === null ? 'the default collation' : `collation ${al}`}, expected ${el === null ? `the default of ${ec ?? DEFAULT_TABLE_CHARSET}` : el}${ac === ec ? ` (${follow})` : ''}.`,
    });
  }
  return out;
}
