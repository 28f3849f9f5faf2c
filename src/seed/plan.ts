/**
 * What a seed run writes, table by table, from the expected model of the
 * schema (expectedVariant) and the generator (seeds/<schema>/): the columns
 * each table is loaded with, which of them the generator fills and which
 * are filled here (src/seed/fill.ts), tables no generator knows, and which
 * rows a failed run must take back by key. So a definition that gained a
 * column or a table since the generator was written still seeds:
 * - a column the generator does not know: left to its default when it has
 *   one; else a believable value for its type, length and name (NULL now and
 *   then when nullable); a foreign key picks a row of the same user (or a
 *   row no user owns) of a table loaded before it;
 * - a column the generator writes but the model no longer has: dropped;
 * - a table no generator knows: generic rows (a couple per user when it
 *   references a user's table, else a few rows no user owns), provided it
 *   has an `id` key and its NOT NULL foreign keys point at tables loaded
 *   before it; otherwise it is skipped, and the run says so.
 * Plain data: it crosses to the generating thread.
 */
import { UsageError } from '../cli/errors.js';
import { dialects, expectedVariant, runtimeDefinition } from '../dialects.js';
import type { LogicalType, SchemaDef } from '../schema/definition.js';
import { resolveSchema } from '../schema/resolve.js';
import type { Dialect, Table } from '../schema/model.js';
import { generators } from '../../seeds/index.js';
import { cascadingFromUsers, USERS } from './coverage.js';

export interface PlannedColumn {
  name: string;
  type: LogicalType;
  nullable: boolean;
  /** Alone, or with others, under a unique constraint or index: generated values must not repeat. */
  unique: boolean;
  /** The table a single-column foreign key points at. */
  ref?: string;
}

export interface PlannedTable {
  name: string;
  /** The columns rows are loaded with, in row order. */
  columns: PlannedColumn[];
  /**
   * For each loaded column, its position in the generator's row, or -1 when
   * it is filled here. Null: the generator's rows are loaded as they are.
   */
  from: number[] | null;
  /** No generator knows the table: `user` rows (per user) or `shared` ones (no user's). */
  generic?: 'user' | 'shared';
  /** Its rows in users' trees do not cascade from their user: a failed run deletes them by id. */
  record: boolean;
  /** Some column filled here references another table: the rows wait until the user's other rows exist. */
  defer: boolean;
  /** Another table's filled foreign key points here: the ids of its rows are kept while a user is generated. */
  tracked: boolean;
}

export interface SeedPlan {
  schema: string;
  dialect: Dialect;
  tables: PlannedTable[];
  /** Tables of the model that are not seeded, and why. */
  skipped: { table: string; reason: string }[];
}

function logicalType(schema: SchemaDef, table: string, column: string): LogicalType {
  const def = schema.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
  if (!def) throw new Error(`column ${table}.${column} of the expected model is not in the definition of ${schema.name}`);
  return def.type;
}

function columnsOf(schema: SchemaDef, table: Table): PlannedColumn[] {
  const uniqueCols = new Set([...table.uniques.map((u) => u.columns), ...table.indexes.filter((i) => i.unique).map((i) => i.columns)].flat());
  const refs = new Map(table.foreignKeys.filter((fk) => fk.columns.length === 1).map((fk) => [fk.columns[0]!, fk.refTable]));
  return table.columns.map((c) => ({
    name: c.name,
    type: logicalType(schema, table.name, c.name),
    nullable: c.nullable,
    unique: uniqueCols.has(c.name),
    ...(refs.has(c.name) ? { ref: refs.get(c.name)! } : {}),
  }));
}

/** Whether a column the generator does not write must be written here (no default, no auto-increment). */
const needsValue = (table: Table, name: string): boolean => {
  const c = table.columns.find((col) => col.name === name)!;
  return c.default === null && !c.autoIncrement;
};

/**
 * The plan of a seed of `schemaName` on `dialect`, from the expected model
 * of its definition (another definition of the schema may be given: tests
 * use a changed copy).
 */
export function seedPlan(schemaName: string, dialect: Dialect, definition?: SchemaDef): SeedPlan {
  const generator = generators[schemaName];
  if (!generator) throw new UsageError(`no seed generator for schema ${schemaName}`);
  // The definition the expected model comes from: the snapshot of the newest migration.
  const def = definition ?? runtimeDefinition(schemaName);
  const model = definition ? resolveSchema(definition, dialects[dialect].rules) : expectedVariant(schemaName, dialect);
  const byName = new Map(model.tables.map((t) => [t.name, t]));
  const covered = cascadingFromUsers(model);
  const tables: PlannedTable[] = [];
  const skipped: SeedPlan['skipped'] = [];
  const problems: string[] = [];

  // The generator's tables, in its order (parents first), with the model's columns.
  for (const g of generator.tables) {
    const table = byName.get(g.name);
    if (!table) {
      skipped.push({ table: g.name, reason: 'no longer in the definition' });
      continue;
    }
    const all = columnsOf(def, table);
    const known = all.filter((c) => g.columns.includes(c.name));
    const extra = all.filter((c) => !g.columns.includes(c.name) && needsValue(table, c.name));
    const ordered = [...g.columns.map((n) => known.find((c) => c.name === n)).filter((c): c is PlannedColumn => !!c), ...extra];
    const from = ordered.map((c) => g.columns.indexOf(c.name));
    const same = from.length === g.columns.length && from.every((p, i) => p === i);
    tables.push({ name: g.name, columns: ordered, from: same ? null : from, record: !covered.has(g.name), defer: false, tracked: false });
  }

  // Tables no generator knows, each after the tables it references.
  let pending = model.tables.filter((t) => !generator.tables.some((g) => g.name === t.name));
  for (let placed = true; pending.length && placed; ) {
    placed = false;
    for (const table of pending) {
      const columns = columnsOf(def, table).filter((c) => c.type.kind === 'id' || needsValue(table, c.name));
      const id = table.primaryKey?.columns.length === 1 ? table.columns.find((c) => c.name === table.primaryKey!.columns[0]) : undefined;
      if (!id || logicalType(def, table.name, id.name).kind !== 'id') {
        skipped.push({ table: table.name, reason: 'no generator, and its key is not a single id column' });
        pending = pending.filter((t) => t !== table);
        placed = true;
        break;
      }
      const waitsFor = columns.filter((c) => c.ref && c.ref !== table.name && !tables.some((t) => t.name === c.ref) && pending.some((t) => t.name === c.ref));
      if (waitsFor.length) continue;
      const unreachable = columns.find((c) => c.ref && !c.nullable && (c.ref === table.name || !tables.some((t) => t.name === c.ref)));
      if (unreachable) {
        skipped.push({ table: table.name, reason: `no generator, and ${unreachable.name} (NOT NULL) references ${unreachable.ref}, which is not seeded before it` });
      } else {
        const userScoped = columns.some((c) => c.ref && tables.some((t) => t.name === c.ref && (t.name === USERS || t.generic !== 'shared')));
        // Rows no user owns are always taken back by id; `record` is about a user's rows.
        const record = userScoped && !covered.has(table.name);
        tables.push({ name: table.name, columns, from: null, generic: userScoped ? 'user' : 'shared', record, defer: false, tracked: false });
      }
      pending = pending.filter((t) => t !== table);
      placed = true;
      break;
    }
  }
  for (const table of pending) skipped.push({ table: table.name, reason: 'no generator, and its foreign keys form a cycle with other new tables' });

  // Foreign keys filled here: pick from tables loaded before (else NULL, or the plan is refused).
  for (const [i, t] of tables.entries()) {
    t.columns.forEach((c, k) => {
      if (!c.ref || (t.from && t.from[k]! >= 0) || (!t.from && !t.generic)) return;
      const target = tables.findIndex((p) => p.name === c.ref);
      if (target >= 0 && target < i) {
        tables[target]!.tracked = true;
        t.defer = true;
      } else if (!c.nullable) {
        problems.push(`${t.name}.${c.name} (NOT NULL) references ${c.ref}, which ${target < 0 ? 'is not seeded' : 'is loaded after it'}`);
      }
    });
  }
  if (problems.length) {
    throw new UsageError(`dbkit seed cannot fill ${problems.join('; ')}: give the column a default or make it nullable in src/schema/${schemaName}.ts, or extend seeds/${schemaName}/`);
  }
  return { schema: schemaName, dialect, tables, skipped };
}
