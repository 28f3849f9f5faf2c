/**
 * Taking back a failed or interrupted seed run, and saying truthfully what
 * state it left. Only the run's rows are deleted (never a whole table):
 * children before parents, table by table in reverse load order. On
 * PostgreSQL and PGlite the rows of a user's tree (src/rows/coverage.ts) are
 * found by joining up the table's path of foreign keys to a batch of the
 * run's users (users ids are in the ledger), so no delete relies on a
 * cascade: a cascade through a column without an index (agents
 * gallery.run_id) scans the child table once per parent row, and took back
 * 3,020 users in 51 s after loading them in 15 s. On MySQL/MariaDB every
 * foreign-key column has an index, and the users' cascades take their trees.
 * Then rows recorded by id (rows of a user's tree that do not cascade from
 * their user), the users, and the rows no user owns.
 *
 * Where the session may (PostgreSQL and PGlite as a superuser, or a role
 * granted SET on session_replication_role: the loader's condition), all of
 * it runs in one transaction with the foreign keys' triggers off, so that
 * deleting a parent checks nothing row by row; before it commits, every
 * foreign key of the schema is checked set-based, and should a row someone
 * else wrote point at a deleted row, the transaction is rolled back and the
 * deletes run again with the triggers on (the schema's own ON DELETE rules
 * then apply to such rows). What is said afterwards is what the database
 * shows, checked after the deletes.
 */
import type { Ledger } from './ledger.js';
import type { SeedLayout } from './layout.js';
import type { SeedTarget } from './target.js';
import { USERS } from '../rows/coverage.js';
import { isLockWait } from '../connection/driver-errors.js';
import { seedLockWaitError } from './lock-wait.js';

/** Users whose rows one DELETE takes back, per table (rows per statement: this times the table's rows per user). */
export const USERS_PER_STATEMENT = 500;

export interface UndoContext {
  ledger: Ledger;
  /** What the run loaded: the tables in load order (parents first), their paths up to users, the schema's foreign keys. */
  layout: SeedLayout;
  mode: 'fresh' | 'truncate' | 'append';
  /** Tables --truncate emptied before loading. */
  emptied: readonly string[];
  /** Ordinals of the users this run generates (usernames end with them). */
  ordinals: { first: number; last: number };
  debug?(text: string): void;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Delete the run's rows, children before parents; throws on the first
 * failure. With the foreign keys' triggers on (`checked`), a table that a
 * foreign key without an index points from is compacted once its rows are
 * gone: each parent row deleted afterwards scans it.
 */
async function deleteRun(target: SeedTarget, cx: UndoContext, checked: boolean): Promise<void> {
  const reverse = [...cx.layout.tables].reverse();
  const users = cx.ledger.users;
  const scanned = new Set(cx.layout.unindexedReferences.map((r) => r.table));
  for (const t of reverse) {
    const t0 = performance.now();
    if (t.path && !target.cascadesByIndex) for (let i = 0; i < users.length; i += USERS_PER_STATEMENT) await target.deleteByPath(t.name, t.path, users.slice(i, i + USERS_PER_STATEMENT));
    await target.deleteRows(t.name, cx.ledger.owned.get(t.name) ?? []);
    if (checked && scanned.has(t.name)) await target.compact(t.name, cx.debug);
    cx.debug?.(`seed: took back ${t.name} (${Math.round(performance.now() - t0)} ms)`);
  }
  await target.deleteRows(USERS, users);
  for (const t of reverse) await target.deleteRows(t.name, cx.ledger.shared.get(t.name) ?? []);
}

/** Delete what the ledger holds: with the foreign keys' triggers off where the session may, else with them on. */
async function deleteRecorded(target: SeedTarget, cx: UndoContext): Promise<void> {
  const t0 = performance.now();
  const took = () => `${Math.round(performance.now() - t0)} ms`;
  await target.refreshStatistics(cx.layout.tables.map((t) => t.name), cx.debug);
  cx.debug?.(`seed: planner statistics refreshed (${took()})`);
  if (cx.layout.referencesComplete && (await target.maySkipTriggers())) {
    const committed = await target
      .withoutTriggers(async () => {
        await deleteRun(target, cx, false);
        const t1 = performance.now();
        const broken = await target.brokenForeignKeys(cx.layout.references);
        cx.debug?.(`seed: foreign keys checked (${Math.round(performance.now() - t1)} ms)`);
        if (broken.length) cx.debug?.(`seed: rows written by someone else point at rows of this run (${broken.join(', ')}): deleting again with the foreign keys' triggers on`);
        return broken.length === 0;
      })
      .catch((err: unknown) => {
        // A lock another session holds stops the deletes with the triggers on just as well: not tried again.
        if (isLockWait(err)) throw err;
        cx.debug?.(`seed: taking back with the foreign keys' triggers off failed (${(err as Error).message}); again with them on`);
        return false;
      });
    if (committed) return void cx.debug?.(`seed: took back the run's rows, triggers off, foreign keys checked (${took()})`);
  }
  await deleteRun(target, cx, true);
  cx.debug?.(`seed: took back the run's rows (${took()})`);
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
      // A lock wait that ran out (--lock-timeout) names the table and its holder, and is not tried
      // again on a new session (that is for a session that broke): the lock is still held.
      undoError ??= await seedLockWaitError(on.place(), err, { tables: on.tables, need: 'delete', doing: "taking back the run's rows" });
      if (isLockWait(err)) break;
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
