/**
 * Names of constraints the design leaves unnamed, on PostgreSQL: the name
 * the server would choose (`<table>_<columns>_key`, `_fkey`, `_pkey`, cut to
 * 63 bytes as makeObjectName does), for constraints a plan creates where it
 * needs the name (NOT VALID then VALIDATE; a unique index built concurrently,
 * then attached); and, to drop one whose name is not known (a model resolved
 * from the definition), a DO block that finds it by structure in
 * pg_constraint. A table or column rename does not rename constraints, so a
 * computed name could be wrong; the lookup never is.
 */
import type { ForeignKey } from '../../src/schema/model.js';
import { ident, literal } from './quote.js';

/** NAMEDATALEN - 1 */
const MAX_NAME = 63;

/** PostgreSQL's makeObjectName(name1, name2, label) for ASCII names. */
export function defaultName(table: string, columns: string[], label: 'key' | 'fkey' | 'pkey' | 'check'): string {
  const name2 = label === 'pkey' ? '' : columns.join('_');
  const overhead = (name2 ? name2.length + 1 : 0) + label.length + 1;
  const avail = MAX_NAME - overhead;
  let [n1, n2] = [table.length, name2.length];
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  return [table.slice(0, n1), ...(name2 ? [name2.slice(0, n2)] : []), label].join('_');
}

const textArray = (names: string[]): string => `ARRAY[${names.map(literal).join(', ')}]::text[]`;

/** The constraint's columns by name, in key order. */
const KEY_NAMES =
  'ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(num, ord) ' +
  'JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord)';

export type LookupKind = 'p' | 'u' | 'f';

/**
 * One statement that drops the constraint of `kind` on `table` over `columns`
 * (for a foreign key, to `fk.refTable`), whatever the server named it; it
 * fails, naming it, when there is none.
 */
export function dropUnnamedConstraint(table: string, kind: LookupKind, columns: string[], fk?: ForeignKey): string {
  const what =
    kind === 'p' ? `primary key on ${table}` : kind === 'u' ? `unique constraint (${columns.join(', ')}) on ${table}` : `foreign key (${columns.join(', ')}) on ${table}`;
  const conditions = [
    `c.conrelid = ${literal(ident(table))}::regclass`,
    `c.contype = ${literal(kind)}`,
    ...(kind === 'p' ? [] : [`${KEY_NAMES} = ${textArray(columns)}`]),
    ...(fk ? [`c.confrelid = ${literal(ident(fk.refTable))}::regclass`] : []),
  ];
  return [
    'DO $dbkit$',
    'DECLARE found name;',
    'BEGIN',
    `  SELECT c.conname INTO found FROM pg_catalog.pg_constraint c`,
    `   WHERE ${conditions.join('\n     AND ')}`,
    '   LIMIT 1;',
    `  IF found IS NULL THEN RAISE EXCEPTION ${literal(`dbkit: no ${what}`)}; END IF;`,
    `  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', ${literal(table)}, found);`,
    'END',
    '$dbkit$',
  ].join('\n');
}
