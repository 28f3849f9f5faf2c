/**
 * The typed findings of `dbkit diff`: one Change per difference between the
 * live database (actual) and the expected variant. `expected` and `actual`
 * are plain JSON values (model objects, strings, booleans, null).
 */
import type {
  CheckConstraint,
  Column,
  Dialect,
  EnumType,
  ForeignKey,
  Index,
  PrimaryKey,
  Table,
  Trigger,
  UniqueConstraint,
} from '../schema/model.js';

/** expected/actual of each kind; `null` on the side where the object does not exist. */
interface Payloads {
  table_missing: [Table, null];
  table_extra: [null, Table];
  table_comment: [string | null, string | null];
  /** MySQL; null: the variant's character set (utf8mb4). */
  table_charset: [string | null, string | null];
  /** MySQL; null: the default collation of the table's character set. */
  table_collation: [string | null, string | null];
  column_missing: [Column, null];
  column_extra: [null, Column];
  column_type: [string, string];
  column_nullable: [boolean, boolean];
  column_default: [string | null, string | null];
  column_auto_increment: [boolean, boolean];
  column_on_update: [string | null, string | null];
  column_comment: [string | null, string | null];
  /** null: the default collation (of the type on PostgreSQL, of the table on MySQL). */
  column_collation: [string | null, string | null];
  /** MySQL; null: the table's character set. */
  column_charset: [string | null, string | null];
  primary_key: [PrimaryKey | null, PrimaryKey | null];
  unique_missing: [UniqueConstraint, null];
  unique_extra: [null, UniqueConstraint];
  foreign_key_missing: [ForeignKey, null];
  foreign_key_extra: [null, ForeignKey];
  foreign_key_changed: [ForeignKey, ForeignKey];
  index_missing: [Index, null];
  index_extra: [null, Index];
  index_changed: [Index, Index];
  check_missing: [CheckConstraint, null];
  check_extra: [null, CheckConstraint];
  check_changed: [CheckConstraint, CheckConstraint];
  trigger_missing: [Trigger, null];
  trigger_extra: [null, Trigger];
  trigger_changed: [Trigger, Trigger];
  enum_missing: [EnumType, null];
  enum_extra: [null, EnumType];
  enum_labels: [string[], string[]];
}

export type ChangeKind = keyof Payloads;

/** Kinds that belong to the schema rather than to one table (`table: null`). */
type SchemaLevelKind = 'enum_missing' | 'enum_extra' | 'enum_labels';

export type Change = {
  [K in ChangeKind]: {
    kind: K;
    /** The table the change belongs to; null for schema-level objects (enum types). */
    table: K extends SchemaLevelKind ? null : string;
    /**
     * What the change is about: the table, column, index, enum or trigger
     * name; for constraints the design leaves unnamed, a structural label
     * (`PRIMARY KEY`, `UNIQUE (a, b)`, `FOREIGN KEY (a) REFERENCES t (id)`).
     */
    name: string;
    expected: Payloads[K][0];
    actual: Payloads[K][1];
    /** One human sentence. */
    message: string;
  };
}[ChangeKind];

/** The order of kinds within one table (and of the output as a whole after the table name). */
export const CHANGE_KINDS: readonly ChangeKind[] = [
  'table_missing',
  'table_extra',
  'table_comment',
  'table_charset',
  'table_collation',
  'column_missing',
  'column_extra',
  'column_type',
  'column_nullable',
  'column_default',
  'column_auto_increment',
  'column_on_update',
  'column_comment',
  'column_collation',
  'column_charset',
  'primary_key',
  'unique_missing',
  'unique_extra',
  'foreign_key_missing',
  'foreign_key_extra',
  'foreign_key_changed',
  'index_missing',
  'index_extra',
  'index_changed',
  'check_missing',
  'check_extra',
  'check_changed',
  'trigger_missing',
  'trigger_extra',
  'trigger_changed',
  'enum_missing',
  'enum_extra',
  'enum_labels',
];

/** A view in the way of a statement of the fix (src/plan/view-blockers.ts). */
export interface ViewBlocker {
  view: string;
  table: string;
  /** The column the view uses, or null when the catalog only tells the table (MySQL 8). */
  column: string | null;
  /** Index of the fix plan's statement it stands in the way of. */
  statement: number;
  /** One sentence: what the view uses and what it does to the statement. */
  message: string;
}

/** What `dbkit diff` hands to its renderers. */
export interface DiffResult {
  dialect: Dialect;
  /** The schema definition compared against (`agents`, `chat`). */
  schema: string;
  changes: Change[];
  /** Views in the way of the fix of these changes (live databases with views only). */
  views?: ViewBlocker[];
}
