/**
 * SQL of operations for a dialect: the per-dialect renderers
 * (dialects/<d>/plan-sql.ts) behind one function, and whether the result can
 * run in one transaction.
 */
import { renderMysql } from '../../dialects/mysql/plan-sql.js';
import { postgresNonTransactional, renderPostgres } from '../../dialects/postgres/plan-sql.js';
import type { Dialect } from '../schema/model.js';
import type { Operation } from './operations.js';
import type { PlannedStatement, RenderOptions } from './types.js';

/** The statements of `ops` (already in order) for `dialect`. */
export function renderOperations(dialect: Dialect, ops: readonly Operation[], opts: RenderOptions): PlannedStatement[] {
  return dialect === 'postgres' ? renderPostgres(ops, opts) : renderMysql(ops, opts);
}

/** Why these statements cannot run in one transaction, or null when they can. */
export function nonTransactionalReason(dialect: Dialect, ops: readonly Operation[], statements: readonly PlannedStatement[]): string | null {
  if (dialect === 'mysql') return 'MySQL and MariaDB commit each DDL statement by itself';
  return postgresNonTransactional(ops, statements);
}
