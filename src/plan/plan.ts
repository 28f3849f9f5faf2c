/**
 * The planner: from one physical model to another, the ordered, dialect-
 * correct, data-safe operations and statements. Pure (no I/O). One planner
 * serves `dbkit make` (purpose `migration`) and `dbkit diff --sql` (purpose
 * `fix`).
 *
 *   planChange(from, to, { renames?, purpose }) -> DialectPlan
 *       operations (ordered, plain JSON), statements (SQL per operation),
 *       transactional (and why not), warnings (data-loss / may-fail).
 *       Both models of the same dialect; normalized here. Throws PlanError
 *       when a declared rename does not fit the models.
 *   renameCandidates(from, to, renames?) -> RenameCandidate[]
 *       dropped + added tables / columns that could be one renamed, with the
 *       `--rename` flag that settles each.
 *   inverseRenames(renames) -> Renames      for a down migration.
 *   describeOperation(op) -> string         one line for people (`add column users.bio text`).
 *
 * Steps: declared renames first (renames.ts); the rest from the differences
 * of the renamed model and the target (derive.ts, the differ of `dbkit
 * diff`); ordered by dependency (order.ts); classified (destructive.ts);
 * rendered by the dialect (PlanDialect.render: dialects/<d>/plan-sql.ts).
 *
 * Invariant (tested): normalize(foldOperations(from, plan.operations))
 * equals normalize(to).
 */
import type { DbSchema } from '../schema/model.js';
import { normalize } from '../schema/normalize.js';
import { classifyOperations } from './destructive.js';
import { deriveOperations } from './derive.js';
import { tableDrifted } from '../diff/table-charset.js';
import { foldOperations } from './fold.js';
import type { Operation } from './operations.js';
import { orderOperations } from './order.js';
import { renameOperations } from './renames.js';
import { typeChangeRisk } from './type-change.js';
import { PlanError, type DialectPlan, type PlanDialect, type PlanOptions, type PlanWarning } from './types.js';

export { describeOperation } from './describe.js';
export { inverseRenames, renameCandidates } from './renames.js';
export * from './types.js';

/**
 * In a fix script, a column change that narrows the type is refused (left
 * commented) on its own, so that the column's other changes still apply:
 * those first, then the type.
 */
function splitLossyTypeChanges(d: PlanDialect, ops: Operation[]): Operation[] {
  return ops.flatMap((o): Operation[] => {
    if (o.op !== 'alter_column' || o.from.type === o.to.type) return [o];
    if (typeChangeRisk(d.textTypes, o.from.type, o.to.type)?.level !== 'data-loss') return [o];
    const middle = { ...o.to, type: o.from.type };
    if (JSON.stringify(middle) === JSON.stringify(o.from)) return [o];
    return [
      { op: 'alter_column', table: o.table, from: o.from, to: middle },
      { op: 'alter_column', table: o.table, from: middle, to: o.to },
    ];
  });
}

const EXTRA_REASON: Partial<Record<Operation['op'], string>> = {
  drop_index: 'index',
  drop_trigger: 'trigger',
  drop_check: 'CHECK constraint',
  drop_enum: 'enum type',
};

/** Fix scripts: what stays commented out, and why. */
function disabledOperations(ops: Operation[], warnings: PlanWarning[], extraDrops: Set<Operation>): Map<number, string> {
  const out = new Map<number, string>();
  for (const w of warnings) {
    if (w.level === 'data-loss' && !out.has(w.operation)) out.set(w.operation, `refused: it ${w.message}`);
  }
  ops.forEach((o, i) => {
    if (!extraDrops.has(o) || out.has(i)) return;
    const what = EXTRA_REASON[o.op] ?? 'object';
    out.set(i, `kept: the ${what} is not in the definition, but a DBA may have added it on purpose`);
  });
  // An enum type stays while a column a refused statement keeps still has it.
  ops.forEach((o, i) => {
    if (o.op !== 'drop_enum') return;
    const keeper = ops.findIndex((k, j) => out.has(j) && removedColumnTypes(k).includes(o.enum.name));
    if (keeper >= 0) out.set(i, `kept: ${describeKeeper(ops[keeper]!)} (refused above) still uses the type`);
  });
  return out;
}

/** The types of the columns an operation removes or retypes. */
function removedColumnTypes(o: Operation): string[] {
  if (o.op === 'drop_table') return o.table.columns.map((c) => c.type);
  if (o.op === 'drop_column') return [o.column.type];
  if (o.op === 'alter_column') return [o.from.type];
  return [];
}

function describeKeeper(o: Operation): string {
  if (o.op === 'drop_table') return `table ${o.table.name}`;
  if (o.op === 'drop_column') return `column ${o.table}.${o.column.name}`;
  return o.op === 'alter_column' ? `column ${o.table}.${o.to.name}` : 'a column';
}

export function planChange(from: DbSchema, to: DbSchema, opts: PlanOptions): DialectPlan {
  if (from.dialect !== to.dialect) throw new PlanError(`cannot plan from a ${from.dialect} model to a ${to.dialect} one`);
  const d = opts.dialect;
  if (d.name !== to.dialect) throw new PlanError(`cannot plan ${to.dialect} models with the ${d.name} dialect`);
  const dialect = to.dialect;
  const start = normalize(from, d.normalizer);
  const target = normalize(to, d.normalizer);
  const renames = renameOperations(start, target, opts.renames);
  const renamed = normalize(foldOperations(start, renames), d.normalizer);
  const derived = deriveOperations(renamed, target, opts.purpose);
  let operations = orderOperations([...renames, ...derived.ops]);
  if (opts.purpose === 'fix') operations = splitLossyTypeChanges(d, operations);
  const warnings = classifyOperations(d, operations);
  const disabled = opts.purpose === 'fix' ? disabledOperations(operations, warnings, derived.extraDrops) : undefined;
  const drifted = new Set(renamed.tables.filter(tableDrifted).map((t) => t.name));
  const statements = d.render(operations, { purpose: opts.purpose, ...(disabled ? { disabled } : {}), ...(drifted.size ? { driftedTables: drifted } : {}) });
  // A fix script runs `commitFirst` statements before its transaction, the rest in it.
  const reason = opts.purpose === 'fix' && d.fixInTransaction ? null : d.nonTransactionalReason(operations, statements);
  return {
    dialect,
    operations,
    statements,
    transactional: reason === null,
    ...(reason !== null ? { nonTransactionalReason: reason } : {}),
    warnings,
    blocking: statements.flatMap((s, statement) => (s.blocking && !s.disabled ? [{ statement, operation: s.operation, message: s.blocking }] : [])),
  };
}
