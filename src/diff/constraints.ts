/**
 * Primary key, unique constraints and foreign keys. The design leaves them
 * unnamed, so they are compared by structure: a unique constraint is its
 * columns, a foreign key its columns and target table (its actions may change).
 */
import type { ForeignKey, PrimaryKey, Table } from '../schema/model.js';
import type { Change } from './changes.js';
import { cols, dbName, fkLabel, hasVersus, PRIMARY_KEY_LABEL, sameList, uniqueLabel } from '../schema/describe.js';
import { pairUp } from './pair.js';

export function diffPrimaryKey(actual: Table, expected: Table): Change[] {
  const e = expected.primaryKey;
  const a = actual.primaryKey;
  const same =
    e === null ? a === null : a !== null && sameList(a.columns, e.columns) && (e.name === null || e.name === a.name);
  if (same) return [];
  const table = expected.name;
  // Where the design names the key, the name is part of what is compared, so it is shown.
  const text = (pk: PrimaryKey | null) => pk && (e?.name ? `${pk.name ?? '(unnamed)'} ` : '') + cols(pk.columns);
  const message = `Table ${table} ${hasVersus('PRIMARY KEY', text(a), text(e))}.`;
  return [{ kind: 'primary_key', table, name: e?.name ?? PRIMARY_KEY_LABEL, expected: e, actual: a, message }];
}

export function diffUniques(actual: Table, expected: Table): Change[] {
  const table = expected.name;
  const { pairs, extra } = pairUp(actual.uniques, expected.uniques, (a, e) => sameList(a.columns, e.columns));
  const out: Change[] = [];
  for (const { expected: e, actual: a } of pairs) {
    // A named unique constraint found by name but over other columns is another constraint.
    if (a && sameList(a.columns, e.columns)) continue;
    if (a) extra.push(a);
    out.push({
      kind: 'unique_missing',
      table,
      name: e.name ?? uniqueLabel(e),
      expected: e,
      actual: null,
      message: `Unique constraint ${uniqueLabel(e)}${dbName(e.name)} on ${table} is missing.`,
    });
  }
  for (const a of extra) {
    out.push({
      kind: 'unique_extra',
      table,
      name: uniqueLabel(a),
      expected: null,
      actual: a,
      message: `Unique constraint ${uniqueLabel(a)}${dbName(a.name)} on ${table} is not in the definition.`,
    });
  }
  return out;
}

const sameTarget = (a: ForeignKey, e: ForeignKey): boolean =>
  sameList(a.columns, e.columns) && a.refTable === e.refTable;

/** The differences of a paired foreign key, as message fragments. */
function fkDifferences(a: ForeignKey, e: ForeignKey): string[] {
  const out: string[] = [];
  if (!sameTarget(a, e)) {
    out.push(`is ${cols(a.columns)} -> ${a.refTable}, expected ${cols(e.columns)} -> ${e.refTable}`);
  }
  if (!sameList(a.refColumns, e.refColumns)) {
    out.push(`referenced columns ${cols(a.refColumns)}, expected ${cols(e.refColumns)}`);
  }
  if (a.onDelete !== e.onDelete) out.push(`ON DELETE ${a.onDelete}, expected ${e.onDelete}`);
  if (a.onUpdate !== e.onUpdate) out.push(`ON UPDATE ${a.onUpdate}, expected ${e.onUpdate}`);
  return out;
}

export function diffForeignKeys(actual: Table, expected: Table): Change[] {
  const table = expected.name;
  const { pairs, extra } = pairUp(actual.foreignKeys, expected.foreignKeys, sameTarget);
  const out: Change[] = [];
  for (const { expected: e, actual: a } of pairs) {
    const name = e.name ?? fkLabel(e);
    if (a === null) {
      out.push({
        kind: 'foreign_key_missing',
        table,
        name,
        expected: e,
        actual: null,
        message: `Foreign key ${fkLabel(e)} ON DELETE ${e.onDelete} on ${table} is missing.`,
      });
      continue;
    }
    const differences = fkDifferences(a, e);
    if (!differences.length) continue;
    out.push({
      kind: 'foreign_key_changed',
      table,
      name,
      expected: e,
      actual: a,
      message: `Foreign key ${fkLabel(e)}${dbName(a.name)} on ${table} differs: ${differences.join('; ')}.`,
    });
  }
  for (const a of extra) {
    out.push({
      kind: 'foreign_key_extra',
      table,
      name: fkLabel(a),
      expected: null,
      actual: a,
      message: `Foreign key ${fkLabel(a)}${dbName(a.name)} on ${table} is not in the definition.`,
    });
  }
  return out;
}
