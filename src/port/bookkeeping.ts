/**
 * dbkit's bookkeeping tables are recognised by what they are, never by their
 * name alone: a base table with exactly dbkit's columns and types, and either
 * dbkit's marker as its comment or no comment at all (a table made before
 * the marker existed, which dbkit marks the next time it writes). An
 * unmarked one is an older dbkit's only beside the tables it was made with
 * (MADE_WITH): dbkit_checksums and Knex's lock table came with a
 * dbkit_migrations of dbkit's shape, never alone. A view, or
 * a table of another shape, under a dbkit name is someone else's: every
 * command that would read or write the bookkeeping refuses it (exit 5), and
 * nothing is read from it or written to it. Pure: the catalog rows come from
 * dialects/<engine>/bookkeeping.ts through trust.ts.
 */

/** The comment dbkit gives each of its bookkeeping tables. */
export const BOOKKEEPING_MARKER = 'dbkit bookkeeping v1';

/** A bookkeeping table as the dialect defines it: column -> type as its catalog spells it. */
export interface TableShape {
  columns: Record<string, string>;
  /** Columns a table made by an older dbkit may lack (added by the next run that writes). */
  optional?: readonly string[];
}

/**
 * The tables an older dbkit (before the marker) made each unmarked table
 * with: Knex makes dbkit_migrations, then its lock table; dbkit 0.1.0 made
 * dbkit_checksums on the same run. An unmarked table without them (a
 * database dbkit never migrated) is someone else's, whatever its shape.
 */
export const MADE_WITH: Readonly<Record<string, readonly string[]>> = {
  dbkit_checksums: ['dbkit_migrations'],
  dbkit_migrations_lock: ['dbkit_migrations'],
};

/** An object found under a bookkeeping name, as the dialect read it from its catalog. */
export interface FoundObject {
  name: string;
  /** `table`, or what it is instead: `view`, `materialized view`, `sequence`, `index`, ... */
  kind: string;
  comment: string | null;
  /** [column, type] in order (types as the dialect's shapes spell them). */
  columns: [string, string][];
}

export interface Verdict {
  /** One phrase per object that is not dbkit's. */
  foreign: string[];
  /** dbkit's tables without the marker yet (made by an older dbkit). */
  unmarked: string[];
  /** dbkit's tables that are there. */
  present: string[];
  /** Per present table: optional columns it lacks. */
  lacking: Map<string, string[]>;
}

const list = (columns: [string, string][], max = 6): string => {
  const shown = columns.slice(0, max).map(([c, t]) => `${c} ${t}`);
  return `${shown.join(', ')}${columns.length > max ? `, and ${columns.length - max} more` : ''}`;
};

/** What is wrong with an object under a dbkit name, or null when it is dbkit's table. */
function problem(o: FoundObject, shape: TableShape, shown: string): string | null {
  if (o.kind !== 'table') return `${shown} is a ${o.kind}, not a table`;
  const expected = Object.entries(shape.columns);
  const optional = new Set(shape.optional ?? []);
  const found = new Map(o.columns);
  const wrong =
    o.columns.some(([c, t]) => shape.columns[c] !== t) ||
    expected.some(([c]) => !found.has(c) && !optional.has(c)) ||
    o.columns.length !== new Set(o.columns.map(([c]) => c)).size;
  if (wrong) return `${shown} is a table with columns ${list(o.columns) || '(none)'}, not dbkit's (${Object.keys(shape.columns).join(', ')})`;
  if (o.comment && o.comment !== BOOKKEEPING_MARKER) return `${shown} is a table whose comment is not dbkit's marker ('${BOOKKEEPING_MARKER}')`;
  return null;
}

/** Why an unmarked table of dbkit's shape is not an older dbkit's (the tables it was made with are not there), or null. */
function alone(name: string, fine: ReadonlySet<string>, shown: (name: string) => string): string | null {
  const missing = (MADE_WITH[name] ?? []).filter((n) => !fine.has(n));
  if (!missing.length) return null;
  return `${shown(name)} is a table of dbkit's shape without dbkit's marker and without ${missing.map(shown).join(' or ')} beside it (an older dbkit made it only together with ${missing.join(', ')}), so it is not dbkit's`;
}

/** Judge what the catalog holds under the bookkeeping names; `shown` qualifies a name for messages. */
export function judgeBookkeeping(found: readonly FoundObject[], shapes: Record<string, TableShape>, shown: (name: string) => string): Verdict {
  const verdict: Verdict = { foreign: [], unmarked: [], present: [], lacking: new Map() };
  const ours = found.filter((o) => shapes[o.name] && !problem(o, shapes[o.name]!, shown(o.name)));
  const fine = new Set(ours.map((o) => o.name));
  for (const o of found) {
    const shape = shapes[o.name];
    if (!shape) continue;
    const wrong = problem(o, shape, shown(o.name)) ?? (o.comment ? null : alone(o.name, fine, shown));
    if (wrong) {
      verdict.foreign.push(wrong);
      continue;
    }
    verdict.present.push(o.name);
    if (!o.comment) verdict.unmarked.push(o.name);
    const have = new Set(o.columns.map(([c]) => c));
    const lacking = (shape.optional ?? []).filter((c) => !have.has(c));
    if (lacking.length) verdict.lacking.set(o.name, lacking);
  }
  return verdict;
}

/** The one-line refusal for the foreign objects of a verdict. */
export function refusal(foreign: readonly string[]): string {
  const one = foreign.length === 1;
  return (
    `refusing to use dbkit's bookkeeping: ${foreign.join('; ')}. dbkit did not create ${one ? 'it' : 'them'}, so it reads and writes nothing there ` +
    `(nothing was changed): rename or move ${one ? 'it' : 'them'}, or give dbkit a namespace of its own (--namespace)`
  );
}

/** Rows of a catalog query (name, kind, comment, col, type; one per column, ordered) grouped per object. */
export function groupObjects(rows: readonly { name: string; kind: string; comment: string | null; col: string | null; type: string | null }[]): FoundObject[] {
  const out = new Map<string, FoundObject>();
  for (const r of rows) {
    let o = out.get(r.name);
    if (!o) out.set(r.name, (o = { name: r.name, kind: r.kind, comment: r.comment || null, columns: [] }));
    if (r.col !== null && r.type !== null) o.columns.push([r.col, r.type]);
  }
  return [...out.values()];
}

/** The engine's bookkeeping shapes and catalog SQL (dialects/<d>/bookkeeping.ts; PGlite: PostgreSQL's). */
export interface BookkeepingDialect {
  shapes: Record<string, TableShape>;
  /** The catalog query for what holds `names` in the namespace: rows of name, kind, comment, col, type (a table's own row first, then its columns in order). */
  query(namespace: string, names: readonly string[]): { sql: string; params: unknown[] };
  kindOf(kind: string): string;
  columnType(type: string): string;
  markSql(namespace: string, table: string, marker: string): string;
}
