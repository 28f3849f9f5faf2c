/** Whether statements of a migration took effect, from its operations and the live catalog (recovery.ts decides). */
import type { Sql } from '../../db/sql.js';
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import { foldOperations } from '../../plan/fold.js';
import { statementsOf, type ExecutionContext } from './context.js';
import type { Direction } from '../folder/format.js';
import { concurrentBuilds, decide, type Decision } from './recovery.js';
import type { LoadedMigration } from '../folder/source.js';

/** The model before statement `start` of a direction, and the operations of statements start..end-1. */
function modelAt(m: LoadedMigration, direction: Direction, start: number, end: number, ctx: ExecutionContext) {
  const meta = m.meta[direction];
  let model = ctx.modelBefore(m.name);
  if (direction === 'down') model = foldOperations(model, m.meta.up.operations);
  const done = [...new Set(meta.statementOperations.slice(0, start).flat())].map((j) => meta.operations[j]!);
  const ops = [...new Set(meta.statementOperations.slice(start, end).flat())]
    .filter((j) => !meta.statementOperations.slice(0, start).flat().includes(j))
    .map((j) => meta.operations[j]!);
  return { before: foldOperations(model, done), ops };
}

/**
 * Did statements start..end-1 of a migration take effect? From their
 * operations and the live catalog, read through `sql` (the migration's own
 * connection while it holds it: PGlite has only that one).
 */
export async function decideAt(m: LoadedMigration, direction: Direction, start: number, end: number, ctx: ExecutionContext, sql: Sql = ctx.conn.sql): Promise<Decision> {
  let at: ReturnType<typeof modelAt>;
  try {
    at = modelAt(m, direction, start, end, ctx);
  } catch (err) {
    return { kind: 'unknown', found: `its operations do not fold (${(err as Error).message})` };
  }
  if (!at.ops.length) return { kind: 'run' };
  const { conn } = ctx;
  const dialect = dialects[conn.config.dialect];
  const live = await dialect.introspect(sql, conn.namespace);
  const builds = dialects[m.dialect].buildsIndexesConcurrently ? concurrentBuilds(statementsOf(m, direction).slice(start, end)) : [];
  return decide(at.before, at.ops, live, dialect.normalizer, builds);
}
