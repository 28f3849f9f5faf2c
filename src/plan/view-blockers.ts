/**
 * Views that stand in the way of a fix: a view that uses a column the fix
 * retypes or drops (or a table it drops) makes the statement fail on
 * PostgreSQL ("cannot alter type of a column used by a view or rule") and
 * leaves the view invalid on MySQL. Pure: the live model carries the view
 * uses (introspection), the plan says what each statement touches.
 */
import type { Operation } from './operations.js';
import type { DialectPlan, ViewRules } from './types.js';
import type { DbSchema, ViewUse } from '../schema/model.js';
import type { ViewBlocker } from '../diff/changes.js';

export type { ViewBlocker };

/** Columns (or whole tables: null) whose type or existence an operation changes. */
function touched(o: Operation, rules: ViewRules): Array<{ table: string; column: string | null }> {
  switch (o.op) {
    case 'drop_table':
      return [{ table: o.table.name, column: null }];
    case 'drop_column':
      return [{ table: o.table, column: o.column.name }];
    case 'alter_column':
      return o.from.type !== o.to.type || (o.from.collation ?? null) !== (o.to.collation ?? null) || (rules.charsetMatters && o.from.charset !== o.to.charset)
        ? [{ table: o.table, column: o.to.name }]
        : [];
    case 'alter_enum':
      return (o.uses ?? []).map((u) => ({ table: u.table, column: u.column }));
    case 'rename_column':
      return rules.renamesBreakViews ? [{ table: o.table, column: o.from }] : [];
    case 'rename_table':
      return rules.renamesBreakViews ? [{ table: o.from, column: null }] : [];
    default:
      return [];
  }
}

const uses = (v: ViewUse, t: { table: string; column: string | null }): boolean =>
  v.table === t.table && (t.column === null || v.column === null || v.column === t.column);

/** Each view in the way of a statement of the plan, once per statement. */
export function viewBlockers(plan: DialectPlan, actual: DbSchema, rules: ViewRules): ViewBlocker[] {
  const views = actual.views ?? [];
  if (!views.length) return [];
  const out: ViewBlocker[] = [];
  const effect = rules.effect;
  plan.statements.forEach((s, statement) => {
    const seen = new Set<string>();
    for (const i of s.operations) {
      for (const t of touched(plan.operations[i]!, rules)) {
        for (const v of views) {
          if (!uses(v, t) || seen.has(v.view)) continue;
          seen.add(v.view);
          const what = v.column ?? t.column;
          out.push({
            view: v.view,
            table: v.table,
            column: v.column,
            statement,
            message: `View ${v.view} uses ${what ? `${v.table}.${what}` : `table ${v.table}`}: ${effect}.`,
          });
        }
      }
    }
  });
  return out;
}
