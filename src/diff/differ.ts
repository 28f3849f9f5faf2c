/**
 * The pure differ: compares the normal forms of a live database (actual) and
 * of the expected variant, and lists every difference once. Both sides must
 * already have passed through the same normalizer.
 */
import type { DbSchema, Table } from '../schema/model.js';
import { CHANGE_KINDS, type Change } from './changes.js';
import { diffChecks } from './checks.js';
import { diffColumns, diffTableComment } from './columns.js';
import { diffForeignKeys, diffPrimaryKey, diffUniques } from './constraints.js';
import { byString } from '../schema/describe.js';
import { diffIndexes } from './indexes.js';
import { diffEnums, diffTriggers } from './objects.js';
import { diffTableCharset } from './table-charset.js';
import { schemaTables, schemaTriggers } from '../schema/scope.js';

function diffTable(actual: Table, expected: Table): Change[] {
  return [
    ...diffTableComment(actual, expected),
    ...diffTableCharset(actual, expected),
    ...diffColumns(actual, expected),
    ...diffPrimaryKey(actual, expected),
    ...diffUniques(actual, expected),
    ...diffForeignKeys(actual, expected),
    ...diffIndexes(actual, expected),
    ...diffChecks(actual, expected),
  ];
}

function diffTables(actual: Table[], expected: Table[]): Change[] {
  const out: Change[] = [];
  const actualByName = new Map(actual.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.map((t) => t.name));
  for (const e of expected) {
    const a = actualByName.get(e.name);
    if (a) out.push(...diffTable(a, e));
    else
      out.push({
        kind: 'table_missing',
        table: e.name,
        name: e.name,
        expected: e,
        actual: null,
        message: `Table ${e.name} is missing.`,
      });
  }
  for (const a of actual) {
    if (expectedNames.has(a.name)) continue;
    out.push({
      kind: 'table_extra',
      table: a.name,
      name: a.name,
      expected: null,
      actual: a,
      message: `Table ${a.name} is not in the definition.`,
    });
  }
  return out;
}

const kindRank = new Map(CHANGE_KINDS.map((k, i) => [k, i]));

/** Schema-level changes (table null) first, then by table, kind order and name. */
export function compareChanges(a: Change, b: Change): number {
  if (a.table !== b.table) {
    if (a.table === null) return -1;
    if (b.table === null) return 1;
    return byString(a.table, b.table);
  }
  return kindRank.get(a.kind)! - kindRank.get(b.kind)! || byString(a.name, b.name);
}

export function diff(actual: DbSchema, expected: DbSchema): Change[] {
  return [
    ...diffEnums(actual.enums, expected.enums),
    ...diffTables(schemaTables(actual), schemaTables(expected)),
    // Triggers of the defined tables: a table the definition lacks is reported as a whole.
    ...diffTriggers(
      schemaTriggers(actual).filter((t) => expected.tables.some((e) => e.name === t.table)),
      schemaTriggers(expected),
    ),
  ].sort(compareChanges);
}
