/**
 * A statement run statement by statement, tried again while it gives up
 * waiting for a lock (limits.ts); a concurrent build that failed or gave up
 * and the INVALID index it left; the notes that say so.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { lockRetryPauseMs } from '../../config/online.js';
import { engineOf, SQL_DIALECTS as dialects } from '../../engines/index.js';
import { statementsOf, type ExecutionContext } from './context.js';
import { decideAt } from './decide-at.js';
import type { Direction } from '../folder/format.js';
import { boundsOf, ddlWait, explainLimit, onlineWait, type EngineBounds, type LockWait, type StatementBound } from './limits.js';
import { concurrentIndex, liveIndex } from './recovery.js';
import { workTag } from './running-work.js';
import type { LoadedMigration } from '../folder/source.js';
import { execSql, sqlState, UNIQUE_VIOLATION, type Exec } from './statements.js';

export async function pause(ms: number, ctx: ExecutionContext): Promise<void> {
  try {
    await sleep(ms, undefined, ctx.interrupt ? { signal: ctx.interrupt.signal } : undefined);
  } catch {
    ctx.interrupt?.check();
  }
}

export const lockWaitNote = (m: LoadedMigration, i: number, ctx: ExecutionContext, attempt: number, pauseMs: number, w: LockWait, step = `statement ${i + 1}`) =>
  `${m.name}: ${step} waited ${w.seconds}s for ${w.what} (${w.setting}); trying again in ${pauseMs / 1000}s (attempt ${attempt + 1} of ${ctx.limits.ddlLockAttempts})`;

/** A DDL statement's wait, as the notes say it. */
export const ddlNoteWait = (m: LoadedMigration, ctx: ExecutionContext): LockWait => ddlWait(boundsOf(m.dialect), ctx.limits, 'a lock held by another session');

export const retryable = (err: unknown, m: LoadedMigration, attempt: number, ctx: ExecutionContext): boolean =>
  boundsOf(m.dialect).lockTimedOut(err) && attempt < ctx.limits.ddlLockAttempts && !ctx.interrupt?.aborted;

/** PostgreSQL's concurrent drop (only PostgreSQL leaves an INVALID index behind). */
const dropIndexSql = (ctx: ExecutionContext, index: string): string => {
  const q = engineOf(ctx.conn).dialect.quote;
  return `DROP INDEX CONCURRENTLY IF EXISTS ${q(ctx.conn.namespace)}.${q(index)}`;
};

/**
 * Statement i, tried again while it gives up waiting for a lock. A
 * concurrent build that gave up leaves its index INVALID: the next attempt
 * first drops it (DROP INDEX CONCURRENTLY, which waits for the same
 * transactions), as part of the attempt, so the drop's own wait is retried
 * like the statement's. `invalid`: such an index an earlier run left.
 */
export async function runWithRetries(exec: Exec, m: LoadedMigration, direction: Direction, i: number, ctx: ExecutionContext, bound: StatementBound | null, invalid: string | null): Promise<void> {
  const statements = statementsOf(m, direction);
  const statement = statements[i]!;
  const tag = workTag(ctx.conn.namespace, m.name, direction, i, statements.length);
  const bounds = boundsOf(m.dialect);
  const builds = dialects[m.dialect].buildsIndexesConcurrently && concurrentIndex(statement) !== null;
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
  const index = dialects[m.dialect].buildsIndexesConcurrently ? concurrentIndex(statementsOf(m, direction)[i]!) : null;
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
    await exec(dropIndexSql(ctx, index));
    ctx.running.aftermath = `${what}; the invalid index the failed build left was dropped`;
  } catch (dropErr) {
    ctx.running.aftermath = `${what}; it left the index invalid, and dropping it failed (${(dropErr as Error).message}): the next run drops it and builds it again`;
  }
}

const detailOf = (err: unknown): string => {
  const d = (err as { detail?: unknown } | null)?.detail;
  return typeof d === 'string' && d ? ` (${d.replace(/\s+/g, ' ').trim()})` : '';
};
