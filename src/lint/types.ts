/**
 * The lint engine's inputs and outputs: SQL files with what dbkit knows about
 * them in, findings out. Pure data.
 */
import type { Dialect } from '../schema/model.js';
import type { Fact } from './facts.js';

export type Direction = 'up' | 'down';

/** What lint knows of a table that exists before the file runs. */
export interface KnownTable {
  /** Column name -> its type and nullability, as the snapshot has them (physical variant of the dialect). */
  columns: Map<string, { type: string; nullable: boolean }>;
  /** Names of the validated CHECK constraints on the table that say `col IS NOT NULL`, by column. */
  notNullChecks: Set<string>;
}

/** One SQL file of a migration, with the context the rules need. */
export interface LintFile {
  /** `<schema>/<migration>` (or a fixture's name). */
  migration: string;
  dialect: Dialect;
  direction: Direction;
  /** The raw text of the file (comments included: allowances live there). */
  text: string;
  /** Runs in one transaction (migration.json `transactional`; MySQL: never). */
  transactional: boolean;
  /**
   * Tables that exist before the file runs, from the snapshot before it (up:
   * the previous migration's; down: this one's). null: not known (a loose
   * file, a fixture): every table the file did not create is taken to exist,
   * its columns unknown.
   */
  tables: Map<string, KnownTable> | null;
  /** PostgreSQL index name -> its table, for DROP INDEX (from the same snapshot). */
  indexTables?: Map<string, string>;
  /**
   * Per statement (1-based index - 1): whether migration.json records the
   * operations it performs, so that a resumed run decides from the live
   * catalog whether it took effect instead of running it again. Absent or
   * false: a resumed run runs the statement again (a hand-written migration).
   */
  recorded?: boolean[];
  /**
   * Down files only: the text of this migration's up file in the same
   * dialect. What it added (tables, columns, names renamed to) the down
   * removes or renames back on purpose: no DBK5xx finding for that.
   */
  upText?: string;
}

export interface AddedByUp {
  tables: Set<string>;
  columns: Set<string>;
  /** Tables and `table.column`s the up renamed, by their new name. */
  renamed: Set<string>;
}

export interface Finding {
  migration: string;
  dialect: Dialect;
  direction: Direction;
  /** `postgres.up.sql` */
  file: string;
  /** 1-based, as the runner counts statements (dbkit migrate's "statement 2 of 3"). */
  statement: number;
  code: string;
  message: string;
}

/** A finding accepted in the migration by a `-- dbkit-lint: allow CODE reason` comment. */
export interface Allowed extends Finding {
  reason: string;
}

/** Something lint could not judge (not a finding: it does not fail the run). */
export interface Note {
  migration: string;
  file: string;
  statement: number;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  allowed: Allowed[];
  notes: Note[];
  statements: number;
}

/** A statement as the rules see it. */
export interface StatementFacts {
  /** 1-based. */
  index: number;
  facts: Fact[];
}
