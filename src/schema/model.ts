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

export interface Table {
  name: string;
  comment: string | null;
  columns: Column[];
  primaryKey: PrimaryKey | null;
  uniques: UniqueConstraint[];
  foreignKeys: ForeignKey[];
  indexes: Index[];
}

/** A PostgreSQL enum type (`CREATE TYPE ... AS ENUM`). */
export interface EnumType {
  name: string;
  labels: string[];
}

/** A row trigger a variant relies on (PostgreSQL's updated_at triggers). */
export interface Trigger {
  name: string;
  table: string;
  /** `BEFORE UPDATE`, `AFTER INSERT`... */
  timing: string;
  function: string;
}

export interface DbSchema {
  dialect: Dialect;
  tables: Table[];
  enums: EnumType[];
  triggers: Trigger[];
}

export const emptySchema = (dialect: Dialect): DbSchema => ({ dialect, tables: [], enums: [], triggers: [] });
