/**
 * The frozen migration format, as data: what `migrations/<schema>/<ts>_<name>/`
 * holds and how its SQL files are written and read. Pure (no I/O).
 *
 *   migration.json      name, created-by version, per dialect: transactional,
 *                       the typed operations of up and of down, which
 *                       operations each statement performs, warnings, data
 *                       loss, whether down restores data
 *   postgres.up.sql     the exact statements, separated by breakpoint lines,
 *   postgres.down.sql   under a header comment (name, dialect, direction,
 *   mysql.up.sql        warnings); what runs is what is reviewed
 *   mysql.down.sql
 *   snapshot.json       the schema definition (SchemaDef) as of this migration
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import type { Operation } from '../../plan/operations.js';
import { BREAKPOINT, commentLines } from '../../shared/sql-text.js';
import type { Dialect } from '../../schema/model.js';

export const FORMAT_VERSION = 1;
export const META_FILE = 'migration.json';
export const SNAPSHOT_FILE = 'snapshot.json';
export const SUM_FILE = 'dbkit.sum';
export { BREAKPOINT, commentLines };
export const DIALECTS: readonly Dialect[] = ['postgres', 'mysql'];
export type Direction = 'up' | 'down';

export const sqlFileName = (dialect: Dialect, direction: Direction): string => `${dialect}.${direction}.sql`;

/** One direction of a migration on one dialect. */
export interface DirectionMeta {
  operations: Operation[];
  /**
   * For each statement of the SQL file, the indexes (into `operations`) of
   * the operations it performs; [] for a statement that performs none of
   * them (a comment, a data change). How an interrupted run finds out from
   * the live catalog whether a statement took effect.
   */
  statementOperations: number[][];
  /** Things a reviewer should know (locks, long rewrites). */
  warnings: string[];
  /** Operations that lose data or can fail on existing rows, described. */
  dataLoss: string[];
  /**
   * Statements (0-based, into the SQL file) that block writes to a table
   * that existed while they copy or rewrite it (made with --allow-blocking;
   * described in `warnings`). On MySQL, `dbkit migrate --online pt-osc` runs
   * these through pt-online-schema-change. Absent: none (and in every
   * migration made before dbkit marked them).
   */
  blocking?: number[];
}

export interface DialectMeta {
  /**
   * Runs in one transaction (PostgreSQL). False for MySQL (DDL commits as it
   * goes) and for PostgreSQL migrations that cannot run in a transaction
   * (CREATE INDEX CONCURRENTLY): those record progress per statement.
   */
  transactional: boolean;
  up: DirectionMeta;
  down: DirectionMeta & {
    /** False when up loses data that down cannot bring back (a dropped column comes back empty). */
    restoresData: boolean;
  };
}

export interface MigrationMeta {
  format: number;
  name: string;
  /** `dbkit <version>` that wrote it. */
  createdBy: string;
  /** Written by hand (`dbkit make --empty`): no operations, SQL known only from its files. */
  handWritten: boolean;
  dialects: Record<Dialect, DialectMeta>;
}

/** A migration name: `<14-digit UTC timestamp>_<slug>`. */
export const MIGRATION_NAME = /^(\d{14})_([a-z0-9][a-z0-9_]*)$/;

/** A line already written as a comment (`-- ...`, a lint allowance): kept, unless it is not one line of comment. */
const asComment = (line: string): string[] => (line.startsWith('--') ? commentLines(line.slice(2).replace(/^ /, '')) : commentLines(line));

/** The header comment of a SQL file: every line starts with `-- `, whatever the texts it is made of hold. */
export function sqlHeader(name: string, dialect: Dialect, direction: Direction, meta: DialectMeta, extra: string[] = []): string[] {
  const d = direction === 'up' ? meta.up : meta.down;
  const lines = [
    `${name}: ${dialect}, ${direction}`,
    meta.transactional
      ? 'runs in one transaction'
      : dialectFor(dialect).scriptsInTransaction
        ? 'runs outside a transaction, statement by statement, recording which one runs; a re-run resumes there'
        : `${dialectFor(dialect).label} commits DDL as it goes: runs statement by statement, recording which one runs; a re-run resumes there`,
    ...(d.dataLoss.length ? d.dataLoss.map((w) => `DATA LOSS: ${w}`) : []),
    ...d.warnings.map((w) => `warning: ${w}`),
    ...(direction === 'down' && !meta.down.restoresData ? ['this down migration cannot restore the data its up removed (dbkit rollback needs --force)'] : []),
    ...extra,
  ];
  return lines.flatMap(commentLines);
}

/**
 * A SQL file: the header, then each statement ended by `;`, breakpoint
 * lines between them. Header and statement comments are comment lines
 * whatever they hold; and the file must read back (parseSqlFile) as exactly
 * these statements, else it is not written: what migrate runs is what was
 * planned.
 */
export function renderSqlFile(header: string[], statements: readonly string[], comments: readonly (readonly string[] | undefined)[] = []): string {
  const body = statements.map((s, i) => `${(comments[i] ?? []).flatMap(asComment).map((c) => `${c}\n`).join('')}${s};\n`).join(`${BREAKPOINT}\n`);
  const text = `${header.flatMap(asComment).join('\n')}\n${body}`;
  const read = parseSqlFile(text);
  const differs = read.length !== statements.length ? 0 : read.findIndex((r, i) => r !== statements[i]!.trimEnd());
  if (read.length !== statements.length || differs >= 0) {
    throw new Error(
      `statement ${differs >= 0 ? differs + 1 : Math.min(read.length, statements.length) + 1} would not read back from its SQL file as it was planned ` +
        `(${statements.length} statement(s) planned, ${read.length} read): a line of it is a statement breakpoint, or it spans lines with \\r\\n`,
    );
  }
  return text;
}

const isCommentOrBlank = (line: string): boolean => line.trim() === '' || line.trimStart().startsWith('--');

/**
 * The statements of a SQL file: split at breakpoint lines; in each part the
 * comment lines before the statement are dropped, and the `;` that ends it.
 * A part with nothing but comments is no statement (a hand-written file
 * that was never filled in runs nothing).
 */
export function parseSqlFile(text: string): string[] {
  const out: string[] = [];
  let chunk: string[] = [];
  const flush = () => {
    let i = 0;
    while (i < chunk.length && isCommentOrBlank(chunk[i]!)) i++;
    let statement = chunk.slice(i).join('\n').trimEnd();
    if (statement.endsWith(';')) statement = statement.slice(0, -1).trimEnd();
    if (statement) out.push(statement);
    chunk = [];
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === BREAKPOINT) flush();
    else chunk.push(line);
  }
  flush();
  return out;
}

/** Throws a readable error unless `raw` is a migration.json dbkit can run. */
export function checkMeta(raw: unknown, where: string): MigrationMeta {
  const m = raw as Partial<MigrationMeta> | null;
  const bad = (what: string) => new Error(`${where}: ${what}`);
  if (!m || typeof m !== 'object') throw bad('not a JSON object');
  if (m.format !== FORMAT_VERSION) throw bad(`format ${String(m.format)} is not one this dbkit reads (${FORMAT_VERSION})`);
  if (typeof m.name !== 'string') throw bad('no name');
  for (const d of DIALECTS) {
    const dm = m.dialects?.[d];
    if (!dm || typeof dm.transactional !== 'boolean' || !dm.up || !dm.down) throw bad(`no ${d} section`);
    for (const dir of [dm.up, dm.down]) {
      if (!Array.isArray(dir.operations) || !Array.isArray(dir.statementOperations)) throw bad(`${d}: operations missing`);
      if (dir.blocking !== undefined && !(Array.isArray(dir.blocking) && dir.blocking.every((i) => Number.isInteger(i) && i >= 0))) {
        throw bad(`${d}: "blocking" must list statement numbers`);
      }
    }
  }
  return m as MigrationMeta;
}

/**
 * JSON for files people review: two-space indents, but an object or array
 * of plain values (a column, an index, a foreign key, a label list) stays on
 * one line, so a migration reads as a list of changes and diffs line by line.
 */
export function formatJson(value: unknown, indent = ''): string {
  const flat = JSON.stringify(value);
  if (flat === undefined) return 'null';
  if (typeof value !== 'object' || value === null || flat.length + indent.length <= 100 || (leafy(value) && flat.length <= 240)) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

const scalar = (v: unknown): boolean => v === null || typeof v !== 'object';
/** Plain values, or objects and arrays of plain values, one level down at most. */
const leafy = (v: object): boolean =>
  Object.values(v).every((x) => scalar(x) || Object.values(x as object).every(scalar));
