/**
 * The order of a plan's operations: renames first (in the order declared),
 * so that everything after uses the new names; then what others depend on
 * is created before them and dropped after them:
 *
 *   renames -> drop triggers, foreign keys, CHECKs, indexes and unique
 *   constraints -> enum types, labels and trigger functions -> tables
 *   (referenced first, created without their foreign keys) -> columns added,
 *   altered -> primary keys -> columns dropped -> unique constraints,
 *   indexes, CHECKs -> foreign keys -> triggers, comments -> tables dropped
 *   (referencing first) -> enum types and functions dropped.
 *
 * Within a phase, by table name (then as derived), so a plan is stable.
 */
import type { Operation, OperationKind } from './operations.js';

const PHASE: Record<OperationKind, number> = {
  rename_table: 0,
  rename_column: 1,
  rename_enum: 2,
  rename_index: 2,
  rename_trigger: 2,
  drop_trigger: 3,
  drop_foreign_key: 4,
  drop_check: 5,
  drop_index: 6,
  drop_unique: 6,
  create_enum: 7,
  alter_enum: 7,
  create_function: 7,
  create_table: 8,
  // Before its columns change: CONVERT TO sets every text column's character set.
  convert_table_charset: 8,
  add_column: 9,
  alter_column: 10,
  set_primary_key: 11,
  drop_column: 12,
  add_unique: 13,
  create_index: 13,
  add_check: 13,
  add_foreign_key: 14,
  create_trigger: 15,
  set_table_comment: 15,
  drop_table: 16,
  drop_enum: 17,
  drop_function: 17,
};

/** The table an operation is about, or the schema-level object's name. */
export function operationTable(o: Operation): string {
  switch (o.op) {
    case 'create_table':
    case 'drop_table':
      return o.table.name;
    case 'rename_table':
      return o.to;
    case 'create_enum':
    case 'drop_enum':
      return o.enum.name;
    case 'alter_enum':
    case 'create_function':
    case 'drop_function':
      return o.name;
    case 'rename_enum':
      return o.to;
    case 'create_trigger':
    case 'drop_trigger':
      return o.trigger.table;
    default:
      return o.table;
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Tables in dependency order: each after the tables it references (`edges`:
 * table -> referenced tables), alphabetical where free; tables in a cycle
 * follow alphabetically (their foreign keys are separate operations anyway).
 */
export function dependencyOrder(tables: string[], edges: Map<string, Set<string>>): string[] {
  const pending = new Set(tables);
  const out: string[] = [];
  while (pending.size) {
    const ready = [...pending].filter((t) => ![...(edges.get(t) ?? [])].some((r) => r !== t && pending.has(r))).sort(byString);
    const next = ready.length ? ready : [...pending].sort(byString).slice(0, 1);
    for (const t of next) {
      pending.delete(t);
      out.push(t);
    }
  }
  return out;
}

function createdOrder(ops: readonly Operation[]): Map<string, number> {
  const created = ops.flatMap((o) => (o.op === 'create_table' ? [o.table.name] : []));
  const edges = new Map<string, Set<string>>();
  for (const o of ops) {
    if (o.op !== 'add_foreign_key' || !created.includes(o.table)) continue;
    edges.set(o.table, new Set([...(edges.get(o.table) ?? []), o.foreignKey.refTable]));
  }
  return new Map(dependencyOrder(created, edges).map((t, i) => [t, i]));
}

function droppedOrder(ops: readonly Operation[]): Map<string, number> {
  const dropped = ops.flatMap((o) => (o.op === 'drop_table' ? [o.table] : []));
  const edges = new Map(dropped.map((t) => [t.name, new Set(t.foreignKeys.map((fk) => fk.refTable))]));
  // Referencing tables go first: the reverse of the creation order.
  return new Map(dependencyOrder(dropped.map((t) => t.name), edges).reverse().map((t, i) => [t, i]));
}

export function orderOperations(ops: readonly Operation[]): Operation[] {
  const created = createdOrder(ops);
  const dropped = droppedOrder(ops);
  const rank = (o: Operation): number =>
    o.op === 'create_table' ? created.get(o.table.name)! : o.op === 'drop_table' ? dropped.get(o.table.name)! : 0;
  const renames = ops.filter((o) => PHASE[o.op] <= 1);
  const rest = ops
    .map((o, i) => ({ o, i }))
    .filter(({ o }) => PHASE[o.op] > 1)
    .sort(
      (a, b) =>
        PHASE[a.o.op] - PHASE[b.o.op] ||
        rank(a.o) - rank(b.o) ||
        byString(operationTable(a.o), operationTable(b.o)) ||
        a.i - b.i,
    )
    .map(({ o }) => o);
  return [...renames.filter((o) => o.op === 'rename_table'), ...renames.filter((o) => o.op === 'rename_column'), ...rest];
}
