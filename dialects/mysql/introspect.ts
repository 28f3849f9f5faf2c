/**
 * Read the live schema of one MySQL / MariaDB database from
 * information_schema: a constant number of queries (server flavor, tables,
 * columns, index statistics, foreign keys, CHECK constraints, triggers, the
 * views that use the tables), never one per table.
 *
 * Split in two: `introspectMysql` does the I/O; `catalogToSchema` is pure and
 * turns catalog rows (as the server documents them) into the physical model,
 * so both flavors can be tested from documented catalog output. What only
 * the catalog can tell is settled here (MySQL 8's unquoted literal defaults,
 * MariaDB's JSON alias); spellings (`bigint(20)`, `current_timestamp()`,
 * MariaDB's bare `NULL` default, RESTRICT vs NO ACTION) are left to the
 * normalizer.
 */
import type { Sql } from '../../src/port/sql.js';
import type { Column, DbSchema, FkAction, ForeignKey, Index, Table } from '../../src/schema/model.js';
import type { CheckRow, ColumnRow, ForeignKeyRow, MysqlCatalog, MysqlFlavor, StatisticsRow, TableRow, TriggerRow, ViewRow } from './catalog-rows.js';
import { num, text, textOrNull, type Value } from './catalog-values.js';
import { charsetAndCollation, checksByTable, jsonCheckColumn, toTriggers, toViewUses } from './introspect-objects.js';
import { literal } from './quote.js';
import { tableCharsets } from './table-charset.js';

export type { CheckRow, ColumnRow, ForeignKeyRow, MysqlCatalog, MysqlFlavor, StatisticsRow, TableRow, TriggerRow, ViewRow } from './catalog-rows.js';

const VERSION_SQL = 'SELECT VERSION() AS server_version';

// (Scalar subqueries on COLLATIONS, not a join: MariaDB 11.4+ lists some collations more than once.)
const TABLES_SQL = `
SELECT t.TABLE_NAME, t.TABLE_COMMENT, t.TABLE_COLLATION,
       (SELECT MAX(c.CHARACTER_SET_NAME) FROM information_schema.COLLATIONS c WHERE c.COLLATION_NAME = t.TABLE_COLLATION) AS TABLE_CHARSET,
       (SELECT MAX(c.IS_DEFAULT) FROM information_schema.COLLATIONS c WHERE c.COLLATION_NAME = t.TABLE_COLLATION) AS COLLATION_IS_DEFAULT,
       s.DEFAULT_COLLATION_NAME AS SCHEMA_COLLATION,
       COLLATION(CONVERT('' USING utf8mb4)) AS UTF8MB4_COLLATION
FROM information_schema.TABLES t
JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = t.TABLE_SCHEMA
WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE = 'BASE TABLE'`;

const COLUMNS_SQL = `
SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE,
       DATA_TYPE, COLUMN_TYPE, EXTRA, COLUMN_COMMENT, CHARACTER_SET_NAME, COLLATION_NAME
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = ?`;

const STATISTICS_COLUMNS = 'TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE, SUB_PART';
const STATISTICS_SQL: Record<MysqlFlavor, string> = {
  mysql: `SELECT ${STATISTICS_COLUMNS}, EXPRESSION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`,
  mariadb: `SELECT ${STATISTICS_COLUMNS} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?`,
};

const FOREIGN_KEYS_SQL = `
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.ORDINAL_POSITION,
       k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL`;

// MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (and tells JSON columns: LONGTEXT
// + CHECK (json_valid(col))); MySQL 8's does not: TABLE_CONSTRAINTS tells it.
const CHECKS_SQL: Record<MysqlFlavor, string> = {
  mariadb: `
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = ?`,
  mysql: `
SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = ?`,
};

const TRIGGERS_SQL = `
SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION
FROM information_schema.TRIGGERS
WHERE EVENT_OBJECT_SCHEMA = ?`;

// MySQL 8.0.13+ lists the tables each view uses (of any schema); MariaDB has
// only the definition, whose column references it writes in full: `db`.`t`.`c`.
const VIEWS_SQL: Record<MysqlFlavor, string> = {
  mysql: `
SELECT VIEW_SCHEMA, VIEW_NAME, TABLE_NAME
FROM information_schema.VIEW_TABLE_USAGE
WHERE TABLE_SCHEMA = ?`,
  mariadb: `
SELECT TABLE_SCHEMA AS VIEW_SCHEMA, TABLE_NAME AS VIEW_NAME, VIEW_DEFINITION
FROM information_schema.VIEWS
WHERE TABLE_SCHEMA = ?`,
};

/** dbkit's own bookkeeping tables are not part of any schema. */
const isBookkeeping = (table: string): boolean => table.startsWith('dbkit_');

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const FK_ACTIONS: readonly FkAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'];

function fkAction(rule: Value): FkAction {
  const action = text(rule).toUpperCase() as FkAction;
  if (!FK_ACTIONS.includes(action)) throw new Error(`unknown foreign key rule ${JSON.stringify(text(rule))}`);
  return action;
}

/** Types whose MySQL 8 literal defaults are reported bare (`1`, `-1.50`, `b'1'`). */
const NUMERIC_DATA_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'float', 'double', 'bit']);

/** Columns MariaDB declared as JSON: LONGTEXT with a `json_valid(`col`)` check, keyed `table\0column`. */
function jsonColumns(checks: CheckRow[], columns: ColumnRow[]): Set<string> {
  const longtext = new Set(columns.filter((c) => text(c.DATA_TYPE).toLowerCase() === 'longtext').map((c) => `${text(c.TABLE_NAME)}\0${text(c.COLUMN_NAME)}`));
  const out = new Set<string>();
  for (const row of checks) {
    const column = jsonCheckColumn(text(row.CHECK_CLAUSE));
    const key = `${text(row.TABLE_NAME)}\0${column}`;
    if (column !== null && longtext.has(key)) out.add(key);
  }
  return out;
}

/**
 * The default as SQL. MariaDB (10.2.7+) already reports it that way: literals
 * quoted, expressions bare, `NULL` for DEFAULT NULL. MySQL 8 reports literals
 * bare and marks expressions with DEFAULT_GENERATED in EXTRA (older servers:
 * CURRENT_TIMESTAMP without the mark), so non-numeric literals get quoted here.
 */
function columnDefault(row: ColumnRow, flavor: MysqlFlavor): string | null {
  const value = textOrNull(row.COLUMN_DEFAULT);
  if (value === null || flavor === 'mariadb') return value;
  if (/\bDEFAULT_GENERATED\b/i.test(text(row.EXTRA))) return value;
  if (NUMERIC_DATA_TYPES.has(text(row.DATA_TYPE).toLowerCase())) return value;
  if (/^current_timestamp(\(\d*\))?$/i.test(value)) return value;
  return literal(value);
}

/** `on update CURRENT_TIMESTAMP` (MySQL 8, after DEFAULT_GENERATED) / `on update current_timestamp()` (MariaDB). */
function columnOnUpdate(extra: string): string | null {
  const m = /\bon update (\S+)/i.exec(extra);
  return m ? m[1]! : null;
}

function toColumn(row: ColumnRow, flavor: MysqlFlavor, json: Set<string>, charset: { charset?: string; collation?: string }): Column {
  const extra = text(row.EXTRA);
  const isJson = json.has(`${text(row.TABLE_NAME)}\0${text(row.COLUMN_NAME)}`);
  return {
    name: text(row.COLUMN_NAME),
    type: isJson ? 'json' : text(row.COLUMN_TYPE),
    nullable: text(row.IS_NULLABLE).toUpperCase() === 'YES',
    default: columnDefault(row, flavor),
    autoIncrement: /\bauto_increment\b/i.test(extra),
    onUpdate: columnOnUpdate(extra),
    comment: text(row.COLUMN_COMMENT) || null,
    // MariaDB's JSON is utf8mb4_bin LONGTEXT by definition: not drift.
    ...(isJson ? {} : charset),
  };
}

/** A key part: a column, a prefix (`name(10)`), or a MySQL 8 functional part (`(lower(name))`). */
function keyPart(row: StatisticsRow): string {
  const column = textOrNull(row.COLUMN_NAME);
  if (column === null) return `(${text(row.EXPRESSION)})`;
  const sub = textOrNull(row.SUB_PART);
  return sub === null ? column : `${column}(${sub})`;
}

/** Group rows by a key, keeping first-seen order of the groups. */
function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** PRIMARY -> primaryKey, other unique indexes -> uniques, the rest -> indexes. */
function applyIndex(table: Table, parts: StatisticsRow[]): void {
  const sorted = [...parts].sort((a, b) => num(a.SEQ_IN_INDEX) - num(b.SEQ_IN_INDEX));
  const first = sorted[0]!;
  const name = text(first.INDEX_NAME);
  const columns = sorted.map(keyPart);
  if (name === 'PRIMARY') table.primaryKey = { name, columns };
  else if (num(first.NON_UNIQUE) === 0) table.uniques.push({ name, columns });
  else {
    const index: Index = { name, columns, unique: false, method: text(first.INDEX_TYPE).toLowerCase(), where: null };
    table.indexes.push(index);
  }
}

function toForeignKey(parts: ForeignKeyRow[]): ForeignKey {
  const sorted = [...parts].sort((a, b) => num(a.ORDINAL_POSITION) - num(b.ORDINAL_POSITION));
  const first = sorted[0]!;
  return {
    name: text(first.CONSTRAINT_NAME),
    columns: sorted.map((r) => text(r.COLUMN_NAME)),
    refTable: text(first.REFERENCED_TABLE_NAME),
    refColumns: sorted.map((r) => text(r.REFERENCED_COLUMN_NAME)),
    onDelete: fkAction(first.DELETE_RULE),
    onUpdate: fkAction(first.UPDATE_RULE),
  };
}

/**
 * A column's character set and collation in the model's terms. Where the
 * table itself is as the definition expects (or is not compared: the
 * document run as written), relative to the table. Where the table's own
 * drifted (`drift`: `ALTER TABLE t DEFAULT CHARACTER SET latin1`, or
 * CONVERT TO), relative to what the definition expects of the table
 * (utf8mb4, the server's default collation for it), never to the drifted
 * table: a column still in utf8mb4 is as expected, and one in the table's
 * own collation follows the table (it has the table's form, and the table's
 * change covers it).
 */
function columnCharset(row: ColumnRow, table: TableRow | undefined, drift: { charset?: string; collation?: string } | undefined): { charset?: string; collation?: string } {
  const live = table ? textOrNull(table.TABLE_COLLATION ?? null) : null;
  if (!drift) return charsetAndCollation(row, live);
  const collation = textOrNull(row.COLLATION_NAME);
  if (collation !== null && live !== null && collation.toLowerCase() === live.toLowerCase()) return { ...drift };
  const expected = table ? textOrNull(table.UTF8MB4_COLLATION ?? null) : null;
  return charsetAndCollation(row, expected ?? live);
}

/** The physical model of a database from its catalog rows (pure). */
export function catalogToSchema(catalog: MysqlCatalog, flavor: MysqlFlavor, database = ''): DbSchema {
  const tables = new Map<string, Table>();
  const names = catalog.tables.map((r) => text(r.TABLE_NAME)).filter((n) => !isBookkeeping(n));
  const comments = new Map(catalog.tables.map((r) => [text(r.TABLE_NAME), text(r.TABLE_COMMENT) || null]));
  const charsets = tableCharsets(catalog.tables, isBookkeeping);
  for (const name of names.sort(byString)) {
    tables.set(name, { name, comment: comments.get(name) ?? null, columns: [], primaryKey: null, uniques: [], foreignKeys: [], indexes: [], ...charsets.get(name) });
  }

  const tableRows = new Map(catalog.tables.map((r) => [text(r.TABLE_NAME), r]));
  const json = flavor === 'mariadb' ? jsonColumns(catalog.checks, catalog.columns) : new Set<string>();
  const columns = [...catalog.columns].sort((a, b) => num(a.ORDINAL_POSITION) - num(b.ORDINAL_POSITION));
  for (const row of columns) {
    const table = text(row.TABLE_NAME);
    tables.get(table)?.columns.push(toColumn(row, flavor, json, columnCharset(row, tableRows.get(table), charsets.get(table))));
  }
  for (const [name, checks] of checksByTable(catalog.checks, json)) {
    const table = tables.get(name);
    if (table) table.checks = checks;
  }

  const indexes = groupBy(catalog.statistics, (r) => `${text(r.TABLE_NAME)}\0${text(r.INDEX_NAME)}`);
  for (const parts of indexes.values()) {
    const table = tables.get(text(parts[0]!.TABLE_NAME));
    if (table) applyIndex(table, parts);
  }

  const fks = groupBy(catalog.foreignKeys, (r) => `${text(r.TABLE_NAME)}\0${text(r.CONSTRAINT_NAME)}`);
  for (const parts of fks.values()) tables.get(text(parts[0]!.TABLE_NAME))?.foreignKeys.push(toForeignKey(parts));

  for (const table of tables.values()) {
    table.indexes.sort((a, b) => byString(a.name, b.name));
    table.uniques.sort((a, b) => byString(a.name ?? '', b.name ?? ''));
    table.foreignKeys.sort((a, b) => byString(a.name ?? '', b.name ?? ''));
  }
  const triggers = toTriggers(catalog.triggers ?? [], new Set(tables.keys()));
  const columnNames = new Map([...tables.values()].map((t) => [t.name, t.columns.map((c) => c.name)]));
  const views = toViewUses(catalog.views ?? [], database, columnNames);
  return { dialect: 'mysql', tables: [...tables.values()], enums: [], triggers, ...(views.length ? { views } : {}) };
}

const select = <T>(db: Sql, sql: string, bindings: string[] = []): Promise<T[]> => db.query<T>(sql, bindings);

export async function detectFlavor(db: Sql): Promise<MysqlFlavor> {
  const [row] = await select<{ server_version: Value }>(db, VERSION_SQL);
  return /mariadb/i.test(text(row?.server_version ?? null)) ? 'mariadb' : 'mysql';
}

/**
 * Servers before MariaDB 10.2.22 / 10.3.10 and MySQL 8.0.16 have no
 * CHECK_CONSTRAINTS (nor CHECKs to find); before MySQL 8.0.13 no
 * VIEW_TABLE_USAGE: what is not there is read as nothing.
 */
async function selectIfThere<T>(db: Sql, sql: string, database: string): Promise<T[]> {
  try {
    return await select<T>(db, sql, [database]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ER_UNKNOWN_TABLE' || code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') return [];
    throw err;
  }
}

export async function introspectMysql(db: Sql, database: string): Promise<DbSchema> {
  const flavor = await detectFlavor(db);
  const catalog: MysqlCatalog = {
    tables: await select<TableRow>(db, TABLES_SQL, [database]),
    columns: await select<ColumnRow>(db, COLUMNS_SQL, [database]),
    statistics: await select<StatisticsRow>(db, STATISTICS_SQL[flavor], [database]),
    foreignKeys: await select<ForeignKeyRow>(db, FOREIGN_KEYS_SQL, [database]),
    checks: await selectIfThere<CheckRow>(db, CHECKS_SQL[flavor], database),
    triggers: await select<TriggerRow>(db, TRIGGERS_SQL, [database]),
    views: await selectIfThere<ViewRow>(db, VIEWS_SQL[flavor], database),
  };
  return catalogToSchema(catalog, flavor, database);
}
