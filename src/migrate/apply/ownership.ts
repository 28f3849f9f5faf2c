/**
 * The pre-flight ownership check: before anything runs, every object the
 * pending migrations would create (table, enum type, index, function,
 * trigger, column) is looked up in the live catalog. One that exists and
 * that dbkit cannot prove it created is refused, by name, and nothing runs:
 * dbkit never drops, alters, replaces or empties an object it did not create.
 *
 * The only proof is a progress row of an earlier, stopped run of that same
 * migration: written before its statement ran, after this same check had
 * found the name free, so what that statement (or one before it) creates
 * and now exists is dbkit's. Pure but for the catalog read in runner.ts.
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import { DbkitError, ExitCode } from '../../shared/errors.js';
import type { Operation } from '../../plan/operations.js';
import type { Dialect } from '../../schema/model.js';
import type { LoadedMigration } from '../folder/source.js';

/** A pending migration would create an object that exists and that dbkit did not create. Exit 5. */
export class ForeignObjectError extends DbkitError {
  constructor(message: string) {
    super(message, ExitCode.sql);
  }
}

interface Named {
  key: string;
  /** As a person reads it: `table users`, `index idx_x on users`. */
  label: string;
}

/** What an operation creates (keys it needs free) and removes. */
function effects(o: Operation, d: Dialect): { creates: Named[]; removes: string[]; removesPrefix: string[] } {
  const dialect = dialectFor(d);
  const pg = dialect.tablesHaveRowTypes;
  const none = { creates: [] as Named[], removes: [] as string[], removesPrefix: [] as string[] };
  const tableKeys = (t: string) => (dialect.tablesHaveRowTypes ? [`relation:${t}`, `type:${t}`] : [`relation:${t}`]);
  // Index names: beside the tables, one name space per schema (PostgreSQL), or per table (MySQL).
  const index = (table: string, name: string): Named =>
    dialect.rules.indexNames === 'schema' ? { key: `relation:${name}`, label: `index ${name}` } : { key: `index:${table}.${name}`, label: `index ${name} on ${table}` };
  switch (o.op) {
    case 'create_table':
      return {
        ...none,
        creates: [
          ...tableKeys(o.table.name).map((key) => ({ key, label: `table ${o.table.name}` })),
          ...(pg ? o.table.indexes.filter((i) => !i.implicit).map((i) => index(o.table.name, i.name)) : []),
        ],
      };
    case 'drop_table':
      return {
        ...none,
        removes: [...tableKeys(o.table.name), ...(pg ? o.table.indexes.map((i) => `relation:${i.name}`) : [])],
        removesPrefix: [`column:${o.table.name}.`, `index:${o.table.name}.`, `trigger:${o.table.name}.`],
      };
    case 'rename_table':
      return {
        creates: tableKeys(o.to).map((key) => ({ key, label: `table ${o.to}` })),
        removes: tableKeys(o.from),
        removesPrefix: [],
      };
    case 'add_column':
      return { ...none, creates: [{ key: `column:${o.table}.${o.column.name}`, label: `column ${o.table}.${o.column.name}` }] };
    case 'drop_column':
      return { ...none, removes: [`column:${o.table}.${o.column.name}`] };
    case 'rename_column':
      return { creates: [{ key: `column:${o.table}.${o.to}`, label: `column ${o.table}.${o.to}` }], removes: [`column:${o.table}.${o.from}`], removesPrefix: [] };
    case 'create_index':
      return { ...none, creates: o.index.implicit ? [] : [index(o.table, o.index.name)] };
    case 'drop_index':
      return { ...none, removes: [pg ? `relation:${o.index.name}` : `index:${o.table}.${o.index.name}`] };
    case 'rename_index':
      return {
        creates: [index(o.table, o.to)],
        removes: [pg ? `relation:${o.from}` : `index:${o.table}.${o.from}`],
        removesPrefix: [],
      };
    case 'create_enum':
      return pg ? { ...none, creates: [{ key: `type:${o.enum.name}`, label: `type ${o.enum.name}` }] } : none;
    case 'drop_enum':
      return pg ? { ...none, removes: [`type:${o.enum.name}`] } : none;
    case 'rename_enum':
      return pg ? { creates: [{ key: `type:${o.to}`, label: `type ${o.to}` }], removes: [`type:${o.from}`], removesPrefix: [] } : none;
    case 'create_function':
      return pg ? { ...none, creates: [{ key: `function:${o.name}`, label: `function ${o.name}()` }] } : none;
    case 'drop_function':
      return pg ? { ...none, removes: [`function:${o.name}`] } : none;
    case 'create_trigger': {
      const key = pg ? `trigger:${o.trigger.table}.${o.trigger.name}` : `trigger:${o.trigger.name}`;
      return { ...none, creates: [{ key, label: `trigger ${o.trigger.name} on ${o.trigger.table}` }] };
    }
    case 'drop_trigger':
      return { ...none, removes: [pg ? `trigger:${o.trigger.table}.${o.trigger.name}` : `trigger:${o.trigger.name}`] };
    case 'rename_trigger': {
      const key = (n: string) => (pg ? `trigger:${o.table}.${n}` : `trigger:${n}`);
      return { creates: [{ key: key(o.to), label: `trigger ${o.to} on ${o.table}` }], removes: [key(o.from)], removesPrefix: [] };
    }
    default:
      return none;
  }
}

export interface Conflict {
  label: string;
  migration: string;
}

/**
 * The objects the pending migrations (in order) would create that exist and
 * are not proven dbkit's. `resumeAt`: for a migration an earlier run stopped
 * in, the statement it stopped at (what that statement and those before it
 * create may exist).
 */
export function findConflicts(live: ReadonlySet<string>, pending: readonly LoadedMigration[], resumeAt: ReadonlyMap<string, number>): Conflict[] {
  const present = new Set(live);
  const out: Conflict[] = [];
  for (const m of pending) {
    const meta = m.meta.up;
    const stoppedAt = resumeAt.get(m.name);
    const provenOps = new Set(stoppedAt === undefined ? [] : meta.statementOperations.slice(0, stoppedAt + 1).flat());
    meta.operations.forEach((o, j) => {
      const e = effects(o, m.dialect);
      for (const c of e.creates) {
        const seen = out.some((x) => x.label === c.label && x.migration === m.name);
        if (present.has(c.key) && !provenOps.has(j) && !seen) out.push({ label: c.label, migration: m.name });
        present.add(c.key);
      }
      for (const k of e.removes) present.delete(k);
      for (const p of e.removesPrefix) for (const k of [...present]) if (k.startsWith(p)) present.delete(k);
    });
  }
  return out;
}

export interface ConflictContext {
  /** Applied migrations whose folder is gone, forgotten by this run (--accept-changed): they may have made the objects. */
  forgotten?: readonly string[];
}

export function conflictError(conflicts: readonly Conflict[], namespace: string, context: ConflictContext = {}): ForeignObjectError {
  const one = conflicts.length === 1;
  const what = conflicts.map((c) => `${c.label} (${c.migration} would create it)`).join(', ');
  const forgotten = context.forgotten ?? [];
  if (forgotten.length) {
    // Not "dbkit did not create it": a migration this database applied, whose folder is gone, may well have.
    const makers = [...new Set(conflicts.map((c) => c.migration))];
    return new ForeignObjectError(
      `refusing to migrate: ${what} already ${one ? 'exists' : 'exist'} in ${namespace}, and no migration in the folder proves dbkit made ${one ? 'it' : 'them'}; ` +
        `${forgotten.join(', ')}, applied here and whose folder is gone, may have. Nothing was run. If ${makers.join(', ')} ${makers.length > 1 ? 'make' : 'makes'} the change ${forgotten.join(', ')} made ` +
        `(two branches merged), record ${makers.length > 1 ? 'them' : 'it'} without running: dbkit migrate ${forgotten.map((n) => `--accept-changed ${n}`).join(' ')} ${makers.map((n) => `--adopt ${n}`).join(' ')} ` +
        `(checked against the catalog first; docs/recovery.md)`,
    );
  }
  return new ForeignObjectError(
    `refusing to migrate: ${what} already ${one ? 'exists' : 'exist'} in ${namespace}, and dbkit did not create ${one ? 'it' : 'them'}; ` +
      `nothing was run. Move ${one ? 'it' : 'them'} out of the way yourself, or migrate into another --namespace`,
  );
}
