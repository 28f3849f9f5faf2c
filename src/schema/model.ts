/**
 * The physical schema model: what one variant of a schema looks like in one
 * engine. The expected side (resolved from a definition) and the actual side
 * (introspected from a live database) are both expressed in this model, and
 * both pass through the same normalizer before they are compared.
 */

export type Dialect = 'postgres' | 'mysql';

export type FkAction = 'CASCADE' | 'SET NULL' | 'SET DEFAULT' | 'RESTRICT' | 'NO ACTION';

export interface Column {
  name: string;
  /** Canonical type spelling of the dialect: `varchar(50)`, `timestamptz`, `enum('a','b')`, an enum type name... */
  type: string;
  nullable: boolean;
  /** Canonical default expression (`CURRENT_TIMESTAMP`, `'running'`, `1`, `gen_random_uuid()`), or null. */
  default: string | null;
  /** MySQL AUTO_INCREMENT or PostgreSQL identity/serial. */
  autoIncrement: boolean;
  /** MySQL `ON UPDATE` expression, or null. */
  onUpdate: string | null;
  comment: string | null;
  /**
   * A collation other than the default: PostgreSQL an explicit column
   * collation; MySQL a collation other than the table's default. Absent
   * means the default (the definition never sets one).
   */
  collation?: string;
  /** MySQL: a character set other than the table's (utf8mb4 in the variant). Absent means the table's (or not a string column). */
  charset?: string;
}

/** Constraints the design leaves unnamed carry `name: null`; they are compared by structure. */
export interface PrimaryKey {
  name: string | null;
  columns: string[];
}

export interface UniqueConstraint {
  name: string | null;
  columns: string[];
}

export interface ForeignKey {
  name: string | null;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
}

export interface Index {
  name: string;
  columns: string[];
  unique: boolean;
  /** Access method, lower case: `btree`, `hash`, `gin`... */
  method: string;
  /** Partial index predicate, or null. */
  where: string | null;
  /**
   * True for the index MySQL creates by itself for a foreign key whose columns
   * no other index leads with; such an index is matched by columns, not name.
   */
  implicit?: boolean;
  /** PostgreSQL `indisvalid`; absent means valid. */
  valid?: boolean;
}

/** A CHECK constraint (none in the definitions; a live database may have some). */
export interface CheckConstraint {
  name: string;
  /** The condition as the engine prints it, without the outer `CHECK (...)`. */
  expression: string;
}

export interface Table {
  name: string;
  comment: string | null;
  columns: Column[];
  primaryKey: PrimaryKey | null;
  uniques: UniqueConstraint[];
  foreignKeys: ForeignKey[];
  indexes: Index[];
  /** CHECK constraints; absent means none (MariaDB's implicit `json_valid` checks are not listed). */
  checks?: CheckConstraint[];
  /**
   * MySQL: the table's character set when it is not the variant's
   * (DEFAULT_TABLE_CHARSET); absent means that one. A definition never sets
   * it; PostgreSQL tables have none.
   */
  charset?: string;
  /** MySQL: the table's collation when it is not its character set's default on the server; absent means the default. */
  collation?: string;
}

/** The character set of every table of a MySQL variant (`DEFAULT CHARSET=utf8mb4`). */
export const DEFAULT_TABLE_CHARSET = 'utf8mb4';

/** A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`). */
export interface EnumType {
  name: string;
  labels: string[];
}

/** A row trigger a variant relies on (PostgreSQL's updated_at triggers), or one found in a live database. */
export interface Trigger {
  name: string;
  table: string;
  /** `BEFORE UPDATE`, `AFTER INSERT`... */
  timing: string;
  /** The PostgreSQL trigger function; empty for MySQL triggers (their body is inline). */
  function: string;
}

/**
 * A view of a live database that uses a table (and, where the catalog tells,
 * a column of it): altering or dropping what it uses fails (PostgreSQL) or
 * leaves the view invalid (MySQL). Only introspection fills these in.
 */
export interface ViewUse {
  /** The view, schema-qualified when it lives in another namespace. */
  view: string;
  table: string;
  /** The column used, or null when the catalog only tells the table (MySQL 8). */
  column: string | null;
}

export interface DbSchema {
  dialect: Dialect;
  tables: Table[];
  enums: EnumType[];
  triggers: Trigger[];
  /** Views of a live database and what they use; absent for a definition. */
  views?: ViewUse[];
}

export const emptySchema = (dialect: Dialect): DbSchema => ({ dialect, tables: [], enums: [], triggers: [] });
