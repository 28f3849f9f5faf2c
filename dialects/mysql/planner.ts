/** MySQL and MariaDB as the planner sees them (src/plan/types.ts PlanDialect): loaded on first use, by the SQL dialect's planner(). */
import type { PlanDialect } from '../../src/plan/types.js';
import { mysqlNormalizer } from './normalize.js';
import { renderMysql } from './plan-sql.js';
import { mysqlTextTypes } from './types.js';

export const mysqlPlanner: PlanDialect = {
  name: 'mysql',
  normalizer: mysqlNormalizer,
  textTypes: mysqlTextTypes,
  notNullWithoutDefault: "existing rows get the type's implicit default, such as '' or 0",
  views: {
    renamesBreakViews: true,
    charsetMatters: true,
    effect: 'the statement leaves the view invalid (create it again after)',
  },
  fixInTransaction: false, // as its SQL dialect's scriptsInTransaction
  render: renderMysql,
  nonTransactionalReason: () => 'MySQL and MariaDB commit each DDL statement by itself',
};
