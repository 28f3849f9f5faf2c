/**
 * The live pre-flight of data-dependent changes (I/O): before the first
 * statement of a `migrate` run, under the migration lock, the probes of every
 * pending migration (derive.ts) are counted on the live database, one query
 * each, in one read-only snapshot whose lock waits are bounded by
 * --lock-timeout (the engines' SQL: dialects/<d>/data-check.ts). Rows that
 * would make a change fail refuse the whole run (DataCheckError, exit 9,
 * nothing changed); rows a change would lose do too, unless
 * --allow-data-loss, and then they are reported. The probes of a migration
 * after a hand-written one that names their tables are counted just before
 * that migration starts, in its own connection (its transaction on
 * PostgreSQL), instead of up front.
 */
import type { Knex } from 'knex';
import { DataCheckError, LockError, PrivilegeError, SqlError } from '../../../shared/errors.js';
import type { Connection, Session } from '../../../db/connect.js';
import { engineOf } from '../../../engines/index.js';
import type { DbSchema } from '../../../schema/model.js';
import { existingNames } from '../catalog.js';
import { engineMessage } from '../errors.js';
import type { LoadedMigration } from '../../folder/source.js';
import { LOCK_NOT_AVAILABLE, sqlState, withConnectionOf, type Exec } from '../statements.js';
import { probeRun, probesBefore, type LiveCatalog, type PendingMigration } from './derive.js';
import { shownValue, type Probe, type ProbeDialect, type ProbeResult, type ProbeSql, type SampleColumn, type Unchecked } from '../../../port/data-check.js';

/** One line of the report: a count, a change not counted, or counts that wait for their migration. */
export type DataCheckEntry =
  | (ProbeResult & { status: 'ok' | 'refused' | 'allowed' })
  | { migration: string; operation: number; change: string; count: null; status: 'unchecked'; message: string }
  | { migration: string; count: null; status: 'deferred'; message: string };

export interface DataReport {
  /** Counted before the run's first statement (false: just before a migration, after a hand-written one). */
  upFront: boolean;
  /** The migration the counts were made for, when not up front. */
  migration?: string;
  entries: DataCheckEntry[];
  /** Some count refuses the run. */
  refused: boolean;
}

export interface DataCheckOptions {
  /** Rows a change would lose are accepted (their counts are reported). */
  allowDataLoss?: boolean;
  signal?: AbortSignal;
  /** Told what the counts found, each time some were made (up front, and before a deferred migration). */
  onDataChecks?(report: DataReport): void;
}

/** What a run does with the counts that wait for their migration: call it just before that migration's first statement. */
export type BeforeUp = (m: LoadedMigration, db: Knex) => Promise<void>;

const ER_LOCK_WAIT_TIMEOUT = 1205;
/** PostgreSQL insufficient_privilege; MySQL ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR. */
const NO_PRIVILEGE = '42501';
const ER_ACCESS_DENIED = [1142, 1143];

const probeDialect = (conn: Session): Promise<ProbeDialect> => engineOf(conn).migration.dataCheck();

/** The names in the live namespace, read on `exec`'s connection (inside the counts' snapshot). */
async function liveCatalog(conn: Session, exec: Exec): Promise<LiveCatalog> {
  const d = engineOf(conn).dialect;
  const names = await existingNames({ ...conn, sql: { query: async <T>(sql: string, params: readonly unknown[] = []) => (await exec(d.placeholders(sql), params)).rows as T[] } });
  return {
    hasTable: (t) => names.has(`relation:${t}`),
    hasColumn: (t, c) => names.has(`column:${t}.${c}`),
  };
}

const pendingOf = (m: LoadedMigration, before: (name: string) => DbSchema): PendingMigration => ({
  name: m.name,
  handWritten: m.handWritten,
  operations: m.meta.up.operations,
  statements: m.up,
  before: before(m.name),
});

const text = (v: unknown): string | number | null => (v === null || v === undefined ? null : typeof v === 'number' ? v : typeof v === 'bigint' ? String(v) : String(v));

/** A value sample is read one character longer than shown: cut, with its mark, when it is longer (keys and lengths are shown whole). */
const shown = (s: SampleColumn, v: string | number | null): string | number | null => (s.show === 'value' && typeof v === 'string' ? shownValue(v) : v);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a probe found, from the rows of its query: the count, the samples as shown (a long value cut, with its mark), the message. */
export function probeResult(probe: Probe, rows: Record<string, unknown>[]): ProbeResult {
  const c = probe.condition;
  const count = Number(rows[0]?.n ?? 0);
  const dup = c.kind === 'duplicates';
  const label = (i: number) => {
    const s = probe.samples[i]!;
    return s.show === 'chars' ? `char_length(${s.column})` : s.show === 'bytes' ? `length(${s.column})` : s.column;
  };
  const samples = probe.samples.length
    ? rows.map((row) => ({ ...Object.fromEntries(probe.samples.map((s, i) => [label(i), shown(s, text(row[`k${i}`]))])), ...(dup ? { rows: Number(row.g) } : {}) }))
    : [];
  const rowsInGroups = dup ? Number(rows[0]?.r ?? 0) : undefined;
  const columns = 'columns' in c ? c.columns : 'column' in c ? [c.column] : [];
  return {
    migration: probe.migration,
    operation: probe.operation,
    change: probe.change,
    check: c.kind,
    effect: probe.effect,
    table: probe.table,
    columns,
    count,
    ...(dup ? { rows: rowsInGroups } : {}),
    samples,
    message: probe.says.replace('{rows}', plural(count, 'row')).replace('{values}', plural(count, 'value')) + (dup && count ? ` (${plural(rowsInGroups!, 'row')})` : ''),
  };
}

/** Count each probe, one query each, stopping at an interrupt. */
async function countAll(exec: Exec, sql: ProbeSql, ns: string, probes: readonly Probe[], signal: AbortSignal | undefined, nothing: string): Promise<{ results: ProbeResult[]; unchecked: Unchecked[] }> {
  const out = { results: [] as ProbeResult[], unchecked: [] as Unchecked[] };
  for (const probe of probes) {
    if (signal?.aborted) {
      const reason = signal.reason as Error;
      throw Object.assign(reason, { message: `${reason.message} during the data pre-flight: ${nothing}` });
    }
    const q = sql.query(probe, ns);
    if ('unsupported' in q) {
      out.unchecked.push({ migration: probe.migration, operation: probe.operation, change: probe.change, why: q.unsupported });
      continue;
    }
    try {
      out.results.push(probeResult(probe, (await exec(q.sql, q.params)).rows));
    } catch (err) {
      const what = `counting for ${probe.migration} (${probe.change})`;
      const code = sqlState(err);
      const errno = (err as { errno?: number }).errno;
      if (code === LOCK_NOT_AVAILABLE || errno === ER_LOCK_WAIT_TIMEOUT) {
        throw new LockError(`data pre-flight: ${what} waited longer than --lock-timeout for a lock on table ${probe.table} held by another session; ${nothing}`, { cause: err });
      }
      if (code === NO_PRIVILEGE || (errno !== undefined && ER_ACCESS_DENIED.includes(errno))) {
        throw new PrivilegeError(`data pre-flight: ${what} needs SELECT on table ${probe.table}: ${engineMessage(err)}; ${nothing}`, [], { cause: err });
      }
      throw new SqlError(`data pre-flight: ${what} failed: ${engineMessage(err)}; ${nothing}`, { cause: err });
    }
  }
  return out;
}

/** Counts, in the report's terms. */
function entriesOf(results: readonly ProbeResult[], unchecked: readonly Unchecked[], allowDataLoss: boolean): DataCheckEntry[] {
  return [
    ...results.map((r) => ({ ...r, status: r.count === 0 ? ('ok' as const) : r.effect === 'loses' && allowDataLoss ? ('allowed' as const) : ('refused' as const) })),
    ...unchecked.map((u) => ({ migration: u.migration, operation: u.operation, change: u.change, count: null, status: 'unchecked' as const, message: `not counted: ${u.why}` })),
  ];
}

/** The one line of a refusal: what, how many, and what to do; --json gets `earlier` (the counts made up front) and the report's. */
function refusal(report: DataReport, nothing: string, earlier: readonly DataCheckEntry[] = []): DataCheckError {
  const refused = report.entries.filter((e): e is ProbeResult & { status: 'refused' } => e.status === 'refused');
  const fails = refused.filter((e) => e.effect === 'fails');
  const loses = refused.filter((e) => e.effect === 'loses');
  const what = [
    ...(fails.length ? [`make ${fails.length} pending change${fails.length > 1 ? 's' : ''} fail`] : []),
    ...(loses.length ? [`be lost by ${loses.length} pending change${loses.length > 1 ? 's' : ''} (not allowed without --allow-data-loss)`] : []),
  ].join(', and rows would ');
  // By migration, the first few counts of each: `20250301_x: 2 rows with NULL in users.email, 1 value of ...`.
  const byMigration = new Map<string, string[]>();
  for (const e of refused) byMigration.set(e.migration, [...(byMigration.get(e.migration) ?? []), e.message]);
  const listed = [...byMigration].map(([name, msgs]) => `${name}: ${msgs.slice(0, 3).join(', ')}${msgs.length > 3 ? ` and ${msgs.length - 3} more` : ''}`);
  const todo = [
    ...(fails.length ? ['fix those rows, then run dbkit migrate again'] : []),
    ...(loses.length ? ['pass --allow-data-loss once the rows to lose are checked'] : []),
  ].join('; ');
  return new DataCheckError(`refusing to migrate: rows of the live data would ${what}: ${listed.join('; ')}; ${todo}; ${nothing}`, {
    dataChecks: [...earlier, ...report.entries],
  });
}

/**
 * Count the probes of the run's pending migrations (in order) before its
 * first statement. Throws DataCheckError (exit 9) when a count refuses the
 * run; else returns what to call before each migration whose counts wait.
 * `dryRun`: never throws for a count, reports what a run would refuse.
 */
export async function preflightData(
  conn: Connection,
  pending: readonly LoadedMigration[],
  before: (name: string) => DbSchema,
  opts: DataCheckOptions & { dryRun?: boolean },
): Promise<{ beforeUp?: BeforeUp; refused: boolean }> {
  const dialect = conn.config.dialect;
  const migrations = pending.map((m) => pendingOf(m, before));
  // Nothing to count (a fresh database, new tables only): not a query.
  const any = probeRun(dialect, migrations, { hasTable: () => true, hasColumn: () => true });
  if (!conn.namespaceExists || (!any.upFront.length && !any.deferred.size && !any.unchecked.length)) return { refused: false };
  const probeSql = await probeDialect(conn);
  const allow = !!opts.allowDataLoss;
  const nothing = opts.dryRun ? 'this dry run changed nothing' : 'nothing was run';
  const { report, plan, sql } = await withConnectionOf(conn.knex, conn.config.target.engine, async (exec) => {
    const version = String((await exec(probeSql.serverSql)).rows[0]?.v ?? '');
    const sql = probeSql.forServer(version, conn.config.lockTimeoutMs);
    for (const s of sql.begin) await exec(s);
    try {
      const plan = probeRun(dialect, migrations, await liveCatalog(conn, exec));
      const counted = await countAll(exec, sql, conn.namespace, plan.upFront, opts.signal, nothing);
      const waiting = [...plan.deferred.keys()].map((name) => ({
        migration: name,
        count: null,
        status: 'deferred' as const,
        message: 'counted just before it starts: a hand-written migration earlier in this run names its tables and may change their data',
      }));
      const entries = [...entriesOf(counted.results, [...plan.unchecked, ...counted.unchecked], allow), ...waiting];
      const report: DataReport = { upFront: true, entries, refused: entries.some((e) => e.status === 'refused') };
      return { report, plan, sql };
    } finally {
      await exec(sql.end).catch(() => undefined);
    }
  });
  if (report.entries.length) opts.onDataChecks?.(report);
  if (report.refused && !opts.dryRun) throw refusal(report, nothing);
  if (!plan.deferred.size || opts.dryRun) return { refused: report.refused };

  const beforeUp: BeforeUp = async (m, db) => {
    const entries = plan.deferred.get(m.name);
    if (!entries) return;
    const inTransaction = (db as Knex.Transaction).isTransaction === true;
    const later = `nothing of ${m.name} was run`;
    const counted = await withConnectionOf(db, conn.config.target.engine, async (exec) => {
      for (const s of inTransaction ? sql.within : sql.begin) await exec(s);
      try {
        const { probes, unchecked } = probesBefore(dialect, pendingOf(m, before), entries, await liveCatalog(conn, exec));
        const found = await countAll(exec, sql, conn.namespace, probes, opts.signal, later);
        return { results: found.results, unchecked: [...unchecked, ...found.unchecked] };
      } finally {
        if (!inTransaction) await exec(sql.end).catch(() => undefined);
      }
    });
    const entriesFound = entriesOf(counted.results, counted.unchecked, allow).map((e) => ('count' in e && e.count !== null ? { ...e, deferred: true as const } : e));
    const found: DataReport = { upFront: false, migration: m.name, entries: entriesFound, refused: entriesFound.some((e) => e.status === 'refused') };
    if (found.entries.length) opts.onDataChecks?.(found);
    if (found.refused) throw refusal(found, later, report.entries);
  };
  return { beforeUp, refused: false };
}
