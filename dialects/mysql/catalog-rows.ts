/** The rows of information_schema that MySQL / MariaDB introspection reads, as the server documents them. */
import type { Value } from './catalog-values.js';

export type MysqlFlavor = 'mysql' | 'mariadb';

/** information_schema.TABLES */
export interface TableRow {
  TABLE_NAME: Value;
  TABLE_COMMENT: Value;
  /** The table's default collation (absent in older fixtures: nothing compared). */
  TABLE_COLLATION?: Value;
  /** The character set of TABLE_COLLATION (information_schema.COLLATIONS). */
  TABLE_CHARSET?: Value;
  /** Whether TABLE_COLLATION is its character set's default (COLLATIONS.IS_DEFAULT: `Yes` or ''). */
  COLLATION_IS_DEFAULT?: Value;
  /** The database's default collation (information_schema.SCHEMATA). */
  SCHEMA_COLLATION?: Value;
  /** The collation the server gives utf8mb4 by default: `COLLATION(CONVERT('' USING utf8mb4))`. */
  UTF8MB4_COLLATION?: Value;
}

/** information_schema.COLUMNS */
export interface ColumnRow {
  TABLE_NAME: Value;
  COLUMN_NAME: Value;
  ORDINAL_POSITION: Value;
  COLUMN_DEFAULT: Value;
  IS_NULLABLE: Value;
  DATA_TYPE: Value;
  COLUMN_TYPE: Value;
  EXTRA: Value;
  COLUMN_COMMENT: Value;
  CHARACTER_SET_NAME?: Value;
  COLLATION_NAME?: Value;
}

/** information_schema.STATISTICS (EXPRESSION: MySQL 8.0.13+ functional key parts). */
export interface StatisticsRow {
  TABLE_NAME: Value;
  INDEX_NAME: Value;
  SEQ_IN_INDEX: Value;
  COLUMN_NAME: Value;
  NON_UNIQUE: Value;
  INDEX_TYPE: Value;
  SUB_PART: Value;
  EXPRESSION?: Value;
}

/** information_schema.KEY_COLUMN_USAGE joined with REFERENTIAL_CONSTRAINTS: one row per foreign-key column. */
export interface ForeignKeyRow {
  TABLE_NAME: Value;
  CONSTRAINT_NAME: Value;
  COLUMN_NAME: Value;
  ORDINAL_POSITION: Value;
  REFERENCED_TABLE_NAME: Value;
  REFERENCED_COLUMN_NAME: Value;
  UPDATE_RULE: Value;
  DELETE_RULE: Value;
}

/** information_schema.CHECK_CONSTRAINTS (MariaDB's has TABLE_NAME; MySQL 8's gets it from TABLE_CONSTRAINTS). */
export interface CheckRow {
  TABLE_NAME: Value;
  CONSTRAINT_NAME: Value;
  CHECK_CLAUSE: Value;
}

/** information_schema.TRIGGERS */
export interface TriggerRow {
  TRIGGER_NAME: Value;
  EVENT_OBJECT_TABLE: Value;
  ACTION_TIMING: Value;
  EVENT_MANIPULATION: Value;
}

/** MySQL 8: information_schema.VIEW_TABLE_USAGE (tables only); MariaDB: information_schema.VIEWS (the definition). */
export interface ViewRow {
  VIEW_SCHEMA: Value;
  VIEW_NAME: Value;
  TABLE_NAME?: Value;
  VIEW_DEFINITION?: Value;
}

export interface MysqlCatalog {
  tables: TableRow[];
  columns: ColumnRow[];
  statistics: StatisticsRow[];
  foreignKeys: ForeignKeyRow[];
  checks: CheckRow[];
  triggers?: TriggerRow[];
  views?: ViewRow[];
}
