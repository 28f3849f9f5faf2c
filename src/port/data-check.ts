/**
 * The live pre-flight of data-dependent changes, as data: which rows of the
 * live database each pending change would fail on or lose (a probe), and
 * what counting them found (a result). Pure types, shared by the planner of
 * probes (derive.ts), the engines' SQL (dialects/<d>/data-check.ts) and the
 * renderers.
 */

/** What a change does to the rows a probe counts: makes its statement fail, or loses data silently. */
export type Effect = 'fails' | 'loses';

/**
 * The condition a probe counts, on live names. Every kind but `duplicates`
 * counts rows; `duplicates` counts groups of rows sharing a value.
 */
export type Condition =
  /** Groups of rows with equal non-NULL values in `columns` (restricted to a partial index's `where`). */
  | { kind: 'duplicates'; columns: string[]; where: string | null }
  /** Rows where any of `columns` is NULL. */
  | { kind: 'nulls'; columns: string[] }
  /** Every row. */
  | { kind: 'rows' }
  /** Rows where `column` is not NULL (the values a dropped column takes with it). */
  | { kind: 'values'; column: string }
  /** Rows whose non-NULL key `columns` has no row in `refTable` (null: a table this run creates, empty then). */
  | { kind: 'orphans'; columns: string[]; refTable: string | null; refColumns: string[] }
  /** Rows whose value, as text, is longer than `max` characters (or bytes). Trailing spaces are cut without an error, so they do not count. */
  | { kind: 'too_long'; column: string; max: number; unit: 'chars' | 'bytes' }
  /** Rows whose value, rounded to a whole number, is outside [min, max] (integers, as decimal strings). */
  | { kind: 'out_of_range'; column: string; min: string; max: string }
  /** Rows whose value, rounded to `scale` decimals, has more than `digits` digits before the point. */
  | { kind: 'too_many_digits'; column: string; digits: number; scale: number }
  /** Rows whose value changes when rounded to `scale` decimals. */
  | { kind: 'rounded'; column: string; scale: number }
  /** Rows whose non-NULL value, as text, is none of `labels`. */
  | { kind: 'not_in'; column: string; labels: string[] }
  /** Rows whose non-NULL value, as text, is no valid input of `type` (a type as the dialect spells it). */
  | { kind: 'not_convertible'; column: string; type: string }
  /** Rows the CHECK `expression` (the engine's SQL, as frozen in the migration) is false for. */
  | { kind: 'check'; expression: string };

export type ConditionKind = Condition['kind'];

/** A column shown for each sample row: a key as it is, a value cut to a few characters, or a value's length. */
export interface SampleColumn {
  column: string;
  show: 'key' | 'value' | 'chars' | 'bytes';
}

/** One count to make on the live database, for one operation of one pending migration. */
export interface Probe {
  migration: string;
  /** Index into the migration's up operations (migration.json). */
  operation: number;
  /** The operation, for people (`add unique constraint (email) on users`). */
  change: string;
  effect: Effect;
  /** The live table counted (its name before this run renames anything). */
  table: string;
  condition: Condition;
  /** What each sample row shows (primary key values, or the duplicated values). */
  samples: SampleColumn[];
  /** What the count means, `{rows}` (or `{values}`) standing for the number: `{rows} with NULL in users.email` (`1 row`, `3 rows`). */
  says: string;
}

/** A probe not counted, and why (a table this run creates is empty: such probes are not listed). */
export interface Unchecked {
  migration: string;
  operation: number;
  change: string;
  why: string;
}

/** One query of one probe, in the engine's SQL: `n` the count, `k0`... the sample columns, `g` a duplicate group's rows. */
export interface ProbeQuery {
  sql: string;
  params: unknown[];
}

/** What counting found. */
export interface ProbeResult {
  migration: string;
  operation: number;
  change: string;
  check: ConditionKind;
  effect: Effect;
  table: string;
  columns: string[];
  /** Rows (groups of rows for `duplicates`) that make the change fail or that it loses. */
  count: number;
  /** For `duplicates`: the rows in those groups. */
  rows?: number;
  /** Up to 5 rows: column -> value as text (`rows` of its group for `duplicates`). */
  samples: Array<Record<string, string | number | null>>;
  /** In words: `3 rows with NULL in users.email`. */
  message: string;
  /** Counted just before its migration, after a hand-written migration earlier in the run (not up front). */
  deferred?: true;
}

/** Most sample rows a probe shows. */
export const SAMPLES = 5;
/** Characters of a sample value shown; a longer one is cut there and ends with `…` (see shownValue). */
export const SAMPLE_CHARS = 40;
/** Characters a probe reads of a sample value: one more than it shows, so that a cut value is told from one of exactly SAMPLE_CHARS. */
export const SAMPLE_READ_CHARS = SAMPLE_CHARS + 1;
/** The mark at the end of a sample value that was cut. */
export const CUT_MARK = '…';

/** A sample value as shown: at most SAMPLE_CHARS characters (code points, as the engines' LEFT counts), `…` after them when it was longer. */
export function shownValue(v: string): string {
  const chars = Array.from(v);
  return chars.length > SAMPLE_CHARS ? chars.slice(0, SAMPLE_CHARS).join('') + CUT_MARK : v;
}

/** The engine's SQL of the probes (dialects/<d>/data-check.ts), for one server. */
export interface ProbeSql {
  /** The one query of a probe, or why this engine cannot count it. */
  query(probe: Probe, namespace: string): ProbeQuery | { unsupported: string };
  /** Statements that open a read-only snapshot for the counts, lock waits bounded. */
  begin: string[];
  /** Inside a migration's own transaction (PostgreSQL): only the bound. */
  within: string[];
  /** Closes what `begin` opened. */
  end: string;
}

/** A dialect's probes: a query for what they depend on (the server's version), then the SQL for that server, lock waits bounded by `lockTimeoutMs`. */
export interface ProbeDialect {
  serverSql: string;
  forServer(version: string, lockTimeoutMs: number): ProbeSql;
}

/** What the data pre-flight must know of a dialect's types and statements (src/migrate/apply/data-check/). */
export interface DataRules {
  /** A NOT NULL column without a default added to a table with rows: the statement fails (PostgreSQL), or the rows get the type's implicit default (MySQL). */
  addNotNullWithoutDefault: 'fails' | 'implicit-default';
  /** Named enum types exist (PostgreSQL's CREATE TYPE ... AS ENUM). */
  enumTypes: boolean;
  /** `text` holds any length of characters (PostgreSQL). */
  textUnbounded: boolean;
  /** The byte limits of the text types by name (MySQL's TINYTEXT ... LONGTEXT), or null. */
  textBytes: Readonly<Record<string, number>> | null;
  /** Unique indexes may be partial (WHERE): their duplicates are counted under the condition (PostgreSQL). */
  partialIndexes: boolean;
  /** The driver takes every `?` of a statement's text for a parameter (mysql2): a condition holding one cannot be sent as written. */
  questionMarkBinds: boolean;
  /** The precision of a bare DECIMAL (MySQL: 10), or null where a bare numeric has no limit. */
  decimalDefaultPrecision: number | null;
}
