/**
 * Dialect-neutral schema definitions: each schema is written once, as data,
 * and resolved into a physical variant per dialect (see resolve.ts).
 */
import type { Dialect, FkAction } from './model.js';

export type LogicalType =
  /** Surrogate primary key: UUID DEFAULT gen_random_uuid() / BIGINT AUTO_INCREMENT. */
  | { kind: 'id' }
  /** A foreign-key column pointing at an `id`: UUID / BIGINT. */
  | { kind: 'ref' }
  | { kind: 'varchar'; length: number }
  | { kind: 'text' }
  | { kind: 'longtext' }
  | { kind: 'bigint' }
  | { kind: 'int' }
  | { kind: 'smallint' }
  | { kind: 'tinyint' }
  /** JSONB / JSON. */
  | { kind: 'json' }
  /** Documented as JSON but stored as TEXT in the native MySQL variant; JSONB on PostgreSQL. */
  | { kind: 'json_text' }
  /** TEXT[] / a JSON array. */
  | { kind: 'text_array' }
  /** TIMESTAMP WITH TIME ZONE / TIMESTAMP. */
  | { kind: 'timestamp' }
  | { kind: 'enum'; labels: string[] };

export type DefaultDef = { kind: 'now' } | { kind: 'string'; value: string } | { kind: 'number'; value: number };

export interface ColumnDef {
  name: string;
  type: LogicalType;
  notNull?: boolean;
  default?: DefaultDef;
  /** Refreshed to the current time on every update (MySQL ON UPDATE, a trigger on PostgreSQL). */
  onUpdateNow?: boolean;
  unique?: boolean;
  references?: { table: string; onDelete: FkAction };
  comment?: string;
  /**
   * The column's name in the snapshot, when this change renames it: `dbkit
   * make` then renames instead of dropping one column and adding another.
   * Not stored in snapshots; may stay in the definition afterwards (a name
   * the snapshot does not have is ignored).
   */
  renamedFrom?: string;
}

export interface IndexDef {
  /** The name in the schema document (MySQL names are per table; PostgreSQL's get the table prefixed). */
  name: string;
  columns: string[];
  unique?: boolean;
}

export interface TableDef {
  name: string;
  /** The table's name in the snapshot, when this change renames it (see ColumnDef.renamedFrom). */
  renamedFrom?: string;
  comment?: string;
  columns: ColumnDef[];
  /** Table-level unique constraints, unnamed in the documents. */
  uniques?: string[][];
  indexes?: IndexDef[];
}

export interface SchemaDef {
  name: string;
  /** The dialect the schema document was written for; its variant must match the document exactly. */
  native: Dialect;
  tables: TableDef[];
}

// Small constructors, so that the definitions read like the documents.
export const t = {
  id: (): LogicalType => ({ kind: 'id' }),
  ref: (): LogicalType => ({ kind: 'ref' }),
  varchar: (length: number): LogicalType => ({ kind: 'varchar', length }),
  text: (): LogicalType => ({ kind: 'text' }),
  longtext: (): LogicalType => ({ kind: 'longtext' }),
  bigint: (): LogicalType => ({ kind: 'bigint' }),
  int: (): LogicalType => ({ kind: 'int' }),
  smallint: (): LogicalType => ({ kind: 'smallint' }),
  tinyint: (): LogicalType => ({ kind: 'tinyint' }),
  json: (): LogicalType => ({ kind: 'json' }),
  jsonText: (): LogicalType => ({ kind: 'json_text' }),
  textArray: (): LogicalType => ({ kind: 'text_array' }),
  timestamp: (): LogicalType => ({ kind: 'timestamp' }),
  enum: (...labels: string[]): LogicalType => ({ kind: 'enum', labels }),
};

export const now: DefaultDef = { kind: 'now' };
export const str = (value: string): DefaultDef => ({ kind: 'string', value });
export const num = (value: number): DefaultDef => ({ kind: 'number', value });
export const cascade = (table: string) => ({ table, onDelete: 'CASCADE' as const });
export const setNull = (table: string) => ({ table, onDelete: 'SET NULL' as const });
