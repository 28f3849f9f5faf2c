/**
 * The planner's invariant, on every evolution of test/support/evolutions.ts,
 * for both dialects, both purposes and both directions: the operations of a
 * plan, folded over the model they start from, give the target model.
 */
import { describe, expect, it } from 'vitest';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { foldOperations } from '../../src/plan/fold.js';
import { inverseRenames, type PlanPurpose } from '../../src/plan/plan.js';
import type { Dialect } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import type { DbSchema } from '../../src/schema/model.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { EVOLUTIONS, evolve } from '../support/evolutions.js';
import { planChange } from '../support/planners.js';

/**
 * The normal form with each table's columns by name: PostgreSQL appends an
 * added column at the end (a down migration re-adds a dropped one there),
 * and no comparison looks at column positions.
 */
const comparable = (s: DbSchema): DbSchema => {
  const n = normal(s);
  for (const t of n.tables) t.columns.sort((a, b) => (a.name < b.name ? -1 : 1));
  return n;
};

const cases = EVOLUTIONS.flatMap((e) => (['postgres', 'mysql'] as const).map((d) => [e.name, d, e] as const));

describe.each(cases)('%s on %s', (_name, dialect: Dialect, e) => {
  const rules = dialects[dialect].rules;
  const before = resolveSchema(e.base, rules);
  const after = resolveSchema(evolve(e.base, e.change), rules);

  it.each(['migration', 'fix'] as PlanPurpose[])('%s: up and down fold to their targets', (purpose) => {
    const up = planChange(before, after, { renames: e.renames, purpose });
    expect(up.operations.length).toBeGreaterThan(0);
    expect(comparable(foldOperations(normal(before), up.operations))).toEqual(comparable(after));
    const down = planChange(after, before, { renames: e.renames && inverseRenames(e.renames), purpose });
    expect(comparable(foldOperations(normal(after), down.operations))).toEqual(comparable(before));
    // Plain JSON, as frozen migrations store them.
    expect(JSON.parse(JSON.stringify(up.operations))).toEqual(up.operations);
    for (const s of [...up.statements, ...down.statements]) {
      expect(s.sql).not.toMatch(/;\s*$/);
      // A helper statement performs none (PostgreSQL's temporary NOT NULL check); any other includes its own.
      if (s.operations.length) expect(s.operations).toContain(s.operation);
      else expect(s.sql).toMatch(/"dbkit_nn_/);
    }
  });
});
