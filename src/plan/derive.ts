/**
 * From the differences of two normalized models (src/diff, the same differ
 * `dbkit diff` reports with) to operations, unordered. What the engine
 * names after a table (PostgreSQL enum types `<table>_<column>`, indexes
 * `idx_<table>_*`, triggers `trg_<table>_*`) and that is otherwise the same
 * becomes a rename instead of a drop and a create: the renamed objects keep
 * their data and their build cost.
 */
import type { Change } from '../diff/changes.js';
import { diff } from '../diff/differ.js';
import { sameList } from '../schema/describe.js';
import { followsTable, tableDrifted } from '../diff/table-charset.js';
import type { Column, DbSchema, Index, Table, Trigger } from '../schema/model.js';
import type { EnumUse, Operation, OperationOf } from './operations.js';
import type { PlanPurpose } from './types.js';

export interface Derived {
  ops: Operation[];
  /** Drops of objects the definition does not have that a DBA may have added on purpose (indexes, triggers, CHECKs, enum types). */
  extraDrops: Set<Operation>;
}

const tableOf = (s: DbSchema, name: string): Table => {
  const t = s.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name}`);
  return t;
};
const columnOf = (s: DbSchema, table: string, name: string): Column => {
  const c = tableOf(s, table).columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${table}.${name}`);
  return c;
};

const sameIndexShape = (a: Index, b: Index): boolean =>
  sameList(a.columns, b.columns) && a.unique === b.unique && a.method === b.method && a.where === b.where && !a.implicit && !b.implicit;

/** Enum types renamed along with a column (after a table rename): old -> new. */
function enumRenames(changes: Change[], from: DbSchema, to: DbSchema): Map<string, string> {
  const extra = new Set(changes.filter((c) => c.kind === 'enum_extra').map((c) => c.name));
  const missing = new Set(changes.filter((c) => c.kind === 'enum_missing').map((c) => c.name));
  const out = new Map<string, string>();
  for (const c of changes) {
    if (c.kind !== 'column_type') continue;
    if (!extra.has(c.actual) || !missing.has(c.expected)) continue;
    if ([...out.values()].includes(c.expected) || out.has(c.actual)) continue;
    out.set(c.actual, c.expected);
  }
  // Only where every column of the old type moves to the new one.
  for (const [old, neu] of [...out]) {
    const users = from.tables.flatMap((t) => t.columns.filter((col) => col.type === old).map((col) => `${t.name}.${col.name}`));
    const moved = users.every((u) => {
      const [t, col] = u.split('.') as [string, string];
      return to.tables.find((x) => x.name === t)?.columns.find((x) => x.name === col)?.type === neu;
    });
    if (!moved) out.delete(old);
  }
  return out;
}

/** The columns of an enum type, as a type swap needs them. */
const enumUses = (s: DbSchema, name: string): EnumUse[] =>
  s.tables.flatMap((t) => t.columns.filter((c) => c.type === name).map((c) => ({ table: t.name, column: c.name, default: c.default })));

export function deriveOperations(from: DbSchema, to: DbSchema, purpose: PlanPurpose): Derived {
  const changes = diff(from, to);
  const ops: Operation[] = [];
  const extraDrops = new Set<Operation>();
  const extra = (o: Operation) => {
    ops.push(o);
    extraDrops.add(o);
  };
  const renamedEnums = enumRenames(changes, from, to);
  for (const [old, neu] of renamedEnums) {
    ops.push({ op: 'rename_enum', from: old, to: neu });
    const [a, e] = [from.enums.find((x) => x.name === old)!, to.enums.find((x) => x.name === neu)!];
    if (!sameList(a.labels, e.labels)) ops.push({ op: 'alter_enum', name: neu, from: a.labels, to: e.labels, uses: enumUses(from, old).length ? enumUses(from, old) : undefined });
  }
  const renamedTo = new Set(renamedEnums.values());

  const altered = new Set<string>();
  const functionsBefore = new Set(from.triggers.map((t) => t.function));
  const functionsAfter = new Set(to.triggers.map((t) => t.function));
  const functionsMade = new Set<string>();
  const makeFunction = (t: Trigger) => {
    if (!t.function || functionsBefore.has(t.function) || functionsMade.has(t.function) || !/^set_/.test(t.function)) return;
    functionsMade.add(t.function);
    ops.push({ op: 'create_function', name: t.function, column: t.function.replace(/^set_/, '') });
  };

  for (const c of changes) {
    switch (c.kind) {
      case 'enum_missing':
        if (!renamedTo.has(c.name)) ops.push({ op: 'create_enum', enum: c.expected });
        break;
      case 'enum_extra':
        // Something of a DBA's may use it (a function, a table of their own): kept in a fix script.
        if (!renamedEnums.has(c.name)) extra({ op: 'drop_enum', enum: c.actual });
        break;
      case 'enum_labels': {
        const uses = enumUses(from, c.name);
        ops.push({ op: 'alter_enum', name: c.name, from: c.actual, to: c.expected, ...(uses.length ? { uses } : {}) });
        break;
      }
      case 'table_missing':
        ops.push({ op: 'create_table', table: { ...c.expected, foreignKeys: [] } });
        for (const fk of c.expected.foreignKeys) ops.push({ op: 'add_foreign_key', table: c.name, foreignKey: fk });
        break;
      case 'table_extra':
        ops.push({ op: 'drop_table', table: c.actual });
        break;
      case 'table_comment':
        ops.push({ op: 'set_table_comment', table: c.table, from: c.actual, to: c.expected });
        break;
      case 'table_charset':
      case 'table_collation': {
        // One conversion per table, whether its character set, its collation or both differ.
        const key = `${c.table}\u0000`;
        if (altered.has(key)) break;
        altered.add(key);
        const [a, e] = [tableOf(from, c.table), tableOf(to, c.table)];
        // Back to the variant's, and no text column has the table's own character set and collation
        // (only its default changed): the default alone is set back.
        const defaultOnly = !tableDrifted(e) && !a.columns.some((col) => followsTable(a, col));
        ops.push({
          op: 'convert_table_charset',
          table: c.table,
          from: { charset: a.charset ?? null, collation: a.collation ?? null },
          to: { charset: e.charset ?? null, collation: e.collation ?? null },
          ...(defaultOnly ? { defaultOnly: true as const } : {}),
        });
        break;
      }
      case 'column_missing':
        ops.push({ op: 'add_column', table: c.table, column: c.expected });
        break;
      case 'column_extra':
        ops.push({ op: 'drop_column', table: c.table, column: c.actual });
        break;
      case 'column_type':
      case 'column_nullable':
      case 'column_default':
      case 'column_auto_increment':
      case 'column_on_update':
      case 'column_comment':
      case 'column_collation':
      case 'column_charset': {
        const key = `${c.table}\u0000${c.name}`;
        if (altered.has(key)) break;
        altered.add(key);
        const before = columnOf(from, c.table, c.name);
        const after = columnOf(to, c.table, c.name);
        // After an enum type's rename the column already has the new type.
        const start = renamedEnums.get(before.type) === after.type ? { ...before, type: after.type } : before;
        if (JSON.stringify(start) !== JSON.stringify(after)) ops.push({ op: 'alter_column', table: c.table, from: start, to: after });
        break;
      }
      case 'primary_key':
        ops.push({ op: 'set_primary_key', table: c.table, from: c.actual, to: c.expected });
        break;
      case 'unique_missing':
        ops.push({ op: 'add_unique', table: c.table, unique: c.expected });
        break;
      case 'unique_extra':
        ops.push({ op: 'drop_unique', table: c.table, unique: c.actual });
        break;
      case 'foreign_key_missing':
        ops.push({ op: 'add_foreign_key', table: c.table, foreignKey: c.expected });
        break;
      case 'foreign_key_extra':
        ops.push({ op: 'drop_foreign_key', table: c.table, foreignKey: c.actual });
        break;
      case 'foreign_key_changed':
        ops.push({ op: 'drop_foreign_key', table: c.table, foreignKey: c.actual });
        ops.push({ op: 'add_foreign_key', table: c.table, foreignKey: c.expected });
        break;
      case 'index_missing':
        ops.push({ op: 'create_index', table: c.table, index: c.expected });
        break;
      case 'index_extra':
        // MySQL's own foreign-key index goes when the definition stops needing it; any other is a DBA's.
        if (c.actual.implicit) ops.push({ op: 'drop_index', table: c.table, index: c.actual });
        else extra({ op: 'drop_index', table: c.table, index: c.actual });
        break;
      case 'index_changed':
        ops.push({ op: 'drop_index', table: c.table, index: c.actual });
        ops.push({ op: 'create_index', table: c.table, index: c.expected });
        break;
      case 'check_missing':
        ops.push({ op: 'add_check', table: c.table, check: c.expected });
        break;
      case 'check_extra':
        extra({ op: 'drop_check', table: c.table, check: c.actual });
        break;
      case 'check_changed':
        ops.push({ op: 'drop_check', table: c.table, check: c.actual });
        ops.push({ op: 'add_check', table: c.table, check: c.expected });
        break;
      case 'trigger_missing':
        makeFunction(c.expected);
        ops.push({ op: 'create_trigger', trigger: c.expected });
        break;
      case 'trigger_extra':
        extra({ op: 'drop_trigger', trigger: c.actual });
        break;
      case 'trigger_changed':
        makeFunction(c.expected);
        ops.push({ op: 'drop_trigger', trigger: c.actual });
        ops.push({ op: 'create_trigger', trigger: c.expected });
        break;
    }
  }
  // A migration removes the update function its triggers no longer use; a fix script never drops a function.
  if (purpose === 'migration') {
    for (const fn of functionsBefore) {
      if (!functionsAfter.has(fn) && /^set_/.test(fn)) ops.push({ op: 'drop_function', name: fn, column: fn.replace(/^set_/, '') });
    }
  }
  return pairRenames(ops, extraDrops);
}

/** A dropped and a created index (or trigger) of the same table and shape: one renamed. */
function pairRenames(ops: Operation[], extraDrops: Set<Operation>): Derived {
  const drop = new Set<Operation>();
  const out: Operation[] = [];
  const droppedIndexes = ops.filter((o): o is OperationOf<'drop_index'> => o.op === 'drop_index' && extraDrops.has(o));
  const droppedTriggers = ops.filter((o): o is OperationOf<'drop_trigger'> => o.op === 'drop_trigger' && extraDrops.has(o));
  const droppedTables = new Set(ops.filter((o) => o.op === 'drop_table').map((o) => (o as OperationOf<'drop_table'>).table.name));
  for (const o of ops) {
    if (o.op === 'create_index') {
      const d = droppedIndexes.find((x) => !drop.has(x) && x.table === o.table && sameIndexShape(x.index, o.index));
      if (d) {
        drop.add(d);
        out.push({ op: 'rename_index', table: o.table, from: d.index.name, to: o.index.name });
        continue;
      }
    }
    if (o.op === 'create_trigger') {
      const t = o.trigger;
      const d = droppedTriggers.find((x) => !drop.has(x) && x.trigger.table === t.table && x.trigger.timing === t.timing && x.trigger.function === t.function);
      if (d) {
        drop.add(d);
        out.push({ op: 'rename_trigger', table: t.table, from: d.trigger.name, to: t.name });
        continue;
      }
    }
    out.push(o);
  }
  // Triggers of a dropped table go with it.
  const kept = out.filter((o) => !drop.has(o) && !(o.op === 'drop_trigger' && droppedTables.has(o.trigger.table)));
  return { ops: kept, extraDrops: new Set([...extraDrops].filter((o) => kept.includes(o))) };
}
