/**
 * MySQL 8 and MariaDB spellings -> the canonical forms resolve.ts writes (see
 * types.ts): `bigint(20)` -> `bigint`, `current_timestamp()` / `now()` ->
 * `CURRENT_TIMESTAMP`, MariaDB's bare `NULL` default -> no default (a quoted
 * `'NULL'` stays a string), `ENUM('a', 'b')` -> `enum('a','b')`, RESTRICT ->
 * NO ACTION.
 *
 * Integer display widths are dropped (`int(11)` is `int`) except `tinyint(1)`,
 * kept on purpose: both MySQL 8 and MariaDB still report it, it is how
 * BOOLEAN is stored, and drivers (mysql2 typeCast, Connector/J) read it as a
 * boolean, so `tinyint` -> `tinyint(1)` is a change a DBA wants to see.
 * ZEROFILL columns keep their width too (it changes how values print).
 */
import type { Column, FkAction } from '../../src/schema/model.js';
import type { DialectNormalizer } from '../../src/schema/normalize.js';
import { canonicalNow, canonicalNumber, parseQuotedString, parseStringList } from '../../src/schema/normal-form.js';

/** The canonical forms' string literals and label lists (src/schema/normal-form.ts), by their MySQL names. */
export { parseQuotedString as parseMysqlString, parseStringList as parseMysqlStringList };
import { literal } from './quote.js';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint']);
const NUMERIC_TYPES = new Set([...INTEGER_TYPES, 'decimal', 'float', 'double']);

/** Integer display widths mean nothing, except `tinyint(1)` (the BOOLEAN convention) and ZEROFILL. */
function stripDisplayWidth(type: string): string {
  const m = /^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)(.*)$/.exec(type);
  if (!m) return type;
  const [, base, width, rest] = m as unknown as [string, string, string, string];
  if (rest.includes('zerofill') || (base === 'tinyint' && width === '1')) return type;
  return base + rest;
}

/**
 * `bigint(20)` -> `bigint`, `INT(11) UNSIGNED` -> `int unsigned`, `integer` ->
 * `int`, `boolean` -> `tinyint(1)`, `ENUM('a', 'b')` -> `enum('a','b')`.
 */
export function normalizeMysqlType(type: string): string {
  const trimmed = type.trim();
  const list = /^(enum|set)\s*\((.*)\)$/is.exec(trimmed);
  if (list) {
    const labels = parseStringList(list[2]!);
    if (labels) return `${list[1]!.toLowerCase()}(${labels.map(literal).join(',')})`;
  }
  let t = trimmed.toLowerCase().replace(/\s+/g, ' ').replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')');
  t = t.replace(/^integer\b/, 'int').replace(/^(bool|boolean)$/, 'tinyint(1)');
  return stripDisplayWidth(t);
}

const baseType = (type: string): string => /^[a-z]+/.exec(type)?.[0] ?? type;

/** MySQL's current-time functions: all the same function (precision 0 is the default). */
const NOW_NAMES = ['now', 'current_timestamp', 'localtime', 'localtimestamp'] as const;

/**
 * A default in canonical form. `type` is the column's normalized type: a
 * quoted number on a numeric column is the number.
 */
export function normalizeMysqlDefault(expr: string | null, type: string): string | null {
  if (expr === null) return null;
  const text = expr.trim();
  // MariaDB reports DEFAULT NULL as the bare word NULL (a string 'NULL' comes quoted).
  if (/^null$/i.test(text)) return null;
  const now = canonicalNow(text, NOW_NAMES, true);
  if (now) return now;
  const value = parseQuotedString(text);
  if (value !== null) {
    const number = NUMERIC_TYPES.has(baseType(type)) ? canonicalNumber(value) : null;
    return number ?? literal(value);
  }
  return canonicalNumber(text) ?? text;
}

export function normalizeMysqlOnUpdate(expr: string | null): string | null {
  if (expr === null || expr.trim() === '') return null;
  return canonicalNow(expr, NOW_NAMES, true) ?? expr.trim();
}

export function normalizeMysqlColumn(column: Column): Column {
  const type = normalizeMysqlType(column.type);
  return {
    ...column,
    type,
    default: normalizeMysqlDefault(column.default, type),
    onUpdate: normalizeMysqlOnUpdate(column.onUpdate),
  };
}

/** InnoDB treats RESTRICT and NO ACTION alike (checks are never deferred). */
export const normalizeMysqlFkAction = (action: FkAction): FkAction => (action === 'RESTRICT' ? 'NO ACTION' : action);

/** MySQL's and MariaDB's normalizer, as src/schema/normalize.ts takes it. */
export const mysqlNormalizer: DialectNormalizer = {
  column: normalizeMysqlColumn,
  fkAction: normalizeMysqlFkAction,
  predicate: (where) => (where === null ? null : where.trim()),
};
