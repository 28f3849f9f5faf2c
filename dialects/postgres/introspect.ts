/**
 * Read the live schema of one PostgreSQL namespace from pg_catalog.
 *
 * One query per kind of object (tables, columns, constraints, indexes, enum
 * types, triggers), never one per table, so the cost does not grow with the
 * number of tables. Every statement is a single SELECT, so it also runs on
 * PGlite through knex-pglite. Raw catalog rows stay private to this file;
 * the result is the physical model in catalog spelling (`character
 * varying(50)`, `now()`, `'running'::character varying`), which the
 * normalizer turns into canonical form.
 */
import type { Knex } from 'knex';
import type { Column, DbSchema, EnumType, FkAction, ForeignKey, Index, Table, Trigger } from '../../src/schema/model.js';

/** dbkit's own bookkeeping tables are not part of any schema. */
const isBookkeeping = (table: string): boolean => table.startsWith('dbkit_');

// Plain tables and partitioned tables, but not the partitions themselves.
const TABLES_SQL = `
SELECT c.relname AS name, obj_description(c.oid, 'pg_class') AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

// Enum types (and arrays of them) by bare name: format_type schema-qualifies
// types that are not on the search_path.
const COLUMNS_SQL = `
SELECT c.relname AS table_name,
       a.attname AS name,
       CASE
         WHEN t.typtype = 'e' THEN t.typname::text
         WHEN et.typtype = 'e' THEN et.typname::text || '[]'
         ELSE format_type(a.atttypid, a.atttypmod)
       END AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default_expr,
       a.attidentity <> '' AS is_identity,
       col_description(c.oid, a.attnum) AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum`;

// Primary keys, unique constraints and foreign keys, columns in key order.
const CONSTRAINTS_SQL = `
SELECT c.relname AS table_name,
       con.conname AS name,
       con.contype::text AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       rc.relname AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
WHERE n.nspname = ? AND con.contype IN ('p', 'u', 'f')
ORDER BY c.relname, con.conname`;

// Indexes that do not back a primary key or unique constraint; key columns
// only (not INCLUDE columns), expressions as pg_get_indexdef prints them.
const INDEXES_SQL = `
SELECT t.relname AS table_name,
       i.relname AS name,
       ix.indisunique AS is_unique,
       am.amname::text AS method,
       pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       ix.indisvalid AS is_valid,
       ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true)
             FROM generate_series(1, ix.indnkeyatts) AS k
             ORDER BY k) AS columns
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_am am ON am.oid = i.relam
WHERE n.nspname = ? AND t.relkind IN ('r', 'p') AND NOT t.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                  WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u'))
ORDER BY t.relname, i.relname`;

const ENUMS_SQL = `
SELECT t.typname::text AS name,
       ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
             WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ? AND t.typtype = 'e'
ORDER BY t.typname`;

const TRIGGERS_SQL = `
SELECT c.relname AS table_name, tg.tgname AS name, tg.tgtype::int AS type_bits, p.proname AS function_name
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = tg.tgfoid
WHERE n.nspname = ? AND NOT tg.tgisinternal
ORDER BY c.relname, tg.tgname`;

interface TableRow {
  name: string;
  comment: string | null;
}
interface ColumnRow {
  table_name: string;
  name: string;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  is_identity: boolean;
  comment: string | null;
}
interface ConstraintRow {
  table_name: string;
  name: string;
  kind: 'p' | 'u' | 'f';
  columns: string[];
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  on_update: string;
}
interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  is_valid: boolean;
  columns: string[];
}
interface EnumRow {
  name: string;
  labels: string[];
}
interface TriggerRow {
  table_name: string;
  name: string;
  type_bits: number;
  function_name: string;
}

/** pg_constraint.confdeltype / confupdtype. */
const FK_ACTIONS: Record<string, FkAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

const fkAction = (code: string): FkAction => {
  const action = FK_ACTIONS[code];
  if (!action) throw new Error(`unknown foreign key action code ${JSON.stringify(code)}`);
  return action;
};

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const TRIGGER_ROW = 1 << 0;
const TRIGGER_BEFORE = 1 << 1;
const TRIGGER_INSTEAD = 1 << 6;
const TRIGGER_EVENTS: [number, string][] = [
  [1 << 2, 'INSERT'],
  [1 << 4, 'UPDATE'],
  [1 << 3, 'DELETE'],
  [1 << 5, 'TRUNCATE'],
];

/** `BEFORE UPDATE`, `AFTER INSERT OR DELETE`; statement-level triggers say so. */
export function triggerTiming(bits: number): string {
  const when = bits & TRIGGER_INSTEAD ? 'INSTEAD OF' : bits & TRIGGER_BEFORE ? 'BEFORE' : 'AFTER';
  const events = TRIGGER_EVENTS.filter(([bit]) => bits & bit).map(([, name]) => name);
  const level = bits & TRIGGER_ROW ? '' : ' FOR EACH STATEMENT';
  return `${when} ${events.join(' OR ')}${level}`;
}

/** pg_get_indexdef quotes column names that are keywords (`"timestamp"`); plain names are unquoted. */
export function unquoteIdent(expr: string): string {
  const m = /^"((?:[^"]|"")+)"$/.exec(expr);
  return m ? m[1]!.replace(/""/g, '"') : expr;
}

/** A serial column's default is `nextval('<seq>'::regclass)`: report it as auto-increment. */
const isSerialDefault = (expr: string | null): boolean => !!expr && /^nextval\('[^']+'::regclass\)$/.test(expr);

function toColumn(row: ColumnRow): Column {
  const serial = isSerialDefault(row.default_expr);
  return {
    name: row.name,
    type: row.type,
    nullable: !row.not_null,
    default: serial ? null : row.default_expr,
    autoIncrement: row.is_identity || serial,
    onUpdate: null,
    comment: row.comment,
  };
}

function toIndex(row: IndexRow): Index {
  return {
    name: row.name,
    columns: row.columns.map(unquoteIdent),
    unique: row.is_unique,
    method: row.method,
    where: row.predicate,
    ...(row.is_valid ? {} : { valid: false }),
  };
}

function toForeignKey(row: ConstraintRow): ForeignKey {
  return {
    name: row.name,
    columns: row.columns,
    refTable: row.ref_table ?? '',
    refColumns: row.ref_columns,
    onDelete: fkAction(row.on_delete),
    onUpdate: fkAction(row.on_update),
  };
}

function applyConstraint(table: Table, row: ConstraintRow): void {
  if (row.kind === 'p') table.primaryKey = { name: row.name, columns: row.columns };
  else if (row.kind === 'u') table.uniques.push({ name: row.name, columns: row.columns });
  else table.foreignKeys.push(toForeignKey(row));
}

/** Rows as returned by node-postgres (`{ rows }`) and knex-pglite alike. */
async function select<T>(knex: Knex, sql: string, namespace: string): Promise<T[]> {
  const result = (await knex.raw(sql, [namespace])) as { rows: T[] };
  return result.rows;
}

export async function introspectPostgres(knex: Knex, namespace: string): Promise<DbSchema> {
  // Sequential on purpose: PGlite has a single connection, and six small
  // catalog reads gain little from running side by side.
  const tableRows = await select<TableRow>(knex, TABLES_SQL, namespace);
  const columnRows = await select<ColumnRow>(knex, COLUMNS_SQL, namespace);
  const constraintRows = await select<ConstraintRow>(knex, CONSTRAINTS_SQL, namespace);
  const indexRows = await select<IndexRow>(knex, INDEXES_SQL, namespace);
  const enumRows = await select<EnumRow>(knex, ENUMS_SQL, namespace);
  const triggerRows = await select<TriggerRow>(knex, TRIGGERS_SQL, namespace);

  const tables = new Map<string, Table>();
  for (const row of tableRows) {
    if (isBookkeeping(row.name)) continue;
    tables.set(row.name, {
      name: row.name,
      comment: row.comment,
      columns: [],
      primaryKey: null,
      uniques: [],
      foreignKeys: [],
      indexes: [],
    });
  }
  for (const row of columnRows) tables.get(row.table_name)?.columns.push(toColumn(row));
  for (const row of constraintRows) {
    const table = tables.get(row.table_name);
    if (table) applyConstraint(table, row);
  }
  for (const row of indexRows) tables.get(row.table_name)?.indexes.push(toIndex(row));

  const enums: EnumType[] = enumRows.map((row) => ({ name: row.name, labels: row.labels }));
  const triggers: Trigger[] = triggerRows
    .filter((row) => tables.has(row.table_name))
    .map((row) => ({
      name: row.name,
      table: row.table_name,
      timing: triggerTiming(row.type_bits),
      function: row.function_name,
    }));

  return { dialect: 'postgres', tables: [...tables.values()], enums, triggers };
}
