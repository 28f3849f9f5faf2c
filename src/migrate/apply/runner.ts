/**
 * The migration service on knex.migrate over the frozen migrations: state,
 * migrate, rollback, dry runs. Results are plain data; commands render them.
 *
 * A run, under the migration lock: wait for statements a dead run left
 * running on the server (running-work.ts); record what a killed run applied
 * but Knex did not record (bookkeeping.ts); refuse edited applied migrations,
 * pending ones that sort before applied ones (order.ts) and objects the
 * pending migrations would create that dbkit did not create (ownership.ts);
 * record adopted migrations after checking the catalog (adopt.ts); then Knex
 * runs each migration in its own transaction, or statement by statement
 * (execute.ts). Where a failed run stopped is read from the catalog (stopped.ts).
 */
import { engineOf } from '../../engines/index.js';
import type { Knex } from 'knex';
import { DbkitError, LockError, SqlError, UsageError } from '../../shared/errors.js';
import type { Connection } from '../../db/connect.js';
import { foldOperations } from '../../plan/fold.js';
import { emptySchema, type DbSchema } from '../../schema/model.js';
import { ensureAppliedAsColumn, ensureBookkeeping, reconcile } from './bookkeeping.js';
import { existingNames } from './catalog.js';
import { adoptAtTurn, adoptHint, pickAdopted, recordAdopted, verifyAdoptable } from './adopt.js';
import { acceptedDrift, recordAccepted, refuseDrift, type Accepted } from './drift.js';
import type { MigrationLimits } from '../../config/online.js';
import { knexMigration, type ExecutionContext, type Running } from './execute.js';
import { needsOnline, onlineRunner } from './online.js';
import { pickMigration } from '../folder/folder.js';
import type { HeldLock } from '../../port/lock.js';
import { MigrationInterrupt } from './interrupt.js';
import { acquireMigrationLock } from './lock.js';
import { engineMessage } from './errors.js';
import { checkOrder } from './order.js';
import { conflictError, findConflicts } from './ownership.js';
import { preflightData, type DataCheckOptions } from './data-check/preflight.js';
import { awaitRunningWork } from './running-work.js';
import { stoppedState } from './stopped.js';
import { MIGRATION_TABLE, type LoadedMigration } from '../folder/source.js';
import { progressOf, readDatabaseState, type AppliedAs, type DatabaseState } from './state.js';
import { loadState, type Loaded } from './load-state.js';

export { loadState, type Loaded } from './load-state.js';

export { engineMessage };

export interface MigrationStep {
  name: string;
  /** The exact SQL, statement by statement. */
  sql: string[] | null;
  /** Applied by migrate (not a dry run): how long it took, in milliseconds. */
  ms?: number;
  /** Applied with --allow-out-of-order: it sorts before a migration applied earlier. */
  outOfOrder?: true;
  /**
   * A resumed migration: its statements an earlier, stopped run had run, which this run did not
   * (1-based, with their SQL); `sql` then lists only the statements this run ran.
   */
  skipped?: { statement: number; sql: string }[];
}

export interface RunResult {
  dryRun: boolean;
  /** Migrations applied (migrate) or reverted (rollback), in the order run; planned ones on a dry run. */
  migrations: MigrationStep[];
  /** Edited or missing applied migrations accepted with --accept-changed (migrate only). */
  accepted?: Accepted[];
  /** Applied by a killed run that Knex had not recorded: recorded by this run, not run again. */
  recorded?: string[];
  /** Recorded as applied with --adopt, not run: their effect was found in the catalog. */
  adopted?: string[];
}

function steps(state: Loaded, names: string[], direction: 'up' | 'down'): MigrationStep[] {
  return names.map((name) => {
    const m = state.migrations.find((x) => x.name === name);
    return { name, sql: m ? m[direction] : null };
  });
}

/** A resumed migration as this run ran it: the statements it ran in `sql`, those an earlier run had run in `skipped`. */
function withoutSkipped(p: MigrationStep, skipped: readonly number[] | undefined): MigrationStep {
  if (!skipped?.length || !p.sql) return p;
  const sql = p.sql;
  return { ...p, sql: sql.filter((_, i) => !skipped.includes(i)), skipped: skipped.map((i) => ({ statement: i + 1, sql: sql[i]! })) };
}

/** The model before each migration's up: the operations of those before it, folded. */
function modelsBefore(migrations: readonly LoadedMigration[]): (name: string) => DbSchema {
  const cache = new Map<string, DbSchema>();
  return (name) => {
    if (!cache.size && migrations.length) {
      let model = emptySchema(migrations[0]!.dialect);
      for (const m of migrations) {
        cache.set(m.name, model);
        model = foldOperations(model, m.meta.up.operations);
      }
    }
    const found = cache.get(name);
    if (!found) throw new Error(`no migration ${name}`);
    return found;
  };
}

interface RunOptions {
  signal?: AbortSignal;
  onNote?(text: string): void;
  /** Statement and lock bounds, and the online method (flags over the config file); default: the config's. */
  limits?: MigrationLimits;
}

function executionContext(conn: Connection, state: Loaded, lock: HeldLock, batch: number, opts: RunOptions, interrupt?: MigrationInterrupt): ExecutionContext {
  const progress = new Map<string, { direction: 'up' | 'down'; step: number }>();
  const recorded = new Set(state.db.applied.map((a) => a.name));
  for (const row of state.db.checksums.values()) {
    const p = progressOf(row, recorded.has(row.name));
    if (p) progress.set(row.name, p);
  }
  return {
    conn,
    lock,
    // The lock's owner: a progress row by any other owner is from a run that no longer holds the lock.
    owner: lock.owner,
    batch,
    interrupt,
    progress,
    modelBefore: modelsBefore(state.migrations),
    note: (text) => opts.onNote?.(text),
    limits: opts.limits ?? conn.config.limits,
    running: null,
  };
}

function migratorConfig(conn: Connection, migrations: LoadedMigration[], ctx: ExecutionContext): Knex.MigratorConfig {
  const source: Knex.MigrationSource<LoadedMigration> = {
    getMigrations: async () => migrations,
    getMigrationName: (m) => m.name,
    getMigration: async (m) => knexMigration(m, ctx),
  };
  return {
    tableName: MIGRATION_TABLE,
    ...(engineOf(conn).dialect.qualifiesTables ? { schemaName: conn.namespace } : {}),
    migrationSource: source,
    // Each migration says whether it runs in a transaction (Knex then opens one per migration).
    disableTransactions: true,
    // dbkit reports missing migrations itself (status); they must not block the others.
    disableMigrationsListValidation: true,
  };
}

function failure(err: unknown, done: string[], stopped: string | null, running: Running | null, verb: 'migrate' | 'rollback'): Error {
  const before = done.length ? `${verb === 'migrate' ? 'applied' : 'rolled back'} before it in this run: ${done.join(', ')}` : `nothing else was ${verb === 'migrate' ? 'applied' : 'rolled back'} in this run`;
  if (err instanceof DbkitError) return Object.assign(err, { message: `${err.message}; ${before}` });
  const aftermath = running?.aftermath ? `; ${running.aftermath}` : '';
  const where = stopped ? `${stopped}: ${engineMessage(err)}${aftermath}` : `${verb === 'migrate' ? 'migrating' : 'rolling back'} failed: ${engineMessage(err)}`;
  // A statement that ran out of attempts waiting for a lock: exit 4, as a lock not acquired in time.
  const Type = (err as { gaveUpWaiting?: boolean } | null)?.gaveUpWaiting ? LockError : SqlError;
  return new Type(`${where}; ${before}`, { cause: err });
}

/** The interrupt error, saying where the run stopped and that a re-run finishes it. */
function interrupted(reason: Error, done: string[], stopped: string | null, cause: unknown, verb: 'migrate' | 'rollback'): Error {
  const before = done.length ? `${verb === 'migrate' ? 'applied' : 'rolled back'}: ${done.join(', ')}` : `nothing was ${verb === 'migrate' ? 'applied' : 'rolled back'}`;
  const where = stopped ? `; ${stopped}` : '';
  return Object.assign(reason, {
    message: `${reason.message}: ${before}${where}; the lock is released; run dbkit ${verb} again to finish`,
    ...(cause !== reason ? { cause } : {}),
  });
}

/** Where the run stopped, checked against the catalog (nothing to say when no migration was running). */
const whereStopped = (ctx: ExecutionContext, migrations: readonly LoadedMigration[]): Promise<string | null> =>
  ctx.running ? stoppedState(ctx.running, migrations, ctx) : Promise.resolve(null);

async function withLock<T>(conn: Connection, fn: (lock: HeldLock) => Promise<T>, signal?: AbortSignal, onWait?: (text: string) => void): Promise<T> {
  const lock = await acquireMigrationLock(conn, signal, onWait);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

const nextBatch = (db: DatabaseState): number => Math.max(0, ...db.applied.map((a) => a.batch)) + 1;

/** Apply pending migrations (up to and including `to`). */
export interface MigrateRequest extends RunOptions, DataCheckOptions {
  to?: string;
  dryRun?: boolean;
  /** Names (or unique parts of names) of edited or missing applied migrations to accept. */
  acceptChanged?: string[];
  /** Told once when the lock is held by someone else, with who when the server can tell. */
  onLockWait?(text: string): void;
  /** Apply pending migrations that sort before applied ones (recorded as applied out of order). */
  allowOutOfOrder?: boolean;
  /** Names (or unique parts) of pending migrations to record as applied without running them, once the catalog shows their effect. */
  adopt?: string[];
}

export async function migrate(conn: Connection, opts: MigrateRequest): Promise<RunResult> {
  const pendingUpTo = (state: Loaded): string[] => {
    const pending = state.entries.filter((e) => e.state === 'pending').map((e) => e.name);
    if (!opts.to) return pending;
    const target = pickMigration(state.entries, opts.to, '--to').name;
    const i = pending.indexOf(target);
    return i < 0 ? [] : pending.slice(0, i + 1);
  };
  // A bad --to, --accept-changed or --adopt, or an edited applied migration, stops the run before anything is locked or created.
  const before = await loadState(conn);
  const absent = (n: string) => opts.onNote?.(`--accept-changed ${n}: no migration of that name is in the folder or applied here: nothing to accept`);
  const acceptedNames = new Set(acceptedDrift(before.entries, opts.acceptChanged ?? [], absent).map((e) => e.name));
  const accepting = (state: Loaded) => state.entries.filter((e) => acceptedNames.has(e.name) && (e.state === 'changed' || e.state === 'missing'));
  const adopting = pickAdopted(before.entries, opts.adopt ?? []);
  try {
    refuseDrift(before.entries, accepting(before), conn.config.schemaName);
  } catch (err) {
    throw await adoptHint(err, conn, before, modelsBefore(before.migrations));
  }
  if (opts.dryRun) {
    // A dry run shows what would run: not what --adopt records without running. The live pre-flight's counts too (read-only); a refusal is reported, not thrown.
    const pendingBefore = (name: string) => pendingUpTo(before).filter((n) => n < name && !adopting.includes(n));
    const adoption = await verifyAdoptable(conn, before.migrations, adopting, modelsBefore(before.migrations), pendingBefore);
    const todo = pendingUpTo(before).filter((n) => !adoption.adopt.includes(n));
    // Refused as the run would refuse it (the same line, exit 1); shown as out of order with --allow-out-of-order.
    const forgotten = new Set(accepting(before).filter((e) => e.state === 'missing').map((e) => e.name));
    const late = new Set(checkOrder(before.entries.filter((e) => !forgotten.has(e.name)), todo, !!opts.allowOutOfOrder));
    await preflightData(conn, before.migrations.filter((m) => todo.includes(m.name)), modelsBefore(before.migrations), { ...opts, dryRun: true });
    return { dryRun: true, migrations: steps(before, todo, 'up').map((p) => (late.has(p.name) ? { ...p, outOfOrder: true as const } : p)) };
  }
  pendingUpTo(before);
  return withLock(conn, async (lock) => {
    // Nothing of a dead run's may still run on the server when this one decides what is in the database.
    await awaitRunningWork(conn, before.migrations, 'migrate', { timeoutMs: conn.config.lockTimeoutMs, signal: opts.signal, onWait: opts.onNote });
    // Read under the lock: another run may have just finished, or been killed.
    const recorded = await reconcile(conn, lock);
    for (const name of recorded) opts.onNote?.(`${name} was applied by a run that stopped before recording it: recorded now, not run again`);
    let state = await loadState(conn);
    refuseRollbackInProgress(state);
    refuseDrift(state.entries, accepting(state), conn.config.schemaName);
    const picked = pickAdopted(state.entries, opts.adopt ?? []);
    const modelBefore = modelsBefore(state.migrations);
    // --adopt: recorded when the catalog shows its effect, run when it shows the state before it (a database that never had the other branch), else refused.
    const pendingBefore = (name: string) => pendingUpTo(state).filter((n) => n < name && !picked.includes(n));
    const adoption = await verifyAdoptable(conn, state.migrations, picked, modelBefore, pendingBefore);
    for (const name of adoption.run) opts.onNote?.(`${name}: --adopt: its effect is not in the database (the catalog shows the state before it): running it`);
    for (const name of adoption.atTurn) opts.onNote?.(`${name}: --adopt: decided at its turn, once the pending migrations before it have run (${pendingBefore(name).join(', ')})`);
    const adopted = adoption.adopt;
    const todo = pendingUpTo(state).filter((n) => !adopted.includes(n));
    // A missing migration forgotten by this run (--accept-changed) no longer counts as applied.
    const forgotten = new Set(accepting(state).filter((e) => e.state === 'missing').map((e) => e.name));
    const late = checkOrder(state.entries.filter((e) => !forgotten.has(e.name)), todo, !!opts.allowOutOfOrder);
    const pending = state.migrations.filter((m) => todo.includes(m.name));
    const stopped = new Map<string, number>();
    for (const e of state.entries) if (e.interrupted?.direction === 'up') stopped.set(e.name, e.interrupted.statement - 1);
    // A migration to adopt at its turn is checked against the catalog then, not here.
    const conflicts = findConflicts(await existingNames(conn), pending.filter((m) => !adoption.atTurn.includes(m.name)), stopped);
    if (conflicts.length) throw conflictError(conflicts, conn.namespace, { forgotten: [...forgotten] });
    // The live data of every pending data-dependent change, counted before the first statement (exit 9 when refused).
    const data = await preflightData(conn, pending, modelBefore, opts);
    const online = needsOnline(pending, 'up') ? await onlineRunner(conn, (opts.limits ?? conn.config.limits).online) : undefined;
    await ensureBookkeeping(conn);
    if (late.length || adopted.length || adoption.atTurn.length) await ensureAppliedAsColumn(conn);
    const accepted = accepting(state).length ? await recordAccepted(conn, accepting(state), state.migrations) : [];
    const appliedAs = new Map<string, AppliedAs>(late.map((n) => [n, 'out-of-order']));
    const interrupt = opts.signal ? new MigrationInterrupt(opts.signal, conn.config.target.engine) : undefined;
    const batch = nextBatch(state.db);
    if (adopted.length) {
      await conn.knex.migrate.list(migratorConfig(conn, state.migrations, executionContext(conn, state, lock, batch, opts)));
      await recordAdopted(conn, lock, state.migrations, adopted, batch);
      for (const name of adopted) opts.onNote?.(`${name}: its effect is in the database (checked against the catalog): recorded as applied, not run`);
    }
    if (accepted.length || adopted.length) state = await loadState(conn);
    const ctx = executionContext(conn, state, lock, batch, opts, interrupt);
    ctx.appliedAs = appliedAs;
    ctx.online = online;
    const timings = new Map<string, number>();
    ctx.onTimed = (name, ms) => timings.set(name, ms);
    const skipped = new Map<string, number[]>();
    ctx.onSkipped = (name, _direction, statements) => skipped.set(name, statements);
    const adoptedAtTurn: string[] = [];
    if (adoption.atTurn.length) {
      ctx.adoptAtTurn = { names: new Set(adoption.atTurn), check: (m, sql) => adoptAtTurn(conn, sql, m, modelBefore(m.name)) };
      ctx.onAdopted = (name) => {
        adoptedAtTurn.push(name);
        opts.onNote?.(`${name}: its effect is in the database (checked against the catalog at its turn): recorded as applied, not run`);
      };
    }
    ctx.beforeUp = data.beforeUp;
    // With --to, Knex sees only the migrations up to the target.
    const applied = new Set(state.entries.filter((e) => e.state !== 'pending').map((e) => e.name));
    const cfg = migratorConfig(conn, state.migrations.filter((m) => applied.has(m.name) || todo.includes(m.name)), ctx);
    const disarm = interrupt?.arm(lock);
    try {
      interrupt?.check();
      if (todo.length) await conn.knex.migrate.latest(cfg);
    } catch (err) {
      const now = new Set((await readDatabaseState(conn).catch(() => null))?.applied.map((a) => a.name) ?? []);
      const done = todo.filter((n) => now.has(n) && ctx.running?.name !== n);
      const where = await whereStopped(ctx, state.migrations);
      if (opts.signal?.aborted) throw interrupted(opts.signal.reason as Error, done, where, err, 'migrate');
      throw failure(err, done, where, ctx.running, 'migrate');
    } finally {
      disarm?.();
    }
    return {
      dryRun: false,
      migrations: steps(state, todo.filter((n) => !adoptedAtTurn.includes(n)), 'up').map((p) => ({
        ...withoutSkipped(p, skipped.get(p.name)),
        ...(timings.has(p.name) ? { ms: timings.get(p.name) } : {}),
        ...(appliedAs.has(p.name) ? { outOfOrder: true as const } : {}),
      })),
      ...(opts.acceptChanged ? { accepted } : {}),
      ...(recorded.length ? { recorded } : {}),
      ...(adopted.length || adoptedAtTurn.length ? { adopted: [...adopted, ...adoptedAtTurn] } : {}),
    };
  }, opts.signal, opts.onLockWait);
}

/** A rollback that stopped halfway, statement by statement: only `rollback` may go on with it. */
function refuseRollbackInProgress(state: Loaded): void {
  const half = state.entries.filter((e) => e.interrupted?.direction === 'down');
  if (!half.length) return;
  const e = half[0]!;
  throw new SqlError(
    `the rollback of ${e.name} stopped at statement ${e.interrupted!.statement}${e.interrupted!.of ? ` of ${e.interrupted!.of}` : ''} (${e.interrupted!.owner ?? 'an earlier run'}): ` +
      `nothing was migrated; finish it with dbkit rollback --steps 1`,
  );
}

export interface RollbackRequest extends RunOptions {
  steps?: number;
  all?: boolean;
  dryRun?: boolean;
  /** Roll back migrations whose down cannot restore the data their up removed. */
  force?: boolean;
}

/** Which migrations a rollback reverts, newest first, and refusals that need no lock. */
export function rollbackSteps(state: Loaded, opts: RollbackRequest): MigrationStep[] {
  const applied = state.entries.filter((e) => e.state !== 'pending');
  let names: string[];
  if (opts.all) names = applied.map((e) => e.name).reverse();
  else if (opts.steps !== undefined) names = applied.slice(-opts.steps).map((e) => e.name).reverse();
  else {
    const last = Math.max(...applied.map((e) => e.batch ?? 0));
    names = applied.filter((e) => e.batch === last).map((e) => e.name).reverse();
  }
  const missing = state.entries.filter((e) => e.state === 'missing' && names.includes(e.name));
  if (missing.length) throw new UsageError(`cannot roll back ${missing.map((m) => m.name).join(', ')}: the migration file is missing`);
  const lossy = state.migrations.filter((m) => names.includes(m.name) && !m.meta.down.restoresData);
  if (lossy.length && !opts.force) {
    throw new UsageError(
      `${lossy.map((m) => m.name).join(', ')} cannot be rolled back with ${lossy.length > 1 ? 'their' : 'its'} data: ` +
        `${lossy.flatMap((m) => m.meta.up.dataLoss).join('; ') || 'its up removed data'}; the down brings the structure back, not the rows. Pass --force to roll back anyway`,
    );
  }
  return steps(state, names, 'down');
}

/** Undo the last batch, the last `steps` migrations, or all of them. */
export async function rollback(conn: Connection, opts: RollbackRequest): Promise<RunResult> {
  const first = await loadState(conn);
  const planned = rollbackSteps(first, opts);
  if (opts.dryRun) return { dryRun: true, migrations: planned };
  return withLock(conn, async (lock) => {
    await awaitRunningWork(conn, first.migrations, 'rollback', { timeoutMs: conn.config.lockTimeoutMs, signal: opts.signal, onWait: opts.onNote });
    await ensureBookkeeping(conn);
    const state = await loadState(conn);
    const todo = rollbackSteps(state, opts).map((p) => p.name);
    const interrupt = opts.signal ? new MigrationInterrupt(opts.signal, conn.config.target.engine) : undefined;
    const ctx = executionContext(conn, state, lock, nextBatch(state.db), opts, interrupt);
    const reverting = state.migrations.filter((m) => todo.includes(m.name));
    ctx.online = needsOnline(reverting, 'down') ? await onlineRunner(conn, ctx.limits.online) : undefined;
    const cfg = migratorConfig(conn, state.migrations, ctx);
    const disarm = interrupt?.arm(lock);
    const reverted: string[] = [];
    try {
      for (const name of todo) {
        interrupt?.check();
        await conn.knex.migrate.down({ ...cfg, name });
        reverted.push(name);
      }
    } catch (err) {
      const where = await whereStopped(ctx, state.migrations);
      if (opts.signal?.aborted) throw interrupted(opts.signal.reason as Error, reverted, where, err, 'rollback');
      throw failure(err, reverted, where, ctx.running, 'rollback');
    } finally {
      disarm?.();
    }
    return { dryRun: false, migrations: steps(state, todo, 'down') };
  }, opts.signal);
}
