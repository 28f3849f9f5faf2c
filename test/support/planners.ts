/**
 * The dialects as the pure core takes them, for tests that call it directly:
 * the planner, the normalizer, the text types of each dialect (dbkit itself
 * hands them over from its SQL dialects: src/engines/).
 */
import { mysqlPlanner } from '../../dialects/mysql/planner.js';
import { postgresPlanner } from '../../dialects/postgres/planner.js';
import type { PlanDialect } from '../../src/plan/types.js';
import type { Dialect } from '../../src/schema/model.js';

export const PLANNERS: Readonly<Record<Dialect, PlanDialect>> = { postgres: postgresPlanner, mysql: mysqlPlanner };

import { adoptionGaps as adoptionGapsWith, adoptVerdict as adoptVerdictWith } from '../../src/migrate/apply/adopt.js';
import { decide as decideWith, type ConcurrentBuild, type Decision } from '../../src/migrate/apply/recovery.js';
import type { LoadedMigration } from '../../src/migrate/folder/source.js';
import { plan as planBoth, type Plans } from '../../src/migrate/author/compose.js';
import { classifyOperations as classifyWith } from '../../src/plan/destructive.js';
import type { Operation } from '../../src/plan/operations.js';
import { planChange as planChangeWith } from '../../src/plan/plan.js';
import { typeChangeRisk as typeChangeRiskWith, type TypeRisk } from '../../src/plan/type-change.js';
import type { DialectPlan, PlanOptions, PlannedStatement, PlanWarning, Renames, RenderOptions } from '../../src/plan/types.js';
import { viewBlockers as viewBlockersWith } from '../../src/plan/view-blockers.js';
import type { SchemaDef } from '../../src/schema/definition.js';
import type { DbSchema } from '../../src/schema/model.js';
import type { ViewBlocker } from '../../src/diff/changes.js';

/** The planner on the models' own dialect. */
export const planChange = (from: DbSchema, to: DbSchema, opts: Omit<PlanOptions, 'dialect'>): DialectPlan =>
  planChangeWith(from, to, { dialect: PLANNERS[to.dialect], ...opts });
/** make's plans of both dialects. */
export const plan = (snapshot: SchemaDef, def: SchemaDef, renames: Renames): Plans => planBoth(snapshot, def, renames, PLANNERS);
export const renderOperations = (dialect: Dialect, ops: readonly Operation[], opts: RenderOptions): PlannedStatement[] => PLANNERS[dialect].render(ops, opts);
export const nonTransactionalReason = (dialect: Dialect, ops: readonly Operation[], statements: readonly PlannedStatement[]): string | null =>
  PLANNERS[dialect].nonTransactionalReason(ops, statements);
export const typeChangeRisk = (dialect: Dialect, from: string, to: string): TypeRisk | null => typeChangeRiskWith(PLANNERS[dialect].textTypes, from, to);
export const classifyOperations = (dialect: Dialect, ops: readonly Operation[]): PlanWarning[] => classifyWith(PLANNERS[dialect], ops);
export const viewBlockers = (p: DialectPlan, actual: DbSchema): ViewBlocker[] => viewBlockersWith(p, actual, PLANNERS[p.dialect].views);
export const decide = (before: DbSchema, ops: readonly Operation[], live: DbSchema, builds?: readonly ConcurrentBuild[]): Decision =>
  decideWith(before, ops, live, PLANNERS[live.dialect].normalizer, builds);
export const adoptVerdict = (m: LoadedMigration, before: DbSchema, live: DbSchema, liveNames: ReadonlySet<string>) =>
  adoptVerdictWith(m, before, live, liveNames, PLANNERS[live.dialect].normalizer);
export const adoptionGaps = (m: LoadedMigration, before: DbSchema, live: DbSchema, liveNames: ReadonlySet<string>): string[] =>
  adoptionGapsWith(m, before, live, liveNames, PLANNERS[live.dialect].normalizer);
