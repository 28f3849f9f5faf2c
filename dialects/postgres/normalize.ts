/**
 * PostgreSQL spellings -> the canonical forms resolve.ts writes (see
 * types.ts): `character varying(50)` -> `varchar(50)`, `timestamp with time
 * zone` -> `timestamptz`, `now()` -> `CURRENT_TIMESTAMP`,
 * `'running'::character varying` -> `'running'`, `'-1'::integer` -> `-1`.
 */
import type { Column, FkAction } from '../../src/schema/model.js';
import type { DialectNormalizer } from '../../src/schema/normalize.js';
import { canonicalNow, canonicalNumber, stripOuterParens } from '../../src/schema/normal-form.js';
import { literal } from './quote.js';

/** Type names with more than one spelling; the value is the one format_type prints. */
const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float4: 'real',
  float: 'double precision',
  decimal: 'numeric',
  bpchar: 'character',
  'character varying': 'varchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  char: 'character',
};

/** Built-in names written the way format_type prints them (lower case). */
const BUILTIN_TYPES = new Set([
  'bigint', 'boolean', 'bytea', 'character', 'date', 'double precision', 'integer', 'interval', 'json', 'jsonb',
  'numeric', 'real', 'smallint', 'text', 'time', 'timestamp', 'timestamptz', 'timetz', 'uuid', 'varchar',
]);

const NUMERIC_TYPES = new Set(['integer', 'bigint', 'smallint', 'numeric', 'real', 'double precision']);

/**
 * `character varying(50)` -> `varchar(50)`, `timestamp(3) with time zone` ->
 * `timestamptz(3)`, `int4` -> `integer`, `character varying(20)[]` ->
 * `varchar(20)[]`. Enum type names are kept as they are (case matters).
 */
export function normalizePostgresType(type: string): string {
  const trimmed = type.trim().replace(/\s+/g, ' ');
  const array = /^(.*?)((?:\[\])+)$/.exec(trimmed);
  if (array) return normalizePostgresType(array[1]!) + array[2]!;
  // The type modifier sits after the first word of `timestamp(3) with time zone`.
  const m = /^([a-z][a-z0-9_ ]*?)\s*(\(\s*\d+(?:\s*,\s*\d+)?\s*\))?((?: with(?:out)? time zone)?)$/i.exec(trimmed);
  if (!m) return trimmed;
  const written = `${m[1]!}${m[3]!}`;
  const name = written.toLowerCase();
  const canonical = TYPE_ALIASES[name] ?? (BUILTIN_TYPES.has(name) ? name : null);
  // Anything else is a user type (an enum, a domain): its name is case-sensitive.
  const typmod = m[2] ? m[2].replace(/\s+/g, '') : '';
  return (canonical ?? written) + typmod;
}

/** One `::type` cast: a (qualified, possibly quoted) name, words, modifier, `[]`s. */
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)`;
const CAST = String.raw`::${IDENT}(?:\.${IDENT})?(?: [a-z]+)*(?:\(\d+(?:,\s*\d+)?\))?(?: with(?:out)? time zone)?(?:\[\])*`;
const CAST_LITERAL = new RegExp(String.raw`^'((?:[^']|'')*)'((?:${CAST})+)$`, 'i');
const CAST_NULL = new RegExp(String.raw`^NULL(?:${CAST})*$`, 'i');

/** The target type of the last cast in `::a::b`. */
const lastCastType = (casts: string): string => casts.slice(casts.lastIndexOf('::') + 2);

/** PostgreSQL's current-time functions that mean the same as `now()`. */
const NOW_NAMES = ['now', 'current_timestamp', 'transaction_timestamp'] as const;

/**
 * A default as pg_get_expr prints it, in canonical form: casts after literals
 * dropped, numbers plain, the current time as `CURRENT_TIMESTAMP`, `NULL`
 * as no default. Other expressions are kept as printed.
 */
export function normalizePostgresDefault(expr: string | null): string | null {
  if (expr === null) return null;
  const text = expr.trim();
  if (CAST_NULL.test(text)) return null;
  // CURRENT_TIMESTAMP(0) rounds to whole seconds in PostgreSQL: not the same as now().
  const now = canonicalNow(text, NOW_NAMES, false);
  if (now) return now;
  const cast = CAST_LITERAL.exec(text);
  if (cast) {
    const value = cast[1]!.replace(/''/g, "'");
    const number = NUMERIC_TYPES.has(normalizePostgresType(lastCastType(cast[2]!))) ? canonicalNumber(value) : null;
    return number ?? literal(value);
  }
  return canonicalNumber(stripOuterParens(text)) ?? text;
}

/** Partial-index predicates: pg_get_expr wraps them in parentheses. */
export const normalizePostgresPredicate = (where: string | null): string | null =>
  where === null ? null : stripOuterParens(where);

export const normalizePostgresColumn = (column: Column): Column => ({
  ...column,
  type: normalizePostgresType(column.type),
  default: normalizePostgresDefault(column.default),
});

/** PostgreSQL keeps RESTRICT and NO ACTION apart (NO ACTION can be deferred). */
export const normalizePostgresFkAction = (action: FkAction): FkAction => action;

/**
 * True for a built-in type in canonical spelling (`varchar(50)`, `text[]`,
 * `timestamptz(3)`, `double precision`); false for a user type (an enum),
 * whose name must be quoted in SQL.
 */
export function isBuiltinPostgresType(type: string): boolean {
  const base = type.replace(/(\[\])+$/, '').replace(/\(\s*\d+(?:\s*,\s*\d+)?\s*\)/, '');
  return BUILTIN_TYPES.has(base);
}

/** PostgreSQL's normalizer, as src/schema/normalize.ts takes it. */
export const postgresNormalizer: DialectNormalizer = {
  column: normalizePostgresColumn,
  fkAction: normalizePostgresFkAction,
  predicate: normalizePostgresPredicate,
};
