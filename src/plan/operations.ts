/**
 * The typed operations a migration performs, on the physical model of one
 * dialect (src/schema/model.ts). They are the contract between the planner
 * (model A -> model B -> ordered operations -> SQL per dialect, used by
 * `dbkit make` and `dbkit diff --sql`) and the migration runtime (frozen
 * migrations store them beside their SQL; crash recovery, the pre-flight
 * ownership check and `dbkit check` read them).
 *
 * Every payload is plain JSON (model objects, strings, booleans, null), so a
 * frozen migration can store them in migration.json as they are. Operations
 * that remove something carry the whole removed object, so that they can be
 * reversed, described ("drops column bio text") and folded without the model
 * they started from.
 */
import type {
  CheckConstraint,
  Column,
  EnumType,
  ForeignKey,
  Index,
  PrimaryKey,
  Table,
  Trigger,
  UniqueConstraint,
} from '../schema/model.js';

/** A column of an enum type, as a PostgreSQL type swap needs it (the default is dropped and restored around the swap). */
export interface EnumUse {
  table: string;
  column: string;
  default: string | null;
}

/** A table's character set and collation; null: the variant's character set (utf8mb4), its default collation. */
export interface TableCharset {
  charset: string | null;
  collation: string | null;
}

export type Operation =
  /** A new table: columns, primary key, unique constraints and indexes. Its foreign keys come as add_foreign_key (so that tables can reference each other in any order). */
  | { op: 'create_table'; table: Table }
  /** Drops the table with everything on it (its own foreign keys, indexes, triggers). */
  | { op: 'drop_table'; table: Table }
  | { op: 'rename_table'; from: string; to: string }
  | { op: 'add_column'; table: string; column: Column }
  | { op: 'drop_column'; table: string; column: Column }
  | { op: 'rename_column'; table: string; from: string; to: string }
  /** Any change of one column's type, nullability, default, auto-increment, ON UPDATE or comment. */
  | { op: 'alter_column'; table: string; from: Column; to: Column }
  | { op: 'set_primary_key'; table: string; from: PrimaryKey | null; to: PrimaryKey | null }
  | { op: 'add_unique'; table: string; unique: UniqueConstraint }
  | { op: 'drop_unique'; table: string; unique: UniqueConstraint }
  | { op: 'add_foreign_key'; table: string; foreignKey: ForeignKey }
  | { op: 'drop_foreign_key'; table: string; foreignKey: ForeignKey }
  | { op: 'create_index'; table: string; index: Index }
  | { op: 'drop_index'; table: string; index: Index }
  /** An index whose definition stays (a PostgreSQL `idx_<table>_*` index after its table was renamed). */
  | { op: 'rename_index'; table: string; from: string; to: string }
  | { op: 'add_check'; table: string; check: CheckConstraint }
  | { op: 'drop_check'; table: string; check: CheckConstraint }
  | { op: 'set_table_comment'; table: string; from: string | null; to: string | null }
  /** MySQL: the table's character set and collation, and every text column's with them (CONVERT TO). Only a fix script has it: a definition never sets one. */
  | {
      op: 'convert_table_charset';
      table: string;
      from: TableCharset;
      to: TableCharset;
      /**
       * Only the table's default changes (`ALTER TABLE t DEFAULT CHARACTER
       * SET ...`): none of its text columns has the table's own character
       * set and collation, so none is rewritten and no row changes. Absent:
       * CONVERT TO, which rewrites every text column.
       */
      defaultOnly?: true;
    }
  /** PostgreSQL enum types (`CREATE TYPE ... AS ENUM`). */
  | { op: 'create_enum'; enum: EnumType }
  | { op: 'drop_enum'; enum: EnumType }
  /**
   * Labels added keep the type (`ALTER TYPE ... ADD VALUE`); anything else
   * (a label removed, the order changed) swaps the type, which alters
   * `uses`, the columns of that type (absent: none).
   */
  | { op: 'alter_enum'; name: string; from: string[]; to: string[]; uses?: EnumUse[] }
  | { op: 'rename_enum'; from: string; to: string }
  /** The PostgreSQL trigger function that emulates ON UPDATE CURRENT_TIMESTAMP for `column` (not part of the model). */
  | { op: 'create_function'; name: string; column: string }
  | { op: 'drop_function'; name: string; column: string }
  | { op: 'create_trigger'; trigger: Trigger }
  | { op: 'drop_trigger'; trigger: Trigger }
  | { op: 'rename_trigger'; table: string; from: string; to: string };

export type OperationKind = Operation['op'];

/** The operation of one kind. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { op: K }>;
