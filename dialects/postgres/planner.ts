/** PostgreSQL as the planner sees it (src/plan/types.ts PlanDialect): loaded on first use, by the SQL dialect's planner(). */
import type { PlanDialect } from '../../src/plan/types.js';
import { postgresNormalizer } from './normalize.js';
import { postgresNonTransactional, renderPostgres } from './plan-sql.js';
import { postgresTextTypes } from './types.js';

export const postgresPlanner: PlanDialect = {
  name: 'postgres',
  normalizer: postgresNormalizer,
  textTypes: postgresTextTypes,
  notNullWithoutDefault: 'fails if the table has rows',
  views: {
    renamesBreakViews: false,
    charsetMatters: false,
    effect: 'the statement fails while the view exists (drop the view first, create it again after)',
  },
  fixInTransaction: true, // as its SQL dialect's scriptsInTransaction
  render: renderPostgres,
  nonTransactionalReason: postgresNonTransactional,
};
