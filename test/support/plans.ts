/** Plans of the evolutions (test/support/evolutions.ts), for the planner's unit tests. */
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { type DialectPlan, type PlanPurpose } from '../../src/plan/plan.js';
import type { Dialect } from '../../src/schema/model.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { EVOLUTIONS, evolve } from './evolutions.js';
import { planChange } from './planners.js';

/** The plan of evolution `name` on `dialect` (from the base definition to the changed one, or back with `reverse`). */
export function planOf(name: string, dialect: Dialect, purpose: PlanPurpose = 'migration', reverse = false): DialectPlan {
  const e = EVOLUTIONS.find((x) => x.name === name);
  if (!e) throw new Error(`no evolution ${name}`);
  const rules = dialects[dialect].rules;
  const [a, b] = [resolveSchema(e.base, rules), resolveSchema(evolve(e.base, e.change), rules)];
  return reverse ? planChange(b, a, { purpose }) : planChange(a, b, { renames: e.renames, purpose });
}

export const sqlOf = (plan: DialectPlan): string[] => plan.statements.map((s) => s.sql);
