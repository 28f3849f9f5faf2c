/**
 * Taking back a failed or interrupted seed run, and saying truthfully what
 * state it left. Only keys in the run's ledger are deleted (never a whole
 * table): rows of users' trees that do not cascade from their user, then the
 * users (their rows go with them), then rows no user owns. What is said
 * afterwards is what the database shows, checked after the deletes.
 */
import type { Ledger } from './ledger.js';
import type { SeedTarget } from './target.js';
import { USERS } from './coverage.js';

export interface UndoContext {
  ledger: Ledger;
  /** The tables in load order (parents first). */
  order: readonly string[];
  mode: 'fresh' | 'truncate' | 'append';
  /** Tables --truncate emptied before loading. */
  emptied: readonly string[];
  /** Ordinals of the users this run generates (usernames end with them). */
  ordinals: { first: number; last: number };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Delete what the ledger holds, children before parents; throws on the first failure. */
async function deleteRecorded(target: SeedTarget, cx: UndoContext): Promise<void> {
  const reverse = [...cx.order].reverse();
  for (const t of reverse) await target.deleteRows(t, cx.ledger.owned.get(t) ?? []);
  await target.deleteRows(USERS, cx.ledger.users);
  for (const t of reverse) await target.deleteRows(t, cx.ledger.shared.get(t) ?? []);
}

/** How many recorded keys are still there. */
async function remaining(target: SeedTarget, cx: UndoContext): Promise<number> {
  let n = await target.countRows(USERS, cx.ledger.users);
  for (const [t, ids] of [...cx.ledger.owned, ...cx.ledger.shared]) n += await target.countRows(t, ids);
  return n;
}

/** What --truncate did before the failure, if anything. */
const truncated = (cx: UndoContext) => (cx.emptied.length ? `--truncate had emptied ${cx.emptied.join(', ')}; ` : '');

/**
 * Take back what the run may have committed, on `target` (or, should that
 * session fail, on a fresh one from `reopen`), and describe the state left.
 */
export async function takeBack(target: SeedTarget, cx: UndoContext, reopen: () => Promise<{ target: SeedTarget; close(): Promise<void> }>): Promise<string> {
  if (cx.ledger.empty) return `${truncated(cx)}nothing was written`;
  let undoError: unknown;
  for (const attempt of [0, 1]) {
    let on = target;
    let close: () => Promise<void> = async () => undefined;
    try {
      if (attempt === 1) ({ target: on, close } = await reopen());
      await deleteRecorded(on, cx);
      return await describeAfter(on, cx);
    } catch (err) {
      undoError ??= err;
    } finally {
      await close().catch(() => undefined);
    }
  }
  const users = cx.ledger.users.length;
  const what = users ? `${plural(users, 'user')} (numbered ${cx.ordinals.first} to ${cx.ordinals.last}) and their rows` : 'the rows it had committed';
  const advice = cx.mode === 'append' ? '' : '; dbkit seed --truncate starts over';
  return `taking back what it had committed failed (${(undoError as Error).message}): ${what} may still be there${advice}`;
}

/** The state after the deletes, as the database shows it. */
async function describeAfter(target: SeedTarget, cx: UndoContext): Promise<string> {
  const left = await remaining(target, cx);
  if (left > 0) return `taking back what it had committed left ${plural(left, 'row')} of it in place`;
  const removed = 'the rows it had written were deleted';
  if (cx.mode === 'append') return removed;
  // The schema was empty when this run began (or --truncate emptied it): say whether it is again.
  const filled = await target.filledTables();
  return filled.length ? `${truncated(cx)}${removed}; ${filled.join(', ')} hold rows written by someone else meanwhile` : `${truncated(cx)}${removed}: the tables are empty`;
}
