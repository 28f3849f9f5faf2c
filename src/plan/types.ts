/**
 * The shapes the planner hands out (see plan.ts for the functions). Kept
 * apart so that the dialect renderers can name them without importing the
 * planner itself (no import cycles).
 */
import type { Dialect } from '../schema/model.js';
import type { DialectNormalizer } from '../schema/normalize.js';
import type { TextTypes } from './type-change.js';
import type { Operation } from './operations.js';

/** Renames declared by the user (`--rename`, `renamedFrom`): never guessed. */
export interface Renames {
  /** old table name -> new table name */
  tables: Record<string, string>;
  /** keyed by the NEW table name: old column name -> new column name */
  columns: Record<string, Record<string, string>>;
}

export const noRenames = (): Renames => ({ tables: {}, columns: {} });

/**
 * What an operation risks, in the manner of Prisma's destructive-change
 * checker: `data-loss` loses data when it runs (a dropped column, a narrowed
 * type); `may-fail` cannot lose data but fails on some existing rows (a new
 * unique constraint over duplicates, NOT NULL over NULLs).
 */
export interface PlanWarning {
  level: 'data-loss' | 'may-fail';
  /** Index into DialectPlan.operations. */
  operation: number;
  /** Names the object: `drops column users.bio (its values are lost)`. */
  message: string;
}

export interface PlannedStatement {
  sql: string;
  /** The operation the statement belongs to (index into DialectPlan.operations); the first one when it covers several. */
  operation: number;
  /**
   * Every operation the statement performs (a MySQL ALTER TABLE may combine
   * several); includes `operation`, except for a helper statement that
   * performs none of them by itself and may safely run again (PostgreSQL's
   * temporary NOT NULL check: added, validated, dropped): [].
   */
  operations: number[];
  /**
   * The statement blocks writes to a table that existed for as long as it
   * runs (it copies or rewrites the table): why, in words. `dbkit make`
   * refuses it without --allow-blocking; MySQL ones may run through
   * pt-online-schema-change (`dbkit migrate --online pt-osc`).
   */
  blocking?: string;
  /** Fix scripts only: the statement is printed commented out, with this reason. */
  disabled?: string;
  /**
   * PostgreSQL `ALTER TYPE ... ADD VALUE`: a label added inside a transaction
   * cannot be used before that transaction commits. Fix scripts run these
   * before their transaction; a migration that uses the label later in the
   * same plan is not transactional (DialectPlan.transactional).
   */
  commitFirst?: true;
}

export interface DialectPlan {
  dialect: Dialect;
  /** Ordered by dependency; plain JSON (frozen migrations store them). */
  operations: Operation[];
  /** The SQL, in order; one or more statements per operation. Without a trailing semicolon; may contain semicolons (DO blocks, functions). */
  statements: PlannedStatement[];
  /**
   * Whether the statements may run in one transaction. Always false on
   * MySQL/MariaDB (DDL commits by itself there). False on PostgreSQL when a
   * statement cannot run in a transaction block (CREATE INDEX CONCURRENTLY)
   * or an enum label added is used later in the plan.
   */
  transactional: boolean;
  /** Why the plan is not transactional, in words (absent when it is). */
  nonTransactionalReason?: string;
  warnings: PlanWarning[];
  /** Statements that block writes while they copy or rewrite a table that existed (see PlannedStatement.blocking), in order. */
  blocking: BlockingStatement[];
}

/** A statement of a plan that blocks writes while it runs. */
export interface BlockingStatement {
  /** Index into DialectPlan.statements. */
  statement: number;
  /** Index into DialectPlan.operations. */
  operation: number;
  message: string;
}

export type PlanPurpose = 'migration' | 'fix';

export interface PlanOptions {
  /** The dialect both models are of: its spellings, risks and SQL (its SqlDialect's `planner()`). */
  dialect: PlanDialect;
  renames?: Renames;
  /**
   * `migration` (dbkit make): production-safe SQL for a database of any size
   * (CREATE INDEX CONCURRENTLY, NOT VALID foreign keys, lookups of the names
   * the engine gave unnamed constraints). `fix` (dbkit diff --sql): one
   * transaction on PostgreSQL; data-loss statements and drops of extra
   * indexes, triggers and CHECK constraints come disabled.
   */
  purpose: PlanPurpose;
}

export interface RenderOptions {
  purpose: PlanPurpose;
  /** Operations whose statements are disabled (fix scripts), with the reason. */
  disabled?: ReadonlyMap<number, string>;
  /**
   * MySQL fix scripts: the live tables whose own default character set or
   * collation is not the variant's, by name. A column a statement defines
   * there (MODIFY, ADD) names its character set, or it would take the
   * table's.
   */
  driftedTables?: ReadonlySet<string>;
}

/** A dropped and an added table or column that could be one renamed. */
export interface RenameCandidate {
  kind: 'table' | 'column';
  /** For columns: the table, by its new name. */
  table: string | null;
  from: string;
  to: string;
  /** The flag that declares the rename: `--rename users.name=full_name`, `--rename old_table=new_table`. */
  flag: string;
}

/** A plan that cannot be made: a declared rename that does not fit the models. Exit 2 at the command. */
export class PlanError extends Error {}

/** What the destructive-change checker asks a dialect (destructive.ts). */
export interface DestructiveRules {
  readonly textTypes: TextTypes;
  /** What a NOT NULL column added without a default does to the rows a table has (MySQL: an implicit default; PostgreSQL: fails). */
  readonly notNullWithoutDefault: string;
}

/** How views stand in the way of a fix on a dialect (view-blockers.ts). */
export interface ViewRules {
  /** A view that uses a renamed column or table breaks (MySQL); PostgreSQL follows the rename. */
  readonly renamesBreakViews: boolean;
  /** A column's character set is part of what a view depends on (MySQL). */
  readonly charsetMatters: boolean;
  /** What the statement does while such a view exists. */
  readonly effect: string;
}

/**
 * What the planner asks of a dialect: its spellings, its risks, and the SQL
 * of operations. Each dialect's SqlDialect hands one out (`planner()`,
 * loaded on first use: dialects/<d>/planner.ts); the planner never asks
 * which dialect it is on.
 */
export interface PlanDialect extends DestructiveRules {
  readonly name: Dialect;
  readonly normalizer: DialectNormalizer;
  readonly views: ViewRules;
  /** A fix script runs in one transaction (PostgreSQL; MySQL commits each DDL statement). */
  readonly fixInTransaction: boolean;
  /** The statements of `ops` (already in order). */
  render(ops: readonly Operation[], opts: RenderOptions): PlannedStatement[];
  /** Why these statements cannot run in one transaction, or null when they can. */
  nonTransactionalReason(ops: readonly Operation[], statements: readonly PlannedStatement[]): string | null;
}
