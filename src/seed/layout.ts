/**
 * What a seed run writes, table by table, from the expected model of the
 * schema (expectedVariant) and the generator (seeds/<schema>/): the columns
 * each table is loaded with, which of them the generator fills and which
 * are filled here (src/seed/fill.ts), tables no generator knows, the order
 * they load in, and how a failed run finds their rows again. So a
 * definition that changed since the generator was written still seeds:
 * - a table or column renamed since: followed through the renames recorded
 *   in the migrations (src/seed/renames.ts), keys and all;
 * - a column the generator does not know: left to its default when it has
 *   one; else a believable value for its type, length and name (NULL now and
 *   then when nullable); a reference (a foreign key, or a `*_id` column
 *   without one that names a table) picks a row of the same user (or a row
 *   no user owns) of a table loaded before it;
 * - a column whose type, nullability or uniqueness changed: the generator's
 *   value adapted (src/seed/layout-columns.ts), or filled here when no
 *   adapting fits; a reference the generator writes is loaded as written
 *   only while it still points at the same (renamed) table;
 * - a column the generator writes but the model no longer has: dropped;
 * - a table no generator knows: generic rows (a couple per user when it
 *   references a user's table, else a few rows no user owns), provided it
 *   has an `id` key and its NOT NULL foreign keys point at seeded tables;
 *   otherwise it is skipped, and the run says so;
 * - tables load parents first (src/seed/layout-order.ts); a cycle of foreign
 *   keys is broken at a nullable one, loaded NULL.
 * Plain data: it crosses to the generating thread.
 */
import { UsageError } from '../shared/errors.js';
import { expectedVariant, runtimeDefinition } from '../migrate/folder/snapshots.js';
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import type { SchemaDef } from '../schema/definition.js';
import type { DbSchema, Dialect, Table } from '../schema/model.js';
import { resolveSchema } from '../schema/resolve.js';
import { generators } from '../../seeds/index.js';
import { pathsToUsers, USERS } from '../rows/coverage.js';
import { adaptation, columnsOf, hasIdKey } from './layout-columns.js';
import { loadOrder } from './layout-order.js';
import type { LayoutColumn, LayoutTable, SeedLayout } from './layout-types.js';
import { identityNames, namesSince, type NameMap } from './renames.js';
import type { SeedGenerator, SeedTable } from '../fake/types.js';

export type { Adapt, LayoutColumn, LayoutTable, SeedLayout } from './layout-types.js';

/** Whether a column the generator does not write must be written here (no default, no auto-increment). */
const needsValue = (table: Table, name: string): boolean => {
  const c = table.columns.find((col) => col.name === name)!;
  return c.default === null && !c.autoIncrement;
};

/** The generator's tables' columns when it was written (by its names); null when that migration is not in the folder. */
function writtenColumns(schemaName: string, generator: SeedGenerator, dialect: Dialect): Map<string, Map<string, LayoutColumn>> | null {
  let def: SchemaDef;
  try {
    def = runtimeDefinition(schemaName, generator.writtenFor);
  } catch {
    return null;
  }
  const model = resolveSchema(def, dialects[dialect].rules);
  return new Map(model.tables.map((t) => [t.name, new Map(columnsOf(def, t, model).map((c) => [c.name, c]))]));
}

interface Draft {
  table: Table;
  source?: SeedTable;
  columns: LayoutColumn[];
  /** Per column: the generator's position, or -1 (filled here). */
  from: number[];
  rank: number;
}

/** A generator table's draft: the model's columns, the generator's values where they still fit. */
function generatorDraft(
  g: SeedTable,
  table: Table,
  all: LayoutColumn[],
  names: NameMap,
  fromGenerator: Map<string, SeedTable>,
  was: Map<string, LayoutColumn> | undefined,
): Omit<Draft, 'rank'> {
  const current = names.columns[g.name]!;
  const position = (c: string) => g.columns.findIndex((gc) => current[gc] === c);
  const loaded: { col: LayoutColumn; from: number; key: number }[] = [];
  all.forEach((c, i) => {
    const k = position(c.name);
    if (k < 0) {
      if (needsValue(table, c.name)) loaded.push({ col: c, from: -1, key: g.columns.length + i });
      return;
    }
    const writtenAs = g.columns[k]!;
    const before = was?.get(writtenAs);
    let from = k;
    let col = c;
    if (c.type.kind === 'id') {
      // the generator's key
    } else if (c.ref || c.type.kind === 'ref' || g.refs?.[writtenAs]) {
      // Loaded as written only while it points at the (renamed) table the generator meant, with the same rules.
      const meant = g.refs?.[writtenAs];
      const target = meant ? names.tables[meant] : null;
      const same = !!target && fromGenerator.has(target) && (!c.ref || c.ref === target);
      if (!same || (before && adaptation(before, c) !== 'keep')) from = -1;
    } else if (before) {
      let a = adaptation(before, c);
      if (a !== 'fill' && a !== 'keep' && a.unique && g.distinct?.includes(writtenAs)) {
        const { unique: _unique, ...rest } = a;
        a = Object.keys(rest).length ? rest : 'keep';
      }
      if (a === 'fill') from = -1;
      else if (a !== 'keep') col = { ...c, adapt: a };
    }
    loaded.push({ col, from, key: k });
  });
  loaded.sort((a, b) => a.key - b.key);
  return { table, source: g, columns: loaded.map((l) => l.col), from: loaded.map((l) => l.from) };
}

/** Drop references to tables that are not seeded: a soft one becomes NULL or a random key; a NOT NULL foreign key is a problem. */
function settleTargets(drafts: Draft[], skipped: SeedLayout['skipped']): string[] {
  const problems: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of [...drafts]) {
      const seeded = (name: string) => drafts.some((x) => x.table.name === name);
      const missing = d.columns.find((c, k) => c.ref && !c.soft && !c.nullable && d.from[k]! < 0 && !seeded(c.ref));
      if (missing && !d.source) {
        skipped.push({ table: d.table.name, reason: `no generator, and ${missing.name} (NOT NULL) references ${missing.ref}, which is not seeded` });
        drafts.splice(drafts.indexOf(d), 1);
        changed = true;
      }
    }
  }
  for (const d of drafts) {
    d.columns = d.columns.map((c, k) => {
      if (d.from[k]! >= 0 || !c.ref || drafts.some((x) => x.table.name === c.ref)) return c;
      if (!c.soft && !c.nullable) problems.push(`${d.table.name}.${c.name} (NOT NULL) references ${c.ref}, which is not seeded`);
      const { ref: _ref, soft: _soft, ...rest } = c;
      return rest;
    });
  }
  return problems;
}

/** Whether some index, key or unique constraint of a table starts with the column (a lookup by it need not scan the table). */
const leadsAnIndex = (table: Table, column: string): boolean =>
  [table.primaryKey?.columns, ...table.uniques.map((u) => u.columns), ...table.indexes.map((i) => i.columns)].some((cols) => cols?.[0] === column);

/** Every foreign key of the model, for the set-based checks; whether that is all of them; and the ones no index leads with. */
function modelReferences(model: DbSchema): Pick<SeedLayout, 'references' | 'referencesComplete' | 'unindexedReferences'> {
  const all = model.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ table: t, fk })));
  const simple = all.filter(({ fk }) => fk.columns.length === 1 && fk.refColumns.length === 1 && fk.refColumns[0] === 'id');
  const ref = ({ table, fk }: (typeof all)[number]) => ({ table: table.name, column: fk.columns[0]!, parent: fk.refTable });
  return {
    references: simple.map(ref),
    referencesComplete: simple.length === all.length,
    unindexedReferences: all.filter(({ table, fk }) => !leadsAnIndex(table, fk.columns[0]!)).map(ref),
  };
}

/**
 * The layout of a seed of `schemaName` on `dialect`, from the expected model
 * of its definition (another definition of the schema may be given, with
 * the generator's names in it: tests use a changed copy).
 */
export function seedLayout(schemaName: string, dialect: Dialect, definition?: SchemaDef, names?: NameMap): SeedLayout {
  const generator = generators[schemaName];
  if (!generator) throw new UsageError(`no seed generator for schema ${schemaName}`);
  // The definition the expected model comes from: the snapshot of the newest migration.
  const def = definition ?? runtimeDefinition(schemaName);
  const model = definition ? resolveSchema(definition, dialects[dialect].rules) : expectedVariant(schemaName, dialect);
  const map = names ?? (definition ? identityNames(generator.tables) : namesSince(schemaName, generator.writtenFor, generator.tables));
  const byName = new Map(model.tables.map((t) => [t.name, t]));
  if (map.tables[USERS] !== USERS || !byName.has(USERS)) {
    throw new UsageError(`dbkit seed hangs every user's rows from a table named ${USERS}, which ${schemaName} no longer has: extend seeds/${schemaName}/ for it`);
  }
  const was = writtenColumns(schemaName, generator, dialect);
  const skipped: SeedLayout['skipped'] = [];

  const fromGenerator = new Map<string, SeedTable>();
  for (const g of generator.tables) {
    const now = map.tables[g.name];
    if (now && byName.has(now)) fromGenerator.set(now, g);
    else skipped.push({ table: g.name, reason: 'no longer in the definition' });
  }
  const rankOf = (g: SeedTable) => generator.tables.indexOf(g);
  let drafts: Draft[] = [];
  model.tables.forEach((table, i) => {
    const all = columnsOf(def, table, model);
    const g = fromGenerator.get(table.name);
    if (g) return void drafts.push({ ...generatorDraft(g, table, all, map, fromGenerator, was?.get(g.name)), rank: rankOf(g) });
    if (!hasIdKey(table) || all.find((c) => c.name === 'id')!.type.kind !== 'id') {
      return void skipped.push({ table: table.name, reason: 'no generator, and its key is not a single id column' });
    }
    const columns = all.filter((c) => c.type.kind === 'id' || c.ref || needsValue(table, c.name));
    drafts.push({ table, columns, from: columns.map(() => -1), rank: generator.tables.length + i });
  });
  const problems = settleTargets(drafts, skipped);

  // Parents first; a cycle broken at a nullable foreign key, else (a table no generator knows) skipped, else refused.
  let order: string[] = [];
  for (;;) {
    const ordered = loadOrder(
      drafts.map((d) => ({
        name: d.table.name,
        rank: d.rank,
        deps: d.columns.flatMap((c, k) => (c.ref && !c.soft ? [{ column: c.name, parent: c.ref, nullable: c.nullable, fixed: d.from[k]! >= 0 }] : [])),
      })),
    );
    if ('order' in ordered) {
      order = ordered.order;
      for (const { table, column } of ordered.detached) {
        const d = drafts.find((x) => x.table.name === table)!;
        d.columns = d.columns.map((c) => (c.name === column ? { ...c, detached: true } : c));
      }
      break;
    }
    const { table, column, parent } = ordered.cycle;
    const stuck = drafts.find((d) => d.table.name === table)!;
    if (stuck.source) {
      problems.push(`${table}.${column} (NOT NULL) references ${parent}, which is loaded after it (their foreign keys form a cycle)`);
      order = drafts.map((d) => d.table.name);
      break;
    }
    skipped.push({ table, reason: 'no generator, and its foreign keys form a cycle with other tables' });
    drafts = drafts.filter((d) => d !== stuck);
    problems.push(...settleTargets(drafts, skipped));
  }
  if (problems.length) {
    throw new UsageError(`dbkit seed cannot fill ${problems.join('; ')}: give the column a default or make it nullable in src/schema/${schemaName}.ts, or extend seeds/${schemaName}/`);
  }
  return { schema: schemaName, dialect, tables: planTables(order, drafts, model), skipped, ...modelReferences(model) };
}

/** The drafts in load order, with who is generic, recorded, tracked, deferred and referenced. */
function planTables(order: string[], drafts: Draft[], model: DbSchema): LayoutTable[] {
  const paths = pathsToUsers(model);
  const tables: LayoutTable[] = [];
  for (const name of order) {
    const d = drafts.find((x) => x.table.name === name)!;
    const loadsAsWritten = d.from.length === d.source?.columns.length && d.from.every((p, i) => p === i) && d.columns.every((c) => !c.adapt);
    const userScoped = d.columns.some((c) => {
      const parent = c.ref && !c.detached && c.ref !== name ? tables.find((t) => t.name === c.ref) : undefined;
      return parent && (parent.name === USERS || parent.generic !== 'shared');
    });
    const generic = d.source ? undefined : userScoped ? ('user' as const) : ('shared' as const);
    tables.push({
      name,
      ...(d.source ? { source: d.source.name } : {}),
      columns: d.columns,
      from: d.source && !loadsAsWritten ? d.from : null,
      ...(generic ? { generic } : {}),
      // Rows no user owns are always taken back by id; `record` is about a user's rows.
      record: generic === 'shared' ? false : !paths.has(name),
      ...(paths.has(name) && name !== USERS ? { path: paths.get(name)! } : {}),
      defer: false,
      tracked: false,
      referenced: false,
    });
  }
  // References: the generator's point where it meant them; filled ones pick among rows loaded before (or earlier rows of their own table).
  for (const [i, t] of tables.entries()) {
    const d = drafts.find((x) => x.table.name === t.name)!;
    t.columns = t.columns.map((c, k) => {
      const fromGenerator = d.source !== undefined && d.from[k]! >= 0;
      if (fromGenerator) {
        const meant = d.source!.refs?.[d.source!.columns[d.from[k]!]!];
        const target = meant ? tables.find((x) => x.source === meant) : undefined;
        if (target) target.referenced = true;
        return c;
      }
      if (!c.ref || c.detached) return c.type.kind === 'ref' && !c.detached && !c.nullable ? { ...c, randomKey: true } : c;
      const j = tables.findIndex((p) => p.name === c.ref);
      if (j > i || j < 0) {
        // Only a soft reference can point forward or at a table not seeded (no constraint; nullable
        // foreign keys to such tables were settled before): it is filled as if it named nothing.
        const { ref: _ref, soft: _soft, ...rest } = c;
        return rest.nullable ? rest : { ...rest, randomKey: true };
      }
      tables[j]!.tracked = true;
      tables[j]!.referenced = true;
      t.defer = true;
      return c;
    });
  }
  return tables;
}
