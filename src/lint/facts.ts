/**
 * What a statement does, as far as the lint rules care: one small model for
 * both dialects. The PostgreSQL reader fills it from the server's own parse
 * tree (libpg-query); the MySQL/MariaDB reader from a tokenizer-based
 * classifier (mysql/classify.ts), which says `unrecognized` for what it
 * cannot read rather than guess. The rules read facts only, never SQL text.
 */

/** A column's default expression, judged. */
export interface DefaultFact {
  /** The expression as written (for messages). */
  text: string;
  /** Evaluated per row: a volatile function (gen_random_uuid(), random(), clock_timestamp(), nextval(), an unknown function) or, on MySQL, an expression default `DEFAULT (expr)`. */
  volatile: boolean;
}

export type Action =
  /** ADD COLUMN; constraints written inline with the column (REFERENCES, UNIQUE, CHECK) follow it as add_constraint actions. */
  | {
      kind: 'add_column';
      column: string;
      /** The type as written, normalized where the reader can (`bigint`, `varchar(20)`). */
      type: string | null;
      notNull: boolean;
      default: DefaultFact | null;
      /** Values made per row by the server: identity, serial, GENERATED ... STORED, AUTO_INCREMENT. */
      generated: 'identity' | 'serial' | 'stored' | 'auto_increment' | null;
      ifNotExists: boolean;
    }
  | { kind: 'drop_column'; column: string; ifExists: boolean }
  /** `ifExists`: MariaDB's RENAME COLUMN IF EXISTS (PostgreSQL has none for a column). */
  | { kind: 'rename_column'; from: string; to: string; ifExists: boolean }
  | { kind: 'rename_table'; to: string }
  /** PostgreSQL ALTER COLUMN ... TYPE. */
  | { kind: 'alter_type'; column: string; type: string }
  /** MySQL MODIFY / CHANGE: the whole column definition again (CHANGE may rename it: `to`); `ifExists`: MariaDB's CHANGE/MODIFY [COLUMN] IF EXISTS. */
  | { kind: 'modify_column'; column: string; to: string; type: string; notNull: boolean; default: DefaultFact | null; autoIncrement: boolean; ifExists: boolean }
  | { kind: 'set_not_null'; column: string }
  | { kind: 'drop_not_null'; column: string }
  | { kind: 'set_default'; column: string; default: DefaultFact }
  | { kind: 'drop_default'; column: string }
  | {
      kind: 'add_constraint';
      type: 'foreign' | 'check' | 'unique' | 'primary' | 'exclude' | 'other';
      name: string | null;
      notValid: boolean;
      /** UNIQUE / PRIMARY KEY USING INDEX (an index built before, concurrently). */
      usingIndex: boolean;
      /** For `CHECK (col IS NOT NULL)`: the column. */
      notNullColumn: string | null;
      /** MariaDB: ADD CONSTRAINT IF NOT EXISTS name CHECK, FOREIGN KEY IF NOT EXISTS, UNIQUE [KEY] IF NOT EXISTS (PostgreSQL has none). */
      ifNotExists: boolean;
    }
  | { kind: 'validate_constraint'; name: string }
  | { kind: 'drop_constraint'; name: string | null; what: 'constraint' | 'foreign' | 'primary' | 'check'; ifExists: boolean }
  /** MySQL ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX / KEY [IF NOT EXISTS] (MariaDB). */
  | { kind: 'add_index'; name: string | null; unique: boolean; special: 'fulltext' | 'spatial' | null; ifNotExists: boolean }
  | { kind: 'drop_index'; name: string; ifExists: boolean }
  | { kind: 'rename_index'; from: string; to: string; ifExists: boolean }
  /** A change that rebuilds or copies the whole table (MySQL CONVERT TO CHARACTER SET, ENGINE=, FORCE; PostgreSQL SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD). */
  | { kind: 'rebuild'; what: string }
  /** A table option that only changes metadata (COMMENT =, AUTO_INCREMENT = on MySQL; storage parameters, owner, comment...). */
  | { kind: 'table_option'; what: string }
  /** PostgreSQL identity, statistics, storage, triggers, RLS, replica identity...: nothing the rules judge. */
  | { kind: 'other'; what: string }
  /** MySQL: a clause the classifier does not know. */
  | { kind: 'unrecognized'; text: string };

export type Fact =
  | { kind: 'create_table'; table: string; ifNotExists: boolean; temporary: boolean }
  | { kind: 'drop_table'; tables: string[]; ifExists: boolean }
  | { kind: 'rename_table'; from: string; to: string }
  | {
      kind: 'alter_table';
      table: string;
      actions: Action[];
      /** MySQL ALGORITHM= and LOCK= (lower case), null when not given. */
      algorithm: string | null;
      lock: string | null;
      ifExists: boolean;
    }
  | {
      kind: 'create_index';
      name: string | null;
      table: string;
      unique: boolean;
      concurrent: boolean;
      ifNotExists: boolean;
      algorithm: string | null;
      lock: string | null;
    }
  | { kind: 'drop_index'; names: string[]; table: string | null; concurrent: boolean; ifExists: boolean; algorithm: string | null; lock: string | null }
  | { kind: 'reindex'; concurrent: boolean; target: string }
  /** VACUUM FULL, CLUSTER: the table rewritten under ACCESS EXCLUSIVE. */
  | { kind: 'rewrite'; what: string; table: string | null }
  /** CREATE of any other object kind (type, function, trigger, view, sequence, schema, extension). */
  | { kind: 'create_object'; object: string; name: string; repeatable: boolean }
  | { kind: 'drop_object'; object: string; names: string[]; ifExists: boolean }
  | { kind: 'rename_object'; object: string; from: string; to: string }
  /** ALTER TYPE ... ADD VALUE. */
  | { kind: 'add_enum_value'; type: string; ifNotExists: boolean }
  | { kind: 'transaction'; what: string }
  /** SET / RESET of a setting (PostgreSQL), SET [SESSION] var (MySQL); value null for RESET / DEFAULT. */
  | { kind: 'set'; name: string; value: string | null; local: boolean }
  /** MySQL `SET @v = ...`: the statement text it holds, where it can be told (string literal or CONCAT of literals and expressions). */
  | { kind: 'set_user_variable'; variable: string; statement: string | null }
  | { kind: 'prepare'; name: string; from: { variable: string } | { statement: string } }
  | { kind: 'execute'; name: string }
  | { kind: 'deallocate'; name: string }
  | { kind: 'dml'; verb: string; table: string | null }
  | { kind: 'comment' }
  /** Anything else the reader knows is harmless to the rules (SELECT, DO blocks, GRANT, ...). */
  | { kind: 'other'; what: string }
  /** A statement the reader could not read: PostgreSQL's grammar refused it, or the MySQL classifier does not know it. */
  | { kind: 'unrecognized'; text: string; reason: string };

export type FactKind = Fact['kind'];
