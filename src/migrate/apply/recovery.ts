/**
 * Did an interrupted statement take effect? A migration that runs statement
 * by statement (MySQL, whose DDL commits as it goes; PostgreSQL's CREATE
 * INDEX CONCURRENTLY) records which statement it started. When a run was
 * killed there, the next run compares what that statement's operations
 * touch in the live catalog with the model before and after it (the
 * operations folded over the model), and skips the statement, runs it, or,
 * when the catalog shows neither, stops and says what it found. Pure.
 */
import { diff } from '../../diff/differ.js';
import { foldOperations } from '../../plan/fold.js';
import type { Operation } from '../../plan/operations.js';
import type { DbSchema, Table } from '../../schema/model.js';
import { normalize, type DialectNormalizer } from '../../schema/normalize.js';

export type Decision =
  /** The statement took effect: skip it. */
  | { kind: 'done' }
  /** It did not (or re-running it is harmless): run it. */
  | { kind: 'run' }
  /** PostgreSQL: CREATE [UNIQUE] INDEX CONCURRENTLY was killed or failed and left an INVALID index: drop it, then run the statements. */
  | { kind: 'rebuild_index'; index: string }
  /**
   * PostgreSQL: the statements up to `next` (relative to the first one decided
   * about) took effect and the rest did not: CREATE UNIQUE INDEX CONCURRENTLY
   * built a valid index, and the ADD CONSTRAINT ... USING INDEX after it did not run.
   */
  | { kind: 'partly'; next: number; index: string }
  /** Neither before nor after: the catalog shows something else. */
  | { kind: 'unknown'; found: string };

const bare = (name: string): Table => ({ name, comment: null, columns: [], primaryKey: null, uniques: [], foreignKeys: [], indexes: [] });

/** The part of a schema an operation touches, as a schema of its own (absent parts are absent). */
export function footprint(s: DbSchema, o: Operation): DbSchema {
  const out: DbSchema = { dialect: s.dialect, tables: [], enums: [], triggers: [] };
  const table = (name: string) => s.tables.find((t) => t.name === name);
  const part = (name: string, fill: (from: Table, into: Table) => void) => {
    const t = table(name);
    if (!t) return;
    const into = bare(name);
    fill(t, into);
    out.tables.push(into);
  };
  const sameCols = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => c === b[i]);
  switch (o.op) {
    case 'create_table':
    case 'drop_table':
      for (const name of [o.table.name]) if (table(name)) out.tables.push(table(name)!);
      out.triggers = s.triggers.filter((t) => t.table === o.table.name);
      break;
    case 'rename_table':
      for (const name of [o.from, o.to]) if (table(name)) out.tables.push(table(name)!);
      break;
    case 'add_column':
    case 'drop_column':
      part(o.table, (t, i) => (i.columns = t.columns.filter((c) => c.name === o.column.name)));
      break;
    case 'rename_column':
      part(o.table, (t, i) => (i.columns = t.columns.filter((c) => c.name === o.from || c.name === o.to)));
      break;
    case 'alter_column':
      part(o.table, (t, i) => (i.columns = t.columns.filter((c) => c.name === o.from.name || c.name === o.to.name)));
      break;
    case 'set_primary_key':
      part(o.table, (t, i) => (i.primaryKey = t.primaryKey));
      break;
    case 'add_unique':
    case 'drop_unique':
      part(o.table, (t, i) => (i.uniques = t.uniques.filter((u) => (o.unique.name ? u.name === o.unique.name : sameCols(u.columns, o.unique.columns)))));
      break;
    case 'add_foreign_key':
    case 'drop_foreign_key':
      part(o.table, (t, i) => {
        i.foreignKeys = t.foreignKeys.filter((f) =>
          o.foreignKey.name ? f.name === o.foreignKey.name : sameCols(f.columns, o.foreignKey.columns) && f.refTable === o.foreignKey.refTable,
        );
      });
      break;
    case 'create_index':
    case 'drop_index':
      part(o.table, (t, i) => (i.indexes = t.indexes.filter((x) => x.name === o.index.name)));
      break;
    case 'rename_index':
      part(o.table, (t, i) => (i.indexes = t.indexes.filter((x) => x.name === o.from || x.name === o.to)));
      break;
    case 'add_check':
    case 'drop_check':
      part(o.table, (t, i) => (i.checks = (t.checks ?? []).filter((c) => c.name === o.check.name)));
      break;
    case 'set_table_comment':
      part(o.table, (t, i) => (i.comment = t.comment));
      break;
    case 'convert_table_charset':
      part(o.table, (t, i) => {
        if (t.charset) i.charset = t.charset;
        if (t.collation) i.collation = t.collation;
      });
      break;
    case 'create_enum':
    case 'drop_enum':
      out.enums = s.enums.filter((e) => e.name === o.enum.name);
      break;
    case 'alter_enum':
      out.enums = s.enums.filter((e) => e.name === o.name);
      break;
    case 'rename_enum':
      out.enums = s.enums.filter((e) => e.name === o.from || e.name === o.to);
      break;
    case 'create_trigger':
    case 'drop_trigger':
      out.triggers = s.triggers.filter((t) => t.name === o.trigger.name && t.table === o.trigger.table);
      break;
    case 'rename_trigger':
      out.triggers = s.triggers.filter((t) => t.table === o.table && (t.name === o.from || t.name === o.to));
      break;
    case 'create_function':
    case 'drop_function':
      break; // not in the model
    default: {
      // An operation this version does not know: nothing proves it took effect.
      const unknown: never = o;
      throw new Error(`no footprint for operation ${(unknown as Operation).op}`);
    }
  }
  return out;
}

const same = (a: DbSchema, b: DbSchema, n: DialectNormalizer): boolean => diff(normalize(a, n), normalize(b, n)).length === 0;

/** Operations whose statements are safe to run again whatever happened (CREATE OR REPLACE FUNCTION, DROP ... IF EXISTS). */
const REPEATABLE = new Set<Operation['op']>(['create_function', 'drop_function']);

/** A statement that builds an index with CREATE [UNIQUE] INDEX CONCURRENTLY: its place among the statements decided about, and the index. */
export interface ConcurrentBuild {
  offset: number;
  index: string;
}

const CONCURRENT = /^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))/i;

/** The index a statement builds concurrently (PostgreSQL), or null. */
export function concurrentIndex(sql: string): string | null {
  const m = CONCURRENT.exec(sql);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.toLowerCase();
}

/** The statements among `statements` that build an index concurrently. */
export const concurrentBuilds = (statements: readonly string[]): ConcurrentBuild[] =>
  statements.flatMap((sql, offset) => {
    const index = concurrentIndex(sql);
    return index ? [{ offset, index }] : [];
  });

/** An index of the live schema by name (PostgreSQL: index names are per schema). */
export const liveIndex = (live: DbSchema, name: string) => live.tables.flatMap((t) => t.indexes).find((i) => i.name === name);

/**
 * Decide about statements that perform `ops` (the operations one statement,
 * or one group of statements, performs), given the model before them and the
 * live schema. `builds`: which of those statements build an index
 * concurrently (PostgreSQL); without it, the create_index operations are taken
 * to be such statements, each on its own.
 */
export function decide(before: DbSchema, ops: readonly Operation[], live: DbSchema, n: DialectNormalizer, builds?: readonly ConcurrentBuild[]): Decision {
  if (!ops.length || ops.every((o) => REPEATABLE.has(o.op))) return { kind: 'run' };
  let after: DbSchema;
  try {
    after = foldOperations(before, ops);
  } catch (err) {
    return { kind: 'unknown', found: `the migration's operations do not apply to the model before it (${(err as Error).message})` };
  }
  const checked = ops.filter((o) => !REPEATABLE.has(o.op));
  // CREATE [UNIQUE] INDEX CONCURRENTLY killed or failed: PostgreSQL leaves the index, marked invalid (the differ does not compare validity).
  const concurrent = builds ?? checked.flatMap((o) => (o.op === 'create_index' ? [{ offset: 0, index: o.index.name }] : []));
  const rebuildable = (b: ConcurrentBuild) => (builds ? b.offset === 0 : checked.length === 1);
  for (const b of concurrent) {
    const idx = liveIndex(live, b.index);
    if (idx && idx.valid === false) return rebuildable(b) ? { kind: 'rebuild_index', index: b.index } : { kind: 'unknown', found: `index ${b.index} is invalid` };
  }
  if (checked.every((o) => same(footprint(live, o), footprint(after, o), n))) return { kind: 'done' };
  if (checked.every((o) => same(footprint(live, o), footprint(before, o), n))) {
    // A valid index built concurrently that the operation's footprint does not show yet (a UNIQUE constraint not yet attached to it).
    const built = concurrent.filter((b) => liveIndex(live, b.index)?.valid !== false && liveIndex(live, b.index) && !liveIndex(before, b.index));
    const last = built.at(-1);
    if (builds && last) return { kind: 'partly', next: last.offset + 1, index: last.index };
    return { kind: 'run' };
  }
  const found = checked
    .flatMap((o) => diff(normalize(footprint(live, o), n), normalize(footprint(after, o), n)))
    .map((c) => c.message)
    .slice(0, 3)
    .join(' ');
  return { kind: 'unknown', found };
}
