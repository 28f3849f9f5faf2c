/**
 * A MySQL table's own character set and collation (its columns are compared
 * relative to them, in columns.ts): a table converted to latin1, or to a
 * binary collation, is drift of the table. Both sides in normal form: absent
 * means the variant's utf8mb4 and the character set's default collation.
 */
import { DEFAULT_TABLE_CHARSET, type Table } from '../schema/model.js';
import type { Change } from './changes.js';

export function diffTableCharset(actual: Table, expected: Table): Change[] {
  const out: Change[] = [];
  const table = expected.name;
  const [ac, ec] = [actual.charset ?? null, expected.charset ?? null];
  if (ac !== ec) {
    out.push({
      kind: 'table_charset',
      table,
      name: table,
      expected: ec,
      actual: ac,
      message: `Table ${table} has character set ${ac ?? DEFAULT_TABLE_CHARSET}, expected ${ec ?? DEFAULT_TABLE_CHARSET} (its text columns follow the table).`,
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
      message: `Table ${table} has ${al === null ? 'the default collation' : `collation ${al}`}, expected ${el === null ? `the default of ${ec ?? DEFAULT_TABLE_CHARSET}` : el}.`,
    });
  }
  return out;
}
