/**
 * The migration service on knex.migrate: state, migrate, rollback, dry runs.
 * Results are plain data; commands render them.
 */
import type { Knex } from 'knex';
import { SqlError, UsageError } from '../cli/errors.js';
import type { Connection, Session } from '../db/connect.js';
import { migrationContext, type MigrationContext } from './context.js';
import { acceptedDrift, recordAccepted, refuseDrift, type Accepted } from './drift.js';
import type { HeldLock } from './held-lock.js';
import { MigrationInterrupt } from './interrupt.js';
import { acquireMigrationLock } from './lock.js';
import { DbkitMigrationSource, CHECKSUM_TABLE, MIGRATION_TABLE, listMigrationFiles, loadMigration, type LoadedMigration } from './source.js';
import { classify, qualifier, readApplied, type MigrationEntry } from './state.js';

export interface Planned {
  name: string;
  /** The exact SQL, or null for a hand-written migration whose SQL is only known by running it. */
  sql: string[] | null;
  /** Applied by migrate (not a dry run): how long it took, in milliseconds. */
  ms?: number;
}

export interface RunResult {
  dryRun: boolean;
  /** Migrations applied (migrate) or reverted (rollback), in the order run; planned ones on a dry run. */
  migrations: Planned[];
  /** Edited or missing applied migrations accepted with --accept-changed (migrate only). */
  accepted?: Accepted[];
}

export interface Loaded {
  ctx: MigrationContext;
  migrations: LoadedMigration[];
  entries: MigrationEntry[];
}

export async function loadState(conn: Session): Promise<Loaded> {
  const ctx = migrationContext(conn.config.schemaName, conn.config.dialect);
  const files = listMigrationFiles(conn.config.schemaName);
  const migrations = await Promise.all(files.map((f) => loadMigration(f, ctx)));
  const entries = classify(await readApplied(conn), migrations);
  return { ctx, migrations, entries };
}

function migratorConfig(
  conn: Connection,
  state: Loaded,
  migrations = state.migrations,
  interrupt?: MigrationInterrupt,
  timings?: Map<string, number>,
): Knex.MigratorConfig {
  return {
    tableName: MIGRATION_TABLE,
    ...(conn.config.dialect === 'postgres' ? { schemaName: conn.namespace } : {}),
    migrationSource: new DbkitMigrationSource(migrations, state.ctx, qualifier(conn), interrupt, (name, ms) => timings?.set(name, ms)),
    // dbkit reports missing migrations itself (status); they must not block the others.
    disableMigrationsListValidation: true,
  };
}

function plan(state: Loaded, names: string[], direction: 'up' | 'down'): Planned[] {
  return names.map((name) => {
    const m = state.migrations.find((x) => x.name === name);
    const p = m?.module.plan?.(state.ctx);
    return { name, sql: p ? p[direction] : null };
  });
}

function resolveTarget(state: Loaded, to: string): string {
  const names = state.entries.map((e) => e.name);
  const hits = names.includes(to) ? [to] : names.filter((n) => n.includes(to));
  if (hits.length !== 1) {
    throw new UsageError(
      hits.length ? `--to ${to} matches several migrations: ${hits.join(', ')}` : `--to ${to}: no such migration`,
    );
  }
  return hits[0]!;
}

async function ensureBookkeeping(conn: Connection): Promise<void> {
  const { knex } = conn;
  if (conn.config.dialect === 'postgres' && !conn.namespaceExists) {
    await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [conn.namespace]);
    conn.namespaceExists = true;
  }
  const schema = conn.config.dialect === 'postgres' ? knex.schema.withSchema(conn.namespace) : knex.schema;
  if (!(await schema.hasTable(CHECKSUM_TABLE))) {
    await (conn.config.dialect === 'postgres' ? knex.schema.withSchema(conn.namespace) : knex.schema).createTable(
      CHECKSUM_TABLE,
      (t) => {
        t.string('name', 255).primary();
        t.string('checksum', 64).notNullable();
      },
    );
  }
}

/** The engine's own words, without the SQL text Knex puts in front of them. */
export function engineMessage(err: unknown): string {
  const e = err as { sqlMessage?: string; code?: string; message?: string };
  if (e.sqlMessage) return `${e.sqlMessage}${e.code ? ` (${e.code})` : ''}`;
  const msg = e.message ?? String(err);
  const cut = msg.lastIndexOf(' - ');
  const text = (cut >= 0 && /\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|COMMENT)\b/.test(msg.slice(0, cut)) ? msg.slice(cut + 3) : msg)
    .replace(/\s+/g, ' ')
    .trim();
  return e.code && /^[0-9A-Z]{5}$/.test(e.code) ? `${text} (SQLSTATE ${e.code})` : text;
}

function failure(conn: Connection, err: unknown, done: string[], failed: string | undefined): SqlError {
  const msg = engineMessage(err);
  const where = failed ? `migration ${failed} failed` : 'migrating failed';
  const state =
    conn.config.dialect === 'postgres'
      ? `it was rolled back (PostgreSQL DDL is transactional)`
      : `MySQL commits DDL as it goes, so statements of it before the failing one may be applied: check with dbkit diff`;
  const before = done.length ? `; applied before it: ${done.join(', ')}` : '; nothing else was applied';
  return new SqlError(`${where}: ${msg}; ${state}${before}`, { cause: err });
}

/** The interrupt error, saying where the run stopped and that a re-run finishes it. */
function interrupted(conn: Connection, reason: Error, done: string[], running: string | null, cause: unknown): Error {
  const before = done.length ? `applied: ${done.join(', ')}` : 'nothing was applied';
  const undone = !running
    ? ''
    : conn.config.dialect === 'postgres'
      ? `; ${running} was rolled back${done.length ? '' : ' with the rest of its batch'}`
      : `; ${running} did not finish (a re-run redoes it)`;
  return Object.assign(reason, {
    message: `${reason.message}: ${before}${undone}; the lock is released; run dbkit migrate again to finish`,
    ...(cause !== reason ? { cause } : {}),
  });
}

async function withLock<T>(conn: Connection, fn: (lock: HeldLock) => Promise<T>, signal?: AbortSignal, onWait?: (text: string) => void): Promise<T> {
  const lock = await acquireMigrationLock(conn, signal, onWait);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** Apply pending migrations (up to and including `to`). */
export interface MigrateRequest {
  to?: string;
  dryRun?: boolean;
  /** Names (or unique parts of names) of edited or missing applied migrations to accept. */
  acceptChanged?: string[];
  /** SIGINT / SIGTERM: stop at once, roll back the running migration, release the lock. */
  signal?: AbortSignal;
  /** Told once when the lock is held by someone else, with who when the server can tell. */
  onLockWait?(text: string): void;
}

export async function migrate(conn: Connection, opts: MigrateRequest): Promise<RunResult> {
  const pendingUpTo = (state: Loaded): string[] => {
    const pending = state.entries.filter((e) => e.state === 'pending').map((e) => e.name);
    if (!opts.to) return pending;
    const target = resolveTarget(state, opts.to);
    const i = pending.indexOf(target);
    return i < 0 ? [] : pending.slice(0, i + 1);
  };
  // A bad --to or --accept-changed, or an edited applied migration, stops the run before anything is locked or created.
  const before = await loadState(conn);
  const acceptedNames = new Set(acceptedDrift(before.entries, opts.acceptChanged ?? []).map((e) => e.name));
  const accepting = (state: Loaded) => state.entries.filter((e) => acceptedNames.has(e.name) && (e.state === 'changed' || e.state === 'missing'));
  refuseDrift(before.entries, accepting(before), conn.config.schemaName);
  if (opts.dryRun) return { dryRun: true, migrations: plan(before, pendingUpTo(before), 'up') };
  pendingUpTo(before);
  return withLock(conn, async (lock) => {
    await ensureBookkeeping(conn);
    let state = await loadState(conn); // read under the lock: another run may have just finished
    refuseDrift(state.entries, accepting(state), conn.config.schemaName);
    const accepted = accepting(state).length ? await recordAccepted(conn, accepting(state), state.migrations) : [];
    if (accepted.length) state = await loadState(conn);
    const todo = pendingUpTo(state);
    // One batch, as `latest` makes it; with --to, Knex sees only the migrations up to the target.
    const applied = new Set(state.entries.filter((e) => e.state !== 'pending').map((e) => e.name));
    const interrupt = opts.signal ? new MigrationInterrupt(opts.signal, conn.config.target.engine) : undefined;
    const timings = new Map<string, number>();
    const cfg = migratorConfig(conn, state, state.migrations.filter((m) => applied.has(m.name) || todo.includes(m.name)), interrupt, timings);
    const disarm = interrupt?.arm(lock);
    try {
      interrupt?.check();
      if (todo.length) await conn.knex.migrate.latest(cfg);
    } catch (err) {
      const now = new Set((await readApplied(conn).catch(() => [])).map((a) => a.name));
      const done = todo.filter((n) => now.has(n));
      const failed = todo.find((n) => !now.has(n));
      if (opts.signal?.aborted) throw interrupted(conn, opts.signal.reason as Error, done, interrupt?.current ?? failed ?? null, err);
      throw failure(conn, err, done, failed);
    } finally {
      disarm?.();
    }
    const migrations = plan(state, todo, 'up').map((p) => ({ ...p, ...(timings.has(p.name) ? { ms: timings.get(p.name) } : {}) }));
    return { dryRun: false, migrations, ...(opts.acceptChanged ? { accepted } : {}) };
  }, opts.signal, opts.onLockWait);
}

/** Undo the last batch, the last `steps` migrations, or all of them. */
export async function rollback(
  conn: Connection,
  opts: { steps?: number; all?: boolean; dryRun?: boolean },
): Promise<RunResult> {
  const toRevert = (state: Loaded): string[] => {
    const applied = state.entries.filter((e) => e.state !== 'pending');
    if (opts.all) return applied.map((e) => e.name).reverse();
    if (opts.steps !== undefined) return applied.slice(-opts.steps).map((e) => e.name).reverse();
    const last = Math.max(...applied.map((e) => e.batch ?? 0));
    return applied.filter((e) => e.batch === last).map((e) => e.name).reverse();
  };
  const first = await loadState(conn);
  const missing = first.entries.filter((e) => e.state === 'missing' && toRevert(first).includes(e.name));
  if (missing.length) {
    throw new UsageError(`cannot roll back ${missing.map((m) => m.name).join(', ')}: the migration file is missing`);
  }
  if (opts.dryRun) return { dryRun: true, migrations: plan(first, toRevert(first), 'down') };
  return withLock(conn, async () => {
    const state = await loadState(conn);
    const todo = toRevert(state);
    const cfg = migratorConfig(conn, state);
    try {
      for (const name of todo) await conn.knex.migrate.down({ ...cfg, name });
    } catch (err) {
      const still = new Set((await readApplied(conn).catch(() => [])).map((a) => a.name));
      const failed = todo.find((n) => still.has(n));
      const reverted = todo.filter((n) => !still.has(n));
      throw new SqlError(
        `rolling back ${failed ?? 'a migration'} failed: ${engineMessage(err)}; reverted before it: ${reverted.join(', ') || 'none'}`,
        { cause: err },
      );
    }
    return { dryRun: false, migrations: plan(state, todo, 'down') };
  });
}
