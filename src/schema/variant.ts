/**
 * What a dialect decides when a neutral definition becomes a physical
 * variant. Each dialect folder exports one of these from its `types.ts`.
 */
import type { ColumnDef, DefaultDef, IndexDef, SchemaDef, TableDef } from './definition.js';
import type { Column, Dialect } from './model.js';

export interface VariantRules {
  dialect: Dialect;
  /** The physical type of a column; `enumType` is set when the dialect needs a named enum type. */
  columnType(col: ColumnDef, table: TableDef, schema: SchemaDef): { type: string; enumType?: string };
  /** What the surrogate `id` key column becomes. */
  idColumn(): Pick<Column, 'type' | 'default' | 'autoIncrement'>;
  /** Canonical spelling of a default (as the normalizer writes it). */
  defaultExpr(d: DefaultDef): string;
  /** The physical index name of a named index of the definition. */
  indexName(table: TableDef, index: IndexDef, schema: SchemaDef): string;
  /** Where index names must be unique: per table (MySQL) or per schema, beside the tables (PostgreSQL). */
  indexNames: 'table' | 'schema';
  /**
   * How foreign-key columns that no index leads with get indexed: `implicit`
   * (MySQL makes one by itself) or `explicit` (the variant declares one).
   * `none` leaves them as the document has them.
   */
  fkIndexes(schema: SchemaDef): 'implicit' | 'explicit' | 'none';
  /** `column`: MySQL's ON UPDATE; `trigger`: a BEFORE UPDATE trigger. */
  onUpdateNow: 'column' | 'trigger';
  /** What an index key may hold, where the engine limits it when the index is built (MySQL); absent: no limit checked. */
  indexKey?: IndexKeyRules;
  /**
   * Why the engine would take a name (of a table, column, index, enum type,
   * trigger) other than as written, or null when it takes it as it is; the
   * rules both engines share (no control character, no quote character) are
   * src/schema/validate.ts's. Absent: none of its own.
   */
  nameProblem?(name: string): string | null;
}

/** An engine's limits on index keys (src/schema/validate.ts refuses a definition past them). */
export interface IndexKeyRules {
  /** The longest key, in bytes. */
  maxBytes: number;
  /** The bytes a column of this physical type adds to a key; null when it is a key part only with a prefix length (the model has none). */
  columnBytes(type: string, charset: string): number | null;
  /** Why the limit is what it is, said with a problem. */
  limitNote: string;
}

/** The function and trigger names used for ON UPDATE emulation. */
export const updateFunctionName = (column: string): string => `set_${column}`;
export const updateTriggerName = (table: string, column: string): string => `trg_${table}_${column}`;

export const canonicalDefault = (d: DefaultDef): string => {
  switch (d.kind) {
    case 'now':
      return 'CURRENT_TIMESTAMP';
    case 'number':
      return String(d.value);
    case 'string':
      return `'${d.value.replace(/'/g, "''")}'`;
  }
};
