/**
 * Pieces of PostgreSQL parse trees (libpg-query's JSON) that the lint reads:
 * type names, column definitions, constraints, and whether a default is
 * evaluated per row (volatile). Pure.
 */
import type { Action, DefaultFact } from '../../src/lint/facts.js';

/** A node of libpg-query's JSON tree (`{ "ColumnDef": { ... } }` and the like). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = Record<string, any>;

const names = (list: Node[] | undefined): string[] => (list ?? []).map((n) => n.String?.sval ?? '').filter(Boolean);

/** pg_catalog's internal type names -> the names dbkit's model writes. */
const INTERNAL: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
  varchar: 'varchar',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  timetz: 'timetz',
  interval: 'interval',
  numeric: 'numeric',
};

/** A TypeName node as dbkit's model writes types: `bigint`, `varchar(20)`, `numeric(10,2)`, `text[]`, a user type by name. */
export function typeNameOf(t: Node | undefined): string {
  if (!t) return '';
  const parts = names(t.names);
  const qualified = parts.length > 1 && parts[0] === 'pg_catalog';
  const base = parts.at(-1) ?? '';
  const name = qualified || INTERNAL[base] === base ? (INTERNAL[base] ?? base) : base;
  const mods: string[] = (t.typmods ?? []).map((m: Node) => String(m.A_Const?.ival?.ival ?? m.A_Const?.sval?.sval ?? '')).filter(Boolean);
  const arrays = '[]'.repeat((t.arrayBounds ?? []).length);
  return `${name}${mods.length ? `(${mods.join(',')})` : ''}${arrays}`;
}

/** Functions known to give the same value for every row of one statement (STABLE or IMMUTABLE) that defaults commonly call. */
const NOT_VOLATILE = new Set([
  'now',
  'transaction_timestamp',
  'statement_timestamp',
  'current_timestamp',
  'localtimestamp',
  'current_date',
  'lower',
  'upper',
  'length',
  'concat',
  'jsonb_build_object',
  'json_build_object',
  'jsonb_build_array',
  'json_build_array',
  'to_jsonb',
  'to_json',
  'make_interval',
  'timezone',
  'array_length',
]);

/**
 * The first function call that makes a default volatile, or null: a function
 * PostgreSQL evaluates per row (gen_random_uuid, random, clock_timestamp,
 * nextval...) or one the lint does not know (a user function is VOLATILE
 * unless declared otherwise).
 */
function volatileCall(expr: unknown): string | null {
  if (Array.isArray(expr)) {
    for (const e of expr) {
      const found = volatileCall(e);
      if (found) return found;
    }
    return null;
  }
  if (!expr || typeof expr !== 'object') return null;
  const node = expr as Node;
  if (node.FuncCall) {
    const fn = names(node.FuncCall.funcname).at(-1)?.toLowerCase() ?? '';
    if (!NOT_VOLATILE.has(fn)) return `${fn}()`;
  }
  for (const v of Object.values(node)) {
    const found = volatileCall(v);
    if (found) return found;
  }
  return null;
}

export function defaultFact(expr: Node): DefaultFact {
  const call = volatileCall(expr);
  return call ? { text: call, volatile: true } : { text: 'a constant or stable expression', volatile: false };
}

/** `CHECK (col IS NOT NULL)`: the column, else null. */
function notNullColumn(expr: Node | undefined): string | null {
  const t = expr?.NullTest;
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = names(t.arg?.ColumnRef?.fields);
  return fields.length ? fields.at(-1)! : null;
}

const CONSTRAINT_TYPES: Record<string, 'foreign' | 'check' | 'unique' | 'primary' | 'exclude'> = {
  CONSTR_FOREIGN: 'foreign',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary',
  CONSTR_EXCLUSION: 'exclude',
};

export function constraintAction(c: Node): Action {
  return {
    kind: 'add_constraint',
    type: CONSTRAINT_TYPES[c.contype] ?? 'other',
    name: c.conname ?? null,
    notValid: !!c.skip_validation,
    usingIndex: !!c.indexname,
    notNullColumn: c.contype === 'CONSTR_CHECK' ? notNullColumn(c.raw_expr) : null,
    ifNotExists: false,
  };
}

const SERIAL = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

/** ADD COLUMN: the column, and the constraints written inline with it (each checked as an added constraint). */
export function columnDefFacts(def: Node, ifNotExists: boolean): Action[] {
  const constraints: Node[] = (def.constraints ?? []).map((c: Node) => c.Constraint ?? {});
  const type = typeNameOf(def.typeName);
  const dflt = constraints.find((c) => c.contype === 'CONSTR_DEFAULT');
  const identity = constraints.some((c) => c.contype === 'CONSTR_IDENTITY');
  const stored = constraints.some((c) => c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v');
  const generated = identity ? 'identity' : stored ? 'stored' : SERIAL.has(type) ? 'serial' : null;
  const column: Action = {
    kind: 'add_column',
    column: def.colname ?? '',
    type: type || null,
    notNull: constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY'),
    default: dflt?.raw_expr ? defaultFact(dflt.raw_expr) : null,
    generated,
    ifNotExists,
  };
  const inline = constraints.filter((c) => CONSTRAINT_TYPES[c.contype]).map(constraintAction);
  return [column, ...inline];
}
