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
 * still running after this process died. Retries and a failed concurrent
 * build: retries.ts; the catalog decision: decide-at.ts; the context: context.ts.
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import type { Knex } from 'knex';
import { SqlError } from '../../shared/errors.js';
import { lockRetryPauseMs } from '../../config/online.js';
import { execSql, withConnectionOf, type Exec } from './statements.js';
import { markStep, recordApplied, recordReverted } from './bookkeeping.js';
import { statementsOf, type ExecutionContext } from './context.js';
import { decideAt } from './decide-at.js';
import type { Direction } from '../folder/format.js';
import { applySettings, boundsOf, explainLimit, onlineLockBoundMs, startSession, StatementBound } from './limits.js';
import { ddlNoteWait, lockWaitNote, pause, retryable, runWithRetries } from './retries.js';
import { workTag } from './running-work.js';
import type { LoadedMigration } from '../folder/source.js';

export type { ExecutionContext, Running } from './context.js';
export { decideAt } from './decide-at.js';

const transactional = (m: LoadedMigration): boolean => dialectFor(m.dialect).scriptsInTransaction && m.meta.transactional;

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


async function stepByStep(knex: Knex, m: LoadedMigration, direction: Direction, ctx: ExecutionContext): Promise<void> {
  const statements = statementsOf(m, direction);
  const prior = ctx.progress.get(m.name);
  const resumeAt = prior?.direction === direction ? Math.min(prior.step, statements.length) : null;
  await withConnectionOf(knex, ctx.conn.config.target.engine, async (exec) => {
    const mark = (i: number) => markStep(knex, exec, ctx.conn, m, direction, i, ctx.owner, direction === 'up' ? ctx.batch : null);
    ctx.running = { name: m.name, direction, statement: resumeAt ?? 0, of: statements.length, transactional: false };
    await ctx.interrupt?.track(m.name, exec);
    // Session-level SETs: not through a transaction pooler, where they would stay on a pooled server connection.
    const sessionTimeout = !ctx.lock.pooled;
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
  // ctx.online is set only where the engine has a runner (MySQL: onlineRunner).
  if (ctx.online && (m.meta[direction].blocking ?? []).includes(i)) {
    ctx.note(`${m.name}: statement ${i + 1} copies its table: running it through ${ctx.online.name}`);
    await ctx.online.run(statementsOf(m, direction)[i]!, { resumed, signal: ctx.interrupt?.signal, note: ctx.note });
    return;
  }
  if (invalid) ctx.note(`${m.name}: index ${invalid} was left invalid by a stopped CREATE INDEX CONCURRENTLY; dropping it to build it again`);
  await runWithRetries(exec, m, direction, i, ctx, bound, invalid);
}


function unknownState(m: LoadedMigration, direction: Direction, i: number, found: string): SqlError {
  const what = direction === 'up' ? m.name : `the rollback of ${m.name}`;
  return new SqlError(
    `${what} stopped at statement ${i + 1} of ${statementsOf(m, direction).length} in an earlier run, and the database shows neither its state before that statement nor after it (${found}); ` +
      `nothing was changed: compare with the statement in ${m.dir}/${m.dialect}.${direction}.sql and fix the object by hand`,
  );
}
