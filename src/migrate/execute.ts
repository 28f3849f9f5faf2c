/**
 * How one frozen migration runs, up or down, as Knex calls it.
 *
 * - In a transaction (PostgreSQL, unless the migration says otherwise): each
 *   migration in its own transaction (Knex's per-migration transaction), with
 *   `SET LOCAL lock_timeout` and `statement_timeout` (limits.ts); when a
 *   statement waits longer than that for a lock (SQLSTATE 55P03) the attempt
 *   is rolled back to a savepoint and retried a bounded number of times,
 *   saying so. The checksum row is written in the same transaction, after
 *   the fence of the lock.
 * - Statement by statement (MySQL, whose DDL commits as it goes; PostgreSQL's
 *   CREATE INDEX CONCURRENTLY): on one connection, a progress row names the
 *   statement about to run (written before it runs, with the run's owner);
 *   the lock's fence is checked before each statement. A run that finds the
 *   progress row of an earlier, stopped run resumes at that statement, after
 *   deciding from the operations and the live catalog whether it took effect
 *   (recovery.ts). Each statement is bounded the same way (limits.ts); one
 *   that gave up waiting for its lock is tried again. With `--online
 *   pt-osc`, a MySQL statement the migration marks blocking (a table copy)
 *   runs through pt-online-schema-change instead (online.ts). A CREATE
 *   [UNIQUE] INDEX CONCURRENTLY that fails drops the INVALID index it left
 *   (it is this run's), so no run trips over it.
 * Every statement goes to the server behind a comment naming the namespace,
 * migration and statement (running-work.ts), so that a later run can see it
 * still running after this process died.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { SqlError } from '../cli/errors.js';
import { lockRetryPauseMs, type MigrationLimits } from '../config/online.js';
import type { Connection } from '../db/connect.js';
import type { Sql } from '../db/sql.js';
import { dialects } from '../dialects.js';
import { foldOperations } from '../plan/fold.js';
import type { DbSchema } from '../schema/model.js';
import { ident as pgIdent } from '../../dialects/postgres/quote.js';
import { markStep, recordApplied, recordReverted } from './bookkeeping.js';
import type { Direction } from './format.js';
import type { HeldLock } from './held-lock.js';
import type { MigrationInterrupt } from './interrupt.js';
import { applySettings, boundsOf, type EngineBounds, ddlWait, explainLimit, onlineLockBoundMs, onlineWait, startSession, StatementBound, type LockWait } from './limits.js';
import type { OnlineRunner } from './online.js';
import { concurrentBuilds, concurrentIndex, decide, liveIndex, type Decision } from './recovery.js';
import { workTag } from './running-work.js';
import type { LoadedMigration } from './source.js';
import type { AppliedAs } from './state.js';
import { execSql, sqlState, UNIQUE_VIOLATION, withConnectionOf, type Exec } from './statements.js';

export interface Running {
  name: string;
  direction: Direction;
  /** 0-based statement started last. */
  statement: number;
  of: number;
  transactional: boolean;
  /** What the run itself did about a failed statement (an invalid index it left, dropped), for the message. */
  aftermath?: string;
}

export interface ExecutionContext {
  conn: Connection;
  lock: HeldLock;
  owner: string;
  /** The batch of this run (up). */
  batch: number;
  interrupt?: MigrationInterrupt;
  /** Where an earlier, stopped run left a migration (from the progress rows). */
  progress: Map<string, { direction: Direction; step: number }>;
  /** The model before a migration's up ran: its predecessors' operations folded. */
  modelBefore(name: string): DbSchema;
  /** Lines worth telling (a resumed migration, a lock wait retried). */
  note(text: string): void;
  /** Statement and lock bounds (src/config/online.ts). */
  limits: MigrationLimits;
  /** pt-online-schema-change, for a MySQL migration's blocking statements (--online pt-osc). */
  online?: OnlineRunner;
  /** Updated as statements run, for the error that names where a run stopped. */
  running: Running | null;
  /** Told which statements (0-based) of a resumed migration this run did not run: an earlier, stopped run had (checked against the catalog). */
  onSkipped?(name: string, direction: Direction, statements: number[]): void;
  /** Told how long each migration's up took (its statements and bookkeeping, in milliseconds). */
  onTimed?(name: string, ms: number): void;
  /** Called before a migration's up runs anything, on its connection (the data pre-flight's counts that wait for it). */
  beforeUp?(m: LoadedMigration, db: Knex): Promise<void>;
  /** How a migration is recorded when it was applied unusually (out of order, adopted), by name. */
  appliedAs?: ReadonlyMap<string, AppliedAs>;
  /**
   * Migrations to adopt whose predecessors were pending in this run: at their
   * turn, read the catalog on the migration's connection and say whether to
   * record it without running it ('adopt') or run it ('run'); throws when refused.
   */
  adoptAtTurn?: { names: ReadonlySet<string>; check(m: LoadedMigration, sql: Sql): Promise<'adopt' | 'run'> };
  /** Told of a migration adopted at its turn (recorded, not run). */
  onAdopted?(name: string): void;
}

const transactional = (m: LoadedMigration): boolean => m.dialect === 'postgres' && m.meta.transactional;

/** Knex's view of one migration: up and down, and whether Knex opens a transaction for it. */
export function knexMigration(m: LoadedMigration, ctx: ExecutionContext): Knex.Migration & { config: { transaction: boolean } } {
  const tx = transactional(m);
  return {
    config: { transaction: tx },
    up: async (db: Knex) => {
      const started = performance.now();
      // None of its statements has started (the data pre-flight's counts that waited for it may still refuse it).
      ctx.running = null;
      if (ctx.adoptAtTurn?.names.has(m.name)) {
        const verdict = await withConnectionOf(db, ctx.conn.config.target.engine, (exec) => ctx.adoptAtTurn!.check(m, execSql(exec, m.dialect)));
        if (verdict === 'adopt') {
          // Recorded as applied, not run: Knex writes its own row after this.
          if (tx) await recordApplied(db, ctx.conn, m, ctx.batch, ctx.lock, 'adopted');
          else await ctx.conn.knex.transaction((trx) => recordApplied(trx, ctx.conn, m, ctx.batch, ctx.lock, 'adopted'));
          ctx.onAdopted?.(m.name);
          return;
        }
        ctx.note(`${m.name}: --adopt: its effect is not in the database (the catalog shows the state before it, checked now that the migrations before it ran): running it`);
      }
      await ctx.beforeUp?.(m, db);
      await (tx ? inTransaction(db, m, 'up', ctx) : stepByStep(db, m, 'up', ctx));
      ctx.onTimed?.(m.name, Math.round(performance.now() - started));
    },
    down: (db: Knex) => (tx ? inTransaction(db, m, 'down', ctx) : stepByStep(db, m, 'down', ctx)),
  };
}

const statementsOf = (m: LoadedMigration, d: Direction): string[] => (d === 'up' ? m.up : m.down);

async function pause(ms: number, ctx: ExecutionContext): Promise<void> {
  try {
    await sleep(ms, undefined, ctx.interrupt ? { signal: ctx.interrupt.signal } : undefined);
  } catch {
    ctx.interrupt?.check();
  }
}

const lockWaitNote = (m: LoadedMigration, i: number, ctx: ExecutionContext, attempt: number, pauseMs: number, w: LockWait, step = `statement ${i + 1}`) =>
  `${m.name}: ${step} waited ${w.seconds}s for ${w.what} (${w.setting}); trying again in ${pauseMs / 1000}s (attempt ${attempt + 1} of ${ctx.limits.ddlLockAttempts})`;

/** A DDL statement's wait, as the notes say it. */
const ddlNoteWait = (m: LoadedMigration, ctx: ExecutionContext): LockWait => ddlWait(boundsOf(m.dialect), ctx.limits, 'a lock held by another session');

const retryable = (err: unknown, m: LoadedMigration, attempt: number, ctx: ExecutionContext): boolean =>
  boundsOf(m.dialect).lockTimedOut(err) && attempt < ctx.limits.ddlLockAttempts && !ctx.interrupt?.aborted;

async function inTransaction(trx: Knex, m: LoadedMigration, direction: Direction, ctx: ExecutionContext): Promise<void> {
  ctx.interrupt?.check();
  const statements = statementsOf(m, direction);
  await withConnectionOf(trx, ctx.conn.config.target.engine, async (exec) => {
    ctx.running = { name: m.name, direction, statement: 0, of: statements.length, transactional: true };
    await ctx.interrupt?.track(m.name, exec);
    const bounds = boundsOf(m.dialect);
    await startSession(exec, bounds, ctx.limits, true);
    for (let attempt = 1; ; attempt++) {
      await exec('SAVEPOINT dbkit_attempt');
      // A rollback to the savepoint takes back the SET LOCAL statement_timeout made after it: set again.
      const bound = new StatementBound(exec, bounds, ctx.limits, true);
      try {
        for (const [i, s] of statements.entries()) {
          ctx.running.statement = i;
          await bound.before(s);
          await exec(workTag(ctx.conn.namespace, m.name, direction, i, statements.length) + s);
        }
        await exec('RELEASE SAVEPOINT dbkit_attempt');
        break;
      } catch (err) {
        if (!retryable(err, m, attempt, ctx)) throw explainLimit(err, bounds, ctx.limits, attempt);
        await exec('ROLLBACK TO SAVEPOINT dbkit_attempt');
        const wait = lockRetryPauseMs(attempt);
        ctx.note(lockWaitNote(m, ctx.running.statement, ctx, attempt, wait, ddlNoteWait(m, ctx)));
        await pause(wait, ctx);
      }
    }
  });
  // An interrupt that came during the statements still takes the whole migration back.
  ctx.interrupt?.check();
  if (direction === 'up') await recordApplied(trx, ctx.conn, m, ctx.batch, ctx.lock, ctx.appliedAs?.get(m.name));
  else await recordReverted(trx, ctx.conn, m, ctx.lock);
}

/**
 * Statements that belong together: consecutive statements that perform a
 * common operation (an operation may take several statements: PostgreSQL's
 * ADD CONSTRAINT ... NOT VALID then VALIDATE; MySQL's lookup of a name the
 * engine chose, SET @v / PREPARE / EXECUTE / DEALLOCATE, which share session
 * state a new run does not have). A run resumes a group from its start.
 */
export function statementGroups(statementOps: readonly number[][], count: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    const prev = out[out.length - 1];
    const ops = statementOps[i] ?? [];
    const shared = i > 0 && ops.some((o) => (statementOps[i - 1] ?? []).includes(o));
    if (prev && shared) prev.end = i + 1;
    else out.push({ start: i, end: i + 1 });
  }
  return out;
}

/** Statements that are safe to run again after they took effect (their group is then re-run from these). */
const IDEMPOTENT = /^ALTER TABLE .+ VALIDATE CONSTRAINT /s;

/** The model before statement `start` of a direction, and the operations of statements start..end-1. */
function modelAt(m: LoadedMigration, direction: Direction, start: number, end: number, ctx: ExecutionContext) {
  const meta = m.meta[direction];
  let model = ctx.modelBefore(m.name);
  if (direction === 'down') model = foldOperations(model, m.meta.up.operations);
  const done = [...new Set(meta.statementOperations.slice(0, start).flat())].map((j) => meta.operations[j]!);
  const ops = [...new Set(meta.statementOperations.slice(start, end).flat())]
    .filter((j) => !meta.statementOperations.slice(0, start).flat().includes(j))
    .map((j) => meta.operations[j]!);
  return { before: foldOperations(model, done), ops };
}

/**
 * Did statements start..end-1 of a migration take effect? From their
 * operations and the live catalog, read through `sql` (the migration's own
 * connection while it holds it: PGlite has only that one).
 */
export async function decideAt(m: LoadedMigration, direction: Direction, start: number, end: number, ctx: ExecutionContext, sql: Sql = ctx.conn.sql): Promise<Decision> {
  let at: ReturnType<typeof modelAt>;
  try {
    at = modelAt(m, direction, start, end, ctx);
  } catch (err) {
    return { kind: 'unknown', found: `its operations do not fold (${(err as Error).message})` };
  }
  if (!at.ops.length) return { kind: 'run' };
  const { conn } = ctx;
  const live = await dialects[conn.config.dialect].introspect(sql, conn.namespace);
  const builds = m.dialect === 'postgres' ? concurrentBuilds(statementsOf(m, direction).slice(start, end)) : [];
  return decide(at.before, at.ops, live, builds);
}

async function stepByStep(knex: Knex, m: LoadedMigration, direction: Direction, ctx: ExecutionContext): Promise<void> {
  const statements = statementsOf(m, direction);
  const prior = ctx.progress.get(m.name);
  const resumeAt = prior?.direction === direction ? Math.min(prior.step, statements.length) : null;
  const pg = m.dialect === 'postgres';
  await withConnectionOf(knex, ctx.conn.config.target.engine, async (exec) => {
    const mark = (i: number) => markStep(knex, exec, ctx.conn, m, direction, i, ctx.owner, direction === 'up' ? ctx.batch : null);
    ctx.running = { name: m.name, direction, statement: resumeAt ?? 0, of: statements.length, transactional: false };
    await ctx.interrupt?.track(m.name, exec);
    // Session-level SETs: not through a transaction pooler, where they would stay on a pooled server connection.
    const sessionTimeout = !(pg && ctx.lock.pooled);
    const bounds = boundsOf(m.dialect);
    // Statements whose waits hold nobody up wait up to --lock-timeout, not the DDL lock bound (limits.ts).
    const bound = sessionTimeout ? await startSession(exec, bounds, ctx.limits, false, onlineLockBoundMs(ctx.conn.config.lockTimeoutMs, ctx.limits)) : null;
    // The catalog is read on this connection: Knex may have no other (PGlite has one).
    const sql = execSql(exec, m.dialect);
    try {
      let from = 0;
      const again = new Set<number>();
      // An INVALID index a stopped concurrent build left: dropped as the first step of the statement's attempts.
      let invalid: string | null = null;
      if (resumeAt !== null && resumeAt < statements.length) {
        const group = statementGroups(m.meta[direction].statementOperations, statements.length).find((g) => g.start <= resumeAt && resumeAt < g.end)!;
        ctx.note(`${m.name}: resuming ${direction === 'up' ? 'it' : 'its rollback'} at statement ${group.start + 1} of ${statements.length}, where an earlier run stopped`);
        await ctx.lock.fence?.(knex);
        const decision = await decideAt(m, direction, group.start, group.end, ctx, sql);
        if (decision.kind === 'partly' && group.start + decision.next >= group.end) throw unknownState(m, direction, resumeAt, `index ${decision.index} is there, the rest is not`);
        if (decision.kind === 'unknown') throw unknownState(m, direction, resumeAt, decision.found);
        if (decision.kind === 'rebuild_index') invalid = decision.index;
        from = group.start;
        if (decision.kind === 'done') {
          from = group.end;
          for (let i = group.start; i < group.end; i++) if (IDEMPOTENT.test(statements[i]!)) again.add(i);
          // The catalog shows a constraint, not whether it was validated: VALIDATE runs again (harmless when it had).
          const rerun = [...again].map((i) => i + 1);
          ctx.note(
            rerun.length
              ? `${m.name}: the catalog shows what statements ${group.start + 1}-${group.end} do; running statement ${rerun.join(', ')} (VALIDATE CONSTRAINT) again, as that run may have stopped before it finished; then going on after it`
              : `${m.name}: statement ${resumeAt + 1} had taken effect before that run stopped; going on after it`,
          );
        }
        if (decision.kind === 'partly') {
          from = group.start + decision.next;
          ctx.note(`${m.name}: index ${decision.index} was built before that run stopped (statement ${from} took effect); going on at statement ${from + 1}`);
        }
      }
      const skipped = Array.from({ length: from }, (_, i) => i).filter((i) => !again.has(i));
      if (skipped.length) ctx.onSkipped?.(m.name, direction, skipped);
      for (const i of [...again].sort((a, b) => a - b)) await runStatement(exec, knex, mark, m, direction, i, ctx, bound);
      for (let i = from; i < statements.length; i++) {
        await runStatement(exec, knex, mark, m, direction, i, ctx, bound, i === resumeAt, i === from ? invalid : null);
      }
    } finally {
      if (sessionTimeout) await applySettings(exec, bounds, bounds.reset()).catch(() => undefined);
    }
  });
  await ctx.conn.knex.transaction(async (trx) => {
    if (direction === 'up') await recordApplied(trx, ctx.conn, m, ctx.batch, ctx.lock, ctx.appliedAs?.get(m.name));
    else await recordReverted(trx, ctx.conn, m, ctx.lock);
  });
}

async function runStatement(
  exec: Exec,
  knex: Knex,
  mark: (i: number) => Promise<void>,
  m: LoadedMigration,
  direction: Direction,
  i: number,
  ctx: ExecutionContext,
  bound: StatementBound | null,
  resumed = false,
  invalid: string | null = null,
): Promise<void> {
  ctx.interrupt?.check();
  ctx.running!.statement = i;
  await ctx.lock.fence?.(knex);
  await mark(i);
  if (ctx.online && m.dialect === 'mysql' && (m.meta[direction].blocking ?? []).includes(i)) {
    ctx.note(`${m.name}: statement ${i + 1} copies its table: running it through ${ctx.online.name}`);
    await ctx.online.run(statementsOf(m, direction)[i]!, { resumed, signal: ctx.interrupt?.signal, note: ctx.note });
    return;
  }
  if (invalid) ctx.note(`${m.name}: index ${invalid} was left invalid by a stopped CREATE INDEX CONCURRENTLY; dropping it to build it again`);
  await runWithRetries(exec, m, direction, i, ctx, bound, invalid);
}

const dropIndexSql = (ctx: ExecutionContext, index: string): string => `DROP INDEX CONCURRENTLY IF EXISTS ${pgIdent(ctx.conn.namespace)}.${pgIdent(index)}`;

/**
 * Statement i, tried again while it gives up waiting for a lock. A
 * concurrent build that gave up leaves its index INVALID: the next attempt
 * first drops it (DROP INDEX CONCURRENTLY, which waits for the same
 * transactions), as part of the attempt, so the drop's own wait is retried
 * like the statement's. `invalid`: such an index an earlier run left.
 */
async function runWithRetries(exec: Exec, m: LoadedMigration, direction: Direction, i: number, ctx: ExecutionContext, bound: StatementBound | null, invalid: string | null): Promise<void> {
  const statements = statementsOf(m, direction);
  const statement = statements[i]!;
  const tag = workTag(ctx.conn.namespace, m.name, direction, i, statements.length);
  const bounds = boundsOf(m.dialect);
  const builds = m.dialect === 'postgres' && concurrentIndex(statement) !== null;
  for (let attempt = 1; ; attempt++) {
    let step = statement;
    try {
      if (invalid) {
        step = dropIndexSql(ctx, invalid);
        await bound?.before(step);
        await exec(tag + step);
        invalid = null;
        step = statement;
      }
      await bound?.before(statement);
      await exec(tag + statement);
      return;
    } catch (err) {
      const dropping = step !== statement;
      if (!retryable(err, m, attempt, ctx)) {
        // Read before the failed build's index is dropped (afterFailedBuild).
        const made = !dropping && builds && bounds.lockTimedOut(err) && !ctx.interrupt?.aborted && (await indexLeft(m, direction, i, ctx, exec).catch(() => null)) !== null;
        if (!dropping) await afterFailedBuild(exec, m, direction, i, ctx, err);
        else if (ctx.running) ctx.running.aftermath = `the invalid index ${invalid} a failed build left is still there (dropping it failed): the next run drops it and builds it again`;
        throw explainLimit(err, bounds, ctx.limits, attempt, waitOf(bounds, ctx, bound, step, made));
      }
      // A statement that failed took no effect, but CREATE INDEX CONCURRENTLY that gave up leaves an invalid index.
      if (builds && !dropping) invalid = await indexLeft(m, direction, i, ctx, exec);
      const pauseMs = lockRetryPauseMs(attempt);
      const w = bound && bounds.waitsOnline(step) ? waitOf(bounds, ctx, bound, step, invalid !== null) : ddlNoteWait(m, ctx);
      ctx.note(lockWaitNote(m, i, ctx, attempt, pauseMs, w, dropping ? `statement ${i + 1}: dropping the invalid index ${invalid} it left` : `statement ${i + 1}`));
      await pause(pauseMs, ctx);
    }
  }
}

/** The INVALID index a concurrent build that failed left (read from the catalog on the migration's connection), or null. */
async function indexLeft(m: LoadedMigration, direction: Direction, i: number, ctx: ExecutionContext, exec: Exec): Promise<string | null> {
  const d = await decideAt(m, direction, i, i + 1, ctx, execSql(exec, m.dialect));
  return d.kind === 'rebuild_index' ? d.index : null;
}

/** What `sql` waited for and how long, when it gave up (`indexMade`: a concurrent build's index is in the catalog). */
function waitOf(bounds: EngineBounds, ctx: ExecutionContext, bound: StatementBound | null, sql: string, indexMade: boolean): LockWait {
  const ms = bound ? bound.lockBoundMs(sql) : ctx.limits.ddlLockTimeoutMs;
  if (bound && bounds.waitsOnline(sql)) return onlineWait(bounds, ms, bounds.waitedFor(sql, indexMade));
  return ddlWait(bounds, ctx.limits);
}

/**
 * CREATE [UNIQUE] INDEX CONCURRENTLY that failed (duplicates, a deadlock, a
 * timeout) leaves its index behind, INVALID: this run made it (the
 * ownership check found the name free, or a progress row proved it dbkit's),
 * so it drops it, and the next run does not trip over it. Not after an
 * interrupt (a second signal must not wait for a DROP): the next run drops it.
 */
async function afterFailedBuild(exec: Exec, m: LoadedMigration, direction: Direction, i: number, ctx: ExecutionContext, err: unknown): Promise<void> {
  const index = m.dialect === 'postgres' ? concurrentIndex(statementsOf(m, direction)[i]!) : null;
  if (!index || ctx.interrupt?.aborted || !ctx.running) return;
  const duplicates = sqlState(err) === UNIQUE_VIOLATION;
  const what = duplicates
    ? `building the unique index ${index} failed: its columns hold duplicate values${detailOf(err)}`
    : `building the index ${index} failed`;
  try {
    const live = await dialects.postgres.introspect(execSql(exec, 'postgres'), ctx.conn.namespace);
    if (liveIndex(live, index)?.valid !== false) {
      ctx.running.aftermath = what;
      return;
    }
    await exec(`DROP INDEX CONCURRENTLY IF EXISTS ${pgIdent(ctx.conn.namespace)}.${pgIdent(index)}`);
    ctx.running.aftermath = `${what}; the invalid index the failed build left was dropped`;
  } catch (dropErr) {
    ctx.running.aftermath = `${what}; it left the index invalid, and dropping it failed (${(dropErr as Error).message}): the next run drops it and builds it again`;
  }
}

const detailOf = (err: unknown): string => {
  const d = (err as { detail?: unknown } | null)?.detail;
  return typeof d === 'string' && d ? ` (${d.replace(/\s+/g, ' ').trim()})` : '';
};

function unknownState(m: LoadedMigration, direction: Direction, i: number, found: string): SqlError {
  const what = direction === 'up' ? m.name : `the rollback of ${m.name}`;
  return new SqlError(
    `${what} stopped at statement ${i + 1} of ${statementsOf(m, direction).length} in an earlier run, and the database shows neither its state before that statement nor after it (${found}); ` +
      `nothing was changed: compare with the statement in ${m.dir}/${m.dialect}.${direction}.sql and fix the object by hand`,
  );
}
