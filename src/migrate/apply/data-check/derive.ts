/**
 * Which rows of the live database the pending migrations of a run depend on
 * (pure): from each migration's typed operations, folded over the model
 * before it, the probes to count (types.ts), on the names the tables and
 * columns have in the live database before the run.
 *
 *   add_unique, a unique create_index, set_primary_key -> duplicates (and NULLs for a key)
 *   add_foreign_key                                    -> orphans
 *   alter_column to NOT NULL                           -> NULLs
 *   add_column NOT NULL without default, existing table -> rows (PostgreSQL fails; MySQL fills an implicit default)
 *   alter_column type change that can fail or narrows  -> values too long, out of range, not converting (column-types.ts)
 *   alter_enum removing labels                         -> rows holding them
 *   add_check                                          -> rows breaking it
 *   drop_table / drop_column                           -> rows / values lost
 *
 * A run is walked in order, keeping each table's and column's live name
 * (renames map back to it) or that the run creates it (no rows yet: nothing
 * to count). A hand-written migration earlier in the run may change the data
 * of the tables its SQL names: the probes of later migrations on those tables
 * are counted just before such a migration starts instead (`deferred`).
 */
import { dialectFor } from '../../../engines/sql-dialects.js';
import { describeOperation } from '../../../plan/describe.js';
import { foldOperations } from '../../../plan/fold.js';
import type { Operation } from '../../../plan/operations.js';
import type { DbSchema, Dialect, Table } from '../../../schema/model.js';
import { typeChecks } from './column-types.js';
import { Lineage, type TableLine } from './lineage.js';
import type { Condition, Effect, Probe, SampleColumn, Unchecked } from '../../../port/data-check.js';

/** A pending migration, as the pre-flight reads it. */
export interface PendingMigration {
  name: string;
  handWritten: boolean;
  operations: readonly Operation[];
  /** Its up statements: which tables a hand-written migration names. */
  statements: readonly string[];
  /** The model before its up: its predecessors' operations folded. */
  before: DbSchema;
}

/** What exists in the live namespace. */
export interface LiveCatalog {
  hasTable(table: string): boolean;
  hasColumn(table: string, column: string): boolean;
}

/**
 * One candidate count of one operation, and what the run's state makes of
 * it: a probe; not counted, said (`unchecked`); or nothing to count, quietly
 * (a table this run creates has no rows; an object a stopped run of this
 * migration already changed is not there). Each candidate gives exactly one
 * entry whatever the state, so that the entries of a migration walked up
 * front and walked again just before it starts line up.
 */
type Entry = ({ probe: Probe } | { unchecked: Unchecked } | { quiet: string }) & { touched: boolean };

/** Names resolved against the lineage and the live catalog, for one table. */
interface Resolved {
  line: TableLine;
  live: string;
}

function probesOf(dialect: Dialect, m: PendingMigration, index: number, o: Operation, model: DbSchema, lineage: Lineage, live: LiveCatalog): Entry[] {
  const change = describeOperation(o);
  const out: Entry[] = [];
  const tableIn = (name: string): Table | undefined => model.tables.find((t) => t.name === name);
  const unchecked = (touched: boolean, why: string): Entry => ({ unchecked: { migration: m.name, operation: index, change, why }, touched });
  const quiet = (why: string): Entry => ({ quiet: why, touched: false });
  /** Not counted, said when the table is in the database before the run. */
  const uncheckedOn = (tableName: string, why: string, alsoTouched = false): Entry => {
    const line = lineage.table(tableName);
    return line?.live ? unchecked(line.touched || alsoTouched, why) : { quiet: 'created by this run', touched: !!line?.touched || alsoTouched };
  };

  /** Add a probe on `tableName` (current name) over `columns` (current names), or the reason it is not counted. */
  const count = (tableName: string, columns: string[], effect: Effect, condition: (col: (c: string) => string) => Condition, says: string, samples: (keys: SampleColumn[], col: (c: string) => string) => SampleColumn[] = (k) => k, extraTouched = false): void => {
    const line = lineage.table(tableName);
    if (!line) {
      out.push(quiet('no such table'));
      return;
    }
    const touched = line.touched || extraTouched;
    if (line.live === null) {
      out.push({ quiet: 'created by this run', touched });
      return;
    }
    if (!live.hasTable(line.live)) {
      out.push(quiet('not in the database'));
      return;
    }
    const lines = columns.map((c) => line.columns.get(c));
    if (lines.some((l) => !l)) {
      out.push(quiet('no such column'));
      return;
    }
    if (lines.some((l) => 'added' in l!)) {
      out.push(unchecked(touched, `a column it covers is added earlier in this run`));
      return;
    }
    const liveCols = new Map(columns.map((c, i) => [c, (lines[i] as { live: string }).live]));
    if ([...liveCols.values()].some((c) => !live.hasColumn(line.live!, c))) {
      out.push(quiet('not in the database'));
      return;
    }
    const col = (c: string) => liveCols.get(c) ?? c;
    const keys = sampleKeys({ line, live: line.live }, tableIn(tableName), live);
    out.push({
      probe: { migration: m.name, operation: index, change, effect, table: line.live, condition: condition(col), samples: samples(keys, col), says },
      touched,
    });
  };
  const rules = dialectFor(dialect).dataRules;
  const fails = rules.addNotNullWithoutDefault === 'fails';

  switch (o.op) {
    case 'drop_table':
      count(o.table.name, [], 'loses', () => ({ kind: 'rows' }), `{rows} of table ${o.table.name}, lost with it`);
      break;
    case 'drop_column':
      count(o.table, [o.column.name], 'loses', (col) => ({ kind: 'values', column: col(o.column.name) }), `{rows} with a value in ${o.table}.${o.column.name}, lost with the column`);
      break;
    case 'add_column': {
      const c = o.column;
      if (c.nullable || c.default !== null || c.autoIncrement) break;
      const line = lineage.table(o.table);
      // Already there: a stopped run of this migration added it.
      if (line?.live && live.hasColumn(line.live, c.name)) {
        out.push(quiet('added by a stopped run'));
        break;
      }
      count(
        o.table,
        [],
        fails ? 'fails' : 'loses',
        () => ({ kind: 'rows' }),
        fails
          ? `{rows} in ${o.table}, to which a NOT NULL column ${c.name} without a default cannot be added`
          : `{rows} in ${o.table}, given the implicit default of ${c.type} in the new NOT NULL column ${c.name} (it has no default)`,
      );
      break;
    }
    case 'alter_column': {
      const shown = `${o.table}.${o.to.name}`;
      const name = o.from.name;
      if (o.from.nullable && !o.to.nullable) {
        count(o.table, [name], 'fails', (col) => ({ kind: 'nulls', columns: [col(name)] }), `{rows} with NULL in ${shown}`);
      }
      if (o.from.type !== o.to.type) {
        const labels = (type: string) => model.enums.find((e) => e.name === type)?.labels ?? null;
        for (const check of typeChecks(dialect, name, shown, o.from.type, o.to.type, labels)) {
          if ('unchecked' in check) {
            out.push(uncheckedOn(o.table, check.unchecked));
            continue;
          }
          const column = (c: Condition, col: (x: string) => string): Condition => ({ ...c, column: col(name) }) as Condition;
          const show = check.condition.kind === 'too_long' ? check.condition.unit : 'value';
          count(o.table, [name], check.effect, (col) => column(check.condition, col), check.says, (keys, col) => [...keys, { column: col(name), show }]);
        }
      }
      if (o.to.charset && o.to.charset !== o.from.charset) out.push(uncheckedOn(o.table, `characters that character set ${o.to.charset} cannot hold are not counted`));
      break;
    }
    case 'set_primary_key': {
      if (!o.to) break;
      const cols = o.to.columns;
      const where = `${o.table} (${cols.join(', ')})`;
      count(o.table, cols, 'fails', (col) => ({ kind: 'duplicates', columns: cols.map(col), where: null }), `{values} of ${where} held by more than one row`, (_k, col) => cols.map((c) => ({ column: col(c), show: 'value' })));
      const nullable = cols.filter((c) => tableIn(o.table)?.columns.find((x) => x.name === c)?.nullable !== false);
      if (nullable.length) count(o.table, nullable, 'fails', (col) => ({ kind: 'nulls', columns: nullable.map(col) }), `{rows} with NULL in ${where}, which a primary key cannot hold`);
      break;
    }
    case 'add_unique':
    case 'create_index': {
      const cols = o.op === 'add_unique' ? o.unique.columns : o.index.columns;
      if (o.op === 'create_index' && !o.index.unique) break;
      const where = o.op === 'create_index' ? o.index.where : null;
      if (where !== null && !rules.partialIndexes) break;
      count(
        o.table,
        cols,
        'fails',
        (col) => ({ kind: 'duplicates', columns: cols.map(col), where }),
        `{values} of ${o.table} (${cols.join(', ')}) held by more than one row`,
        (_k, col) => cols.map((c) => ({ column: col(c), show: 'value' })),
      );
      break;
    }
    case 'add_foreign_key': {
      const fk = o.foreignKey;
      const ref = lineage.table(fk.refTable);
      const line = lineage.table(o.table);
      const addedEmpty = (c: string) => {
        const l = line?.columns.get(c);
        return !!l && 'added' in l && l.added === 'null';
      };
      if (!ref) {
        out.push(quiet('no such table'));
        break;
      }
      // A key over a column this run adds empty holds NULL in every row: no orphans.
      if (fk.columns.some(addedEmpty)) {
        out.push(quiet('over a column added empty'));
        break;
      }
      const refCols = fk.refColumns.map((c) => ref.columns.get(c));
      if (ref.live !== null && refCols.some((l) => !l || 'added' in l)) {
        out.push(uncheckedOn(o.table, 'a referenced column is added earlier in this run', ref.touched));
        break;
      }
      const refLive = ref.live;
      count(
        o.table,
        fk.columns,
        'fails',
        (col) => ({ kind: 'orphans', columns: fk.columns.map(col), refTable: refLive, refColumns: refLive === null ? fk.refColumns : refCols.map((l) => (l as { live: string }).live) }),
        `{rows} of ${o.table} with a (${fk.columns.join(', ')}) that no ${fk.refTable} row has`,
        (keys, col) => [...keys, ...fk.columns.map((c) => ({ column: col(c), show: 'value' as const }))],
        ref.touched,
      );
      break;
    }
    case 'add_check': {
      const line = lineage.table(o.table);
      if (!line) {
        out.push(quiet('no such table'));
        break;
      }
      const renamed = [...line.columns].some(([name, l]) => !('live' in l) || l.live !== name);
      if (line.live !== null && (renamed || line.live !== o.table)) {
        out.push(unchecked(line.touched, 'its table or a column of it is renamed or added earlier in this run, and the condition names them as they will be'));
        break;
      }
      if (rules.questionMarkBinds && o.check.expression.includes('?')) {
        out.push(unchecked(line.touched, 'its condition has a question mark, which the MySQL driver would take for a parameter'));
        break;
      }
      count(o.table, [], 'fails', () => ({ kind: 'check', expression: o.check.expression }), `{rows} of ${o.table} breaking CHECK ${o.check.name}`);
      break;
    }
    case 'alter_enum': {
      const removed = o.from.filter((l) => !o.to.includes(l));
      if (!removed.length) break;
      for (const use of o.uses ?? []) {
        count(
          use.table,
          [use.column],
          'fails',
          (col) => ({ kind: 'not_in', column: col(use.column), labels: o.to }),
          `{rows} holding ${removed.map((l) => `'${l}'`).join(' or ')} in ${use.table}.${use.column}, removed from ${o.name}`,
          (keys, col) => [...keys, { column: col(use.column), show: 'value' }],
        );
      }
      break;
    }
    default:
      break;
  }
  return out;
}

/** The primary key of a table as sample columns, when each of its columns is live. */
function sampleKeys(r: Resolved, table: Table | undefined, live: LiveCatalog): SampleColumn[] {
  const pk = table?.primaryKey?.columns ?? [];
  const names = pk.map((c) => r.line.columns.get(c));
  if (!pk.length || names.some((l) => !l || !('live' in l) || !live.hasColumn(r.live, l.live))) return [];
  return names.map((l) => ({ column: (l as { live: string }).live, show: 'key' as const }));
}

/** Every candidate count of one migration, in operation order, walked over `lineage` (which it moves on). */
function entriesOf(dialect: Dialect, m: PendingMigration, lineage: Lineage, live: LiveCatalog): Entry[] {
  const out: Entry[] = [];
  let model = m.before;
  m.operations.forEach((o, i) => {
    out.push(...probesOf(dialect, m, i, o, model, lineage, live));
    model = foldOperations(model, [o]);
    lineage.apply(o);
  });
  if (m.handWritten) lineage.touch(m.statements);
  return out;
}

export interface RunProbes {
  /** Counted before the first statement of the run. */
  upFront: Probe[];
  /** By migration: which of its candidate counts (indexes for `probesBefore`) wait until just before it starts. */
  deferred: Map<string, number[]>;
  unchecked: Unchecked[];
}

/** The probes of a run's pending migrations (in order), on the live names before the run. */
export function probeRun(dialect: Dialect, migrations: readonly PendingMigration[], live: LiveCatalog): RunProbes {
  const out: RunProbes = { upFront: [], deferred: new Map(), unchecked: [] };
  if (!migrations.length) return out;
  const lineage = new Lineage(migrations[0]!.before);
  for (const m of migrations) {
    entriesOf(dialect, m, lineage, live).forEach((e, i) => {
      if (e.touched) {
        out.deferred.set(m.name, [...(out.deferred.get(m.name) ?? []), i]);
        return;
      }
      if ('probe' in e) out.upFront.push(e.probe);
      else if ('unchecked' in e) out.unchecked.push(e.unchecked);
    });
  }
  return out;
}

/**
 * The deferred probes of one migration (`entries` from probeRun), just
 * before it starts: every table is then under the name the model before it
 * gives, and what a table created earlier in the run holds is counted too.
 */
export function probesBefore(dialect: Dialect, m: PendingMigration, entries: readonly number[], live: LiveCatalog): { probes: Probe[]; unchecked: Unchecked[] } {
  const all = entriesOf(dialect, m, new Lineage(m.before), live);
  const out = { probes: [] as Probe[], unchecked: [] as Unchecked[] };
  for (const i of entries) {
    const e = all[i];
    if (e && 'probe' in e) out.probes.push(e.probe);
    else if (e && 'unchecked' in e) out.unchecked.push(e.unchecked);
  }
  return out;
}
