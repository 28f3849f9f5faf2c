/**
 * Renames: the declared ones become operations (checked against both models),
 * and the undeclared possibilities are listed, never guessed: a table or
 * column dropped while another is added could be one renamed, and only the
 * user can tell (`dbkit make` asks on a terminal, or lists the flags that
 * settle it).
 */
import type { Column, DbSchema, Table } from '../schema/model.js';
import type { Operation } from './operations.js';
import { noRenames, PlanError, type RenameCandidate, type Renames } from './types.js';

const tableIn = (s: DbSchema, name: string): Table | undefined => s.tables.find((t) => t.name === name);
const hasColumn = (t: Table, name: string): boolean => t.columns.some((c) => c.name === name);

/** The old name of a table by its new name, through the declared renames. */
export function oldTableName(renames: Renames, newName: string): string {
  const entry = Object.entries(renames.tables).find(([, to]) => to === newName);
  return entry ? entry[0] : newName;
}

/** rename_table and rename_column operations for the declared renames; throws PlanError when one does not fit. */
export function renameOperations(from: DbSchema, to: DbSchema, renames: Renames = noRenames()): Operation[] {
  const ops: Operation[] = [];
  const targets = new Set<string>();
  for (const [old, neu] of Object.entries(renames.tables)) {
    if (old === neu) continue;
    if (!tableIn(from, old)) throw new PlanError(`cannot rename table ${old}: there is no such table`);
    if (!tableIn(to, neu)) throw new PlanError(`cannot rename table ${old} to ${neu}: the definition has no table ${neu}`);
    if (tableIn(to, old)) throw new PlanError(`cannot rename table ${old} to ${neu}: the definition still has a table ${old}`);
    if (tableIn(from, neu)) throw new PlanError(`cannot rename table ${old} to ${neu}: a table ${neu} exists already`);
    if (targets.has(neu)) throw new PlanError(`two tables are renamed to ${neu}`);
    targets.add(neu);
    ops.push({ op: 'rename_table', from: old, to: neu });
  }
  for (const [table, columns] of Object.entries(renames.columns)) {
    const target = tableIn(to, table);
    const source = tableIn(from, oldTableName(renames, table));
    if (!target) throw new PlanError(`cannot rename columns of ${table}: the definition has no table ${table}`);
    if (!source) throw new PlanError(`cannot rename columns of ${table}: it is a new table`);
    const newNames = new Set<string>();
    for (const [old, neu] of Object.entries(columns)) {
      if (old === neu) continue;
      const what = `column ${table}.${old} to ${neu}`;
      if (!hasColumn(source, old)) throw new PlanError(`cannot rename ${what}: there is no column ${old}`);
      if (!hasColumn(target, neu)) throw new PlanError(`cannot rename ${what}: the definition has no column ${table}.${neu}`);
      if (hasColumn(target, old)) throw new PlanError(`cannot rename ${what}: the definition still has a column ${table}.${old}`);
      if (hasColumn(source, neu)) throw new PlanError(`cannot rename ${what}: a column ${neu} exists already`);
      if (newNames.has(neu)) throw new PlanError(`two columns of ${table} are renamed to ${neu}`);
      newNames.add(neu);
      ops.push({ op: 'rename_column', table, from: old, to: neu });
    }
  }
  return ops;
}

/** The declared renames the other way round (for a down migration). */
export function inverseRenames(renames: Renames): Renames {
  const tables = Object.fromEntries(Object.entries(renames.tables).map(([old, neu]) => [neu, old]));
  const columns: Renames['columns'] = {};
  for (const [table, cols] of Object.entries(renames.columns)) {
    columns[oldTableName(renames, table)] = Object.fromEntries(Object.entries(cols).map(([old, neu]) => [neu, old]));
  }
  return { tables, columns };
}

/** String, number, time, JSON...: a dropped and an added column of different families are not offered as a rename. */
function family(type: string): string {
  const t = type.toLowerCase();
  if (t.endsWith('[]')) return 'array';
  if (/char|text|clob|^enum\(|^set\(/.test(t)) return 'string';
  if (/int|numeric|decimal|real|double|float|serial/.test(t)) return 'number';
  if (/time|date|interval/.test(t)) return 'time';
  if (/json/.test(t)) return 'json';
  if (/^(uuid|bool|boolean|bytea|blob|binary|varbinary)\b/.test(t)) return t.replace(/\(.*$/, '');
  return 'other'; // a PostgreSQL enum or other user type: could be anything
}

const sameFamily = (a: Column, b: Column): boolean => {
  const [fa, fb] = [family(a.type), family(b.type)];
  return fa === fb || fa === 'other' || fb === 'other';
};

/**
 * Each dropped table with each added one, and within a table kept (by name or
 * declared rename) each dropped column with each added column of the same
 * family, that the declared renames do not already account for.
 */
export function renameCandidates(from: DbSchema, to: DbSchema, renames: Renames = noRenames()): RenameCandidate[] {
  const out: RenameCandidate[] = [];
  const renamedFrom = new Set(Object.keys(renames.tables));
  const renamedTo = new Set(Object.values(renames.tables));
  const dropped = from.tables.filter((t) => !tableIn(to, t.name) && !renamedFrom.has(t.name));
  const added = to.tables.filter((t) => !tableIn(from, t.name) && !renamedTo.has(t.name));
  for (const d of dropped) {
    for (const a of added) out.push({ kind: 'table', table: null, from: d.name, to: a.name, flag: `--rename ${d.name}=${a.name}` });
  }
  for (const target of to.tables) {
    const source = tableIn(from, oldTableName(renames, target.name));
    if (!source) continue;
    const declared = renames.columns[target.name] ?? {};
    const gone = source.columns.filter((c) => !hasColumn(target, c.name) && !(c.name in declared));
    const come = target.columns.filter((c) => !hasColumn(source, c.name) && !Object.values(declared).includes(c.name));
    for (const g of gone) {
      for (const c of come) {
        if (!sameFamily(g, c)) continue;
        out.push({ kind: 'column', table: target.name, from: g.name, to: c.name, flag: `--rename ${target.name}.${g.name}=${c.name}` });
      }
    }
  }
  return out;
}
