/**
 * A seed layout's columns (src/seed/layout.ts): each column of the expected
 * model with its logical type and what it references (a foreign key, or a
 * reference column without one, by its name), and how a generator's value
 * is adapted to what its column became since the generator was written.
 */
import type { LogicalType, SchemaDef } from '../schema/definition.js';
import type { DbSchema, Table } from '../schema/model.js';
import type { Adapt, LayoutColumn } from './layout-types.js';

function logicalType(schema: SchemaDef, table: string, column: string): LogicalType {
  const def = schema.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
  if (!def) throw new Error(`column ${table}.${column} of the expected model is not in the definition of ${schema.name}`);
  return def.type;
}

/** Whether a table has a single `id` key column (what a reference can point at, and what generic rows need). */
export const hasIdKey = (table: Table): boolean => table.primaryKey?.columns.length === 1 && table.primaryKey.columns[0] === 'id';

/**
 * The table a reference column without a foreign key names: `session_id`
 * -> sessions (or session), `parent_run_id` -> runs; none when no table of
 * the model with an `id` key fits.
 */
export function softTarget(column: string, model: DbSchema): string | undefined {
  const m = /^(.+?)_?id$/i.exec(column);
  if (!m) return undefined;
  const stem = m[1]!.toLowerCase().replace(/_$/, '');
  const stems = [stem, stem.split('_').at(-1)!];
  for (const s of stems) {
    for (const name of [s, `${s}s`, `${s}es`, s.replace(/y$/, 'ies')]) {
      const table = model.tables.find((t) => t.name.toLowerCase() === name);
      if (table && hasIdKey(table)) return table.name;
    }
  }
  return undefined;
}

/** The loadable columns of a model table: types from the definition, references from its foreign keys (or names). */
export function columnsOf(schema: SchemaDef, table: Table, model: DbSchema): LayoutColumn[] {
  const uniqueCols = new Set([...table.uniques.map((u) => u.columns), ...table.indexes.filter((i) => i.unique).map((i) => i.columns)].flat());
  const refs = new Map(table.foreignKeys.filter((fk) => fk.columns.length === 1).map((fk) => [fk.columns[0]!, fk.refTable]));
  return table.columns.map((c) => {
    const type = logicalType(schema, table.name, c.name);
    const col: LayoutColumn = { name: c.name, type, nullable: c.nullable, unique: uniqueCols.has(c.name) };
    if (refs.has(c.name)) col.ref = refs.get(c.name)!;
    else if (type.kind === 'ref') {
      const target = softTarget(c.name, model);
      if (target) Object.assign(col, { ref: target, soft: true });
    }
    return col;
  });
}

const TEXT = new Set(['varchar', 'text', 'longtext']);
const WHOLE: Record<string, [number, number]> = {
  tinyint: [-128, 127],
  smallint: [-32_768, 32_767],
  int: [-2_147_483_648, 2_147_483_647],
  bigint: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const JSONISH = new Set(['json', 'json_text']);
const maxLength = (t: LogicalType) => (t.kind === 'varchar' ? t.length : Infinity);

/**
 * What to do with a generator's value for a column that was `was` when the
 * generator was written and is `now`: load it as it is, adapt it, or fill
 * the column here instead (a type it cannot be made to fit).
 */
export function adaptation(was: LayoutColumn, now: LayoutColumn): 'keep' | 'fill' | Adapt {
  const a: Adapt = {};
  const [from, to] = [was.type, now.type];
  if (TEXT.has(from.kind) && TEXT.has(to.kind)) {
    if (maxLength(to) < maxLength(from)) a.maxLength = maxLength(to);
  } else if (WHOLE[from.kind] && WHOLE[to.kind]) {
    const [lo, hi] = WHOLE[to.kind]!;
    const [wlo, whi] = WHOLE[from.kind]!;
    if (lo > wlo || hi < whi) a.range = [lo, hi];
  } else if ((from.kind === 'enum' || TEXT.has(from.kind)) && to.kind === 'enum') {
    if (from.kind !== 'enum' || from.labels.some((l) => !to.labels.includes(l))) a.labels = to.labels;
  } else if (from.kind === 'enum' && TEXT.has(to.kind)) {
    if (Math.max(...from.labels.map((l) => l.length)) > maxLength(to)) a.maxLength = maxLength(to);
  } else if (!(from.kind === to.kind || (JSONISH.has(from.kind) && JSONISH.has(to.kind)))) {
    return 'fill';
  }
  if (was.nullable && !now.nullable) a.fillNulls = true;
  if (!was.unique && now.unique) a.unique = true;
  return Object.keys(a).length ? a : 'keep';
}
