/** Columns and the table comment: matched by name, compared attribute by attribute. */
import { DEFAULT_TABLE_CHARSET, type Column, type Table } from '../schema/model.js';
import type { Change } from './changes.js';
import { hasVersus, quote } from '../schema/describe.js';
import { followsTable, tableDrifted } from './table-charset.js';

const quoted = (value: string | null): string | null => (value === null ? null : quote(value));

const nullability = (nullable: boolean): string => (nullable ? 'nullable' : 'NOT NULL');
const autoIncrement = (on: boolean): string => (on ? 'auto-increment' : 'not auto-increment');

/**
 * `drifted`: the live table's own character set or collation is not the
 * variant's; its columns are compared with what the definition expects (the
 * model's normal form), and one that follows the table is the table's
 * change (table-charset.ts), not one of its own.
 */
function diffColumn(table: string, a: Column, e: Column, drifted: { follows: boolean } | null): Change[] {
  const out: Change[] = [];
  const col = `${table}.${e.name}`;
  const base = { table, name: e.name };
  if (a.type !== e.type) {
    out.push({
      ...base,
      kind: 'column_type',
      expected: e.type,
      actual: a.type,
      message: `Column ${col} has type ${a.type}, expected ${e.type}.`,
    });
  }
  if (a.nullable !== e.nullable) {
    out.push({
      ...base,
      kind: 'column_nullable',
      expected: e.nullable,
      actual: a.nullable,
      message: `Column ${col} is ${nullability(a.nullable)}, expected ${nullability(e.nullable)}.`,
    });
  }
  if (a.default !== e.default) {
    out.push({
      ...base,
      kind: 'column_default',
      expected: e.default,
      actual: a.default,
      message: `Column ${col} ${hasVersus('default', a.default, e.default)}.`,
    });
  }
  if (a.autoIncrement !== e.autoIncrement) {
    out.push({
      ...base,
      kind: 'column_auto_increment',
      expected: e.autoIncrement,
      actual: a.autoIncrement,
      message: `Column ${col} is ${autoIncrement(a.autoIncrement)}, expected ${autoIncrement(e.autoIncrement)}.`,
    });
  }
  if (a.onUpdate !== e.onUpdate) {
    out.push({
      ...base,
      kind: 'column_on_update',
      expected: e.onUpdate,
      actual: a.onUpdate,
      message: `Column ${col} ${hasVersus('ON UPDATE', a.onUpdate, e.onUpdate)}.`,
    });
  }
  const [ac, ec] = [a.collation ?? null, e.collation ?? null];
  if (ac !== ec && !drifted?.follows) {
    out.push({
      ...base,
      kind: 'column_collation',
      expected: ec,
      actual: ac,
      message: `Column ${col} has ${ac === null ? 'the default collation' : `collation ${ac}`}, expected ${ec === null ? 'the default' : ec}.`,
    });
  }
  const [as, es] = [a.charset ?? null, e.charset ?? null];
  if (as !== es && !drifted?.follows) {
    // Beside a drifted table, "the table's" would name the wrong one: the definition's is said.
    const theTables = (c: string | null) => (c !== null ? c : drifted ? `${DEFAULT_TABLE_CHARSET} (the definition's)` : "the table's");
    out.push({
      ...base,
      kind: 'column_charset',
      expected: es,
      actual: as,
      message: `Column ${col} has ${as === null ? (drifted ? `character set ${DEFAULT_TABLE_CHARSET}` : "the table's character set") : `character set ${as}`}, expected ${theTables(es)}.`,
    });
  }
  if (a.comment !== e.comment) {
    out.push({
      ...base,
      kind: 'column_comment',
      expected: e.comment,
      actual: a.comment,
      message: `Column ${col} ${hasVersus('comment', quoted(a.comment), quoted(e.comment))}.`,
    });
  }
  return out;
}

export function diffColumns(actual: Table, expected: Table): Change[] {
  const table = expected.name;
  const out: Change[] = [];
  const actualByName = new Map(actual.columns.map((c) => [c.name, c]));
  const expectedNames = new Set(expected.columns.map((c) => c.name));
  for (const e of expected.columns) {
    const a = actualByName.get(e.name);
    if (a) out.push(...diffColumn(table, a, e, tableDrifted(actual) ? { follows: followsTable(actual, a) } : null));
    else
      out.push({
        kind: 'column_missing',
        table,
        name: e.name,
        expected: e,
        actual: null,
        message: `Column ${table}.${e.name} (${e.type}) is missing.`,
      });
  }
  for (const a of actual.columns) {
    if (expectedNames.has(a.name)) continue;
    out.push({
      kind: 'column_extra',
      table,
      name: a.name,
      expected: null,
      actual: a,
      message: `Column ${table}.${a.name} (${a.type}) is not in the definition.`,
    });
  }
  return out;
}

export function diffTableComment(actual: Table, expected: Table): Change[] {
  if (actual.comment === expected.comment) return [];
  return [
    {
      kind: 'table_comment',
      table: expected.name,
      name: expected.name,
      expected: expected.comment,
      actual: actual.comment,
      message: `Table ${expected.name} ${hasVersus('comment', quoted(actual.comment), quoted(expected.comment))}.`,
    },
  ];
}
