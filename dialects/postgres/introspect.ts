/**
 * Read the live schema of one PostgreSQL namespace from pg_catalog.
 *
 * One query per kind of object (tables, columns, constraints, indexes, enum
 * types, triggers, the views that use the tables), never one per table, so
 * the cost does not grow with the number of tables. Every statement is a single SELECT, so it also runs on
 * PGlite through knex-pglite. Raw catalog rows stay private to this file;
 * the result is the physical model in catalog spelling (`character
 * varying(50)`, `now()`, `'running'::character varying`), which the
 * normalizer turns into canonical form.
 */
import type { Sql } from '../../src/port/sql.js';
import type { Column, DbSchema, EnumType, FkAction, ForeignKey, Index, Table, Trigger } from '../../src/schema/model.js';

/** dbkit's own bookkeeping tables are not part of any schema. */
const isBookkeeping = (table: string): boolean => table.startsWith('dbkit_');

// Plain tables and partitioned tables, but not the partitions themselves.
// Comments are read from pg_description directly (what obj_description and
// col_description do), without the per-row cost of calling a SQL function.
const TABLES_SQL = `
SELECT c.relname AS name,
       (SELECT ds.description FROM pg_catalog.pg_description ds
        WHERE ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = 0) AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

// Enum types (and arrays of them) by bare name: format_type schema-qualifies
// types that are not on the search_path. A default cannot name a column, so it
// is printed without its table (pg_get_expr(adbin, 0)): given the table, the
// server opens every table of the namespace to print their defaults, 40% of
// this query's time on 500 tables.
const COLUMNS_SQL = `
SELECT c.relname AS table_name,
       a.attnum::int AS attnum,
       a.attname AS name,
       CASE
         WHEN t.typtype = 'e' THEN t.typname::text
         WHEN et.typtype = 'e' THEN et.typname::text || '[]'
         ELSE format_type(a.atttypid, a.atttypmod)
       END AS type,
       a.attnotnull AS not_null,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) END AS default_expr,
       a.attidentity <> '' AS is_identity,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation,
       (SELECT ds.description FROM pg_catalog.pg_description ds
        WHERE ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum) AS comment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND a.attnum > 0 AND NOT a.attisdropped`; // no ORDER BY: sorting thousands of rows costs the server more than JS

// (Attribute-number lists come as text, "1,2": the driver's array parser cost
// more than the rest of reading the rows, 4,000 arrays on 500 tables.)

// Primary keys, unique constraints, foreign keys and CHECKs. Key columns come as
// attribute numbers, named from the columns query (per-row subqueries cost
// more than the rest of the query); only a foreign key into another
// namespace has its target's column names read here.
const CONSTRAINTS_SQL = `
SELECT c.relname AS table_name,
       con.conname AS name,
       con.contype::text AS kind,
       array_to_string(con.conkey, ',') AS column_nums,
       rc.relname AS ref_table,
       array_to_string(con.confkey, ',') AS ref_column_nums,
       CASE WHEN con.contype = 'f' AND rc.relnamespace <> c.relnamespace THEN
         ARRAY(SELECT a.attname::text
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
               ORDER BY k.ord)
       END AS ref_column_names,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) END AS check_def
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
WHERE n.nspname = ? AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY c.relname, con.conname`;

// Indexes that do not back a primary key or unique constraint. Key columns
// (not INCLUDE columns) come as attribute numbers; only an index with an
// expression has its key columns printed by pg_get_indexdef.
const INDEXES_SQL = `
SELECT t.relname AS table_name,
       i.relname AS name,
       ix.indisunique AS is_unique,
       am.amname::text AS method,
       pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       ix.indisvalid AS is_valid,
       ix.indnkeyatts::int AS key_count,
       array_to_string(ix.indkey::int2[], ',') AS key_nums,
       CASE WHEN 0 = ANY (ix.indkey::int2[]) THEN
         ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k)
       END AS key_defs
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

// Views (in any namespace) and the columns of this namespace's tables they
// use, from the dependencies of their rewrite rules.
const VIEWS_SQL = `
SELECT DISTINCT CASE WHEN vn.nspname = n.nspname THEN v.relname::text ELSE vn.nspname || '.' || v.relname END AS view_name,
       t.relname AS table_name, a.attname AS column_name
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
  AND d.deptype = 'n' AND n.nspname = ? AND t.relkind IN ('r', 'p') AND v.oid <> t.oid
ORDER BY 1, 2, 3`;

interface TableRow {
  name: string;
  comment: string | null;
}
interface ColumnRow {
  table_name: string;
  attnum: number;
  name: string;
  type: string;
  not_null: boolean;
  default_expr: string | null;
  is_identity: boolean;
  collation: string | null;
  comment: string | null;
}
interface ConstraintRow {
  table_name: string;
  name: string;
  kind: 'p' | 'u' | 'f' | 'c';
  column_nums: number[];
  ref_table: string | null;
  ref_column_nums: number[] | null;
  ref_column_names: string[] | null;
  on_delete: string;
  on_update: string;
  check_def: string | null;
}
interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  is_valid: boolean;
  key_count: number;
  key_nums: number[];
  key_defs: string[] | null;
}

/** Column names by table and attribute number, from the columns query. */
type ColumnNames = (table: string, attnum: number) => string;

function columnNames(rows: ColumnRow[]): ColumnNames {
  const names = new Map<string, string>();
  for (const row of rows) names.set(`${row.table_name}\u0000${row.attnum}`, row.name);
  return (table, attnum) => {
    const name = names.get(`${table}\u0000${attnum}`);
    if (name === undefined) throw new Error(`no column ${attnum} of ${table} in the catalog`);
    return name;
  };
}
interface EnumRow {
  name: string;
  labels: string[];
}
interface ViewRow {
  view_name: string;
  table_name: string;
  column_name: string;
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
    ...(row.collation ? { collation: row.collation } : {}),
  };
}

function toIndex(row: IndexRow, names: ColumnNames): Index {
  const keys = row.key_nums.slice(0, row.key_count);
  return {
    name: row.name,
    // An expression (attribute 0) as pg_get_indexdef prints it.
    columns: keys.map((n, i) => (n === 0 ? unquoteIdent(row.key_defs![i]!) : names(row.table_name, n))),
    unique: row.is_unique,
    method: row.method,
    where: row.predicate,
    ...(row.is_valid ? {} : { valid: false }),
  };
}

function toForeignKey(row: ConstraintRow, columns: string[], names: ColumnNames): ForeignKey {
  const refTable = row.ref_table ?? '';
  return {
    name: row.name,
    columns,
    refTable,
    refColumns: row.ref_column_names ?? (row.ref_column_nums ?? []).map((n) => names(refTable, n)),
    onDelete: fkAction(row.on_delete),
    onUpdate: fkAction(row.on_update),
  };
}

/** `CHECK ((a > 0)) NOT VALID` -> `(a > 0)` (the normalizer takes the parentheses off). */
const checkExpression = (def: string): string => def.replace(/^CHECK\s*/i, '').replace(/\s+NOT VALID$/i, '');

function applyConstraint(table: Table, row: ConstraintRow, names: ColumnNames): void {
  if (row.kind === 'c') {
    table.checks = [...(table.checks ?? []), { name: row.name, expression: checkExpression(row.check_def ?? '') }];
    return;
  }
  const columns = row.column_nums.map((n) => names(row.table_name, n));
  if (row.kind === 'p') table.primaryKey = { name: row.name, columns };
  else if (row.kind === 'u') table.uniques.push({ name: row.name, columns });
  else table.foreignKeys.push(toForeignKey(row, columns, names));
}

const select = <T>(db: Sql, sql: string, namespace: string): Promise<T[]> => db.query<T>(sql, [namespace]);

/** A row as read: the named number lists as text (`array_to_string(..., ',')`). */
type Listed<T, K extends keyof T> = Omit<T, K> & { [P in K]: string | null };
/** `"1,2"` -> [1, 2]; `""` -> []; NULL stays null. */
const numbers = (text: string | null): number[] | null => (text === null ? null : text === '' ? [] : text.split(',').map(Number));

export async function introspectPostgres(db: Sql, namespace: string): Promise<DbSchema> {
  // Sequential on purpose: PGlite has a single connection, and seven small
  // catalog reads gain little from running side by side.
  const tableRows = await select<TableRow>(db, TABLES_SQL, namespace);
  const columnRows = await select<ColumnRow>(db, COLUMNS_SQL, namespace);
  const constraintRows = (await select<Listed<ConstraintRow, 'column_nums' | 'ref_column_nums'>>(db, CONSTRAINTS_SQL, namespace)).map((row) => ({
    ...row,
    column_nums: numbers(row.column_nums) ?? [],
    ref_column_nums: numbers(row.ref_column_nums),
  }));
  const indexRows = (await select<Listed<IndexRow, 'key_nums'>>(db, INDEXES_SQL, namespace)).map((row) => ({ ...row, key_nums: numbers(row.key_nums) ?? [] }));
  const enumRows = await select<EnumRow>(db, ENUMS_SQL, namespace);
  const triggerRows = await select<TriggerRow>(db, TRIGGERS_SQL, namespace);
  const viewRows = await select<ViewRow>(db, VIEWS_SQL, namespace);

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
  columnRows.sort((a, b) => a.attnum - b.attnum); // stable: each table's columns in attnum order
  for (const row of columnRows) tables.get(row.table_name)?.columns.push(toColumn(row));
  const names = columnNames(columnRows);
  for (const row of constraintRows) {
    const table = tables.get(row.table_name);
    if (table) applyConstraint(table, row, names);
  }
  for (const row of indexRows) {
    const table = tables.get(row.table_name);
    if (table) table.indexes.push(toIndex(row, names));
  }

  const enums: EnumType[] = enumRows.map((row) => ({ name: row.name, labels: row.labels }));
  const triggers: Trigger[] = triggerRows
    .filter((row) => tables.has(row.table_name))
    .map((row) => ({
      name: row.name,
      table: row.table_name,
      timing: triggerTiming(row.type_bits),
      function: row.function_name,
    }));

  const views = viewRows
    .filter((row) => tables.has(row.table_name))
    .map((row) => ({ view: row.view_name, table: row.table_name, column: row.column_name }));
  return { dialect: 'postgres', tables: [...tables.values()], enums, triggers, ...(views.length ? { views } : {}) };
}
