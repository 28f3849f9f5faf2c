/**
 * `seed` against an open session: take the namespace's seed lock, check the
 * tables, apply the mode (refuse a non-empty schema, empty it, or append),
 * then load chunk by chunk over a few connections. A failure or an
 * interrupt takes back, by key, what the run committed, and says what state
 * the database is in.
 */
import { dialectFor } from '../engines/sql-dialects.js';
import { engineFor } from '../engines/index.js';
import type { EngineName } from '../port/engine.js';
import { DbkitError, ExitCode, InterruptedError, SqlError, UsageError } from '../shared/errors.js';
import { driverExitCode, driverLine, isServerError } from '../connection/driver-errors.js';
import type { Session } from '../db/connect.js';
import type { Dialect } from '../schema/model.js';
import { generators } from '../../seeds/index.js';
import { Ledger } from './ledger.js';
import { acquireSeedLock } from './lock.js';
import { seedLockWaitError } from './lock-wait.js';
import type { SeedLayout } from './layout.js';
import { takeBack, type UndoContext } from './undo.js';
import { openWriter } from './bulk.js';
import type { Chunk, GenerateSpec } from './generate.js';
import { chunkSource, seedRows, workerFile, type SeedTotals } from './seeder.js';
import { SeedTarget, type ForeignKeyRef } from './target.js';
import type { Counts, SeedGenerator } from '../fake/types.js';

export type SeedMode = 'fresh' | 'truncate' | 'append';

export interface SeedRequest {
  schema: string;
  dialect: Dialect;
  users: number;
  seed: number;
  mode: SeedMode;
  /** What is written, table by table (seedLayout: from the expected model). */
  layout: SeedLayout;
  /** The config file's counts for this schema (validated against the generator's). */
  counts?: Record<string, number>;
  signal?: AbortSignal;
  /** Connections that load at once (see loadConnections). */
  connections: number;
  /** Open another session on the same database (for parallel loading). */
  openSession(): Promise<Session>;
  /** Called before rows are deleted (--truncate on a non-empty schema); throws to refuse. */
  confirmTruncate(filled: string[]): Promise<void>;
  onProgress?(usersDone: number, rows: number): void;
  /** Told once when another seed holds the lock of this namespace and this run waits for it. */
  onLockWait?(text: string): void;
  debug(text: string): void;
  /** Started before the first session was open (see startSeed); the caller disposes of it. */
  prelude?: SeedPrelude;
}

export interface SeedOutcome extends SeedTotals {
  method: string;
  /** The ordinal of the first user added (usernames end with it). */
  firstUser: number;
  /** How foreign keys were enforced: per row by the engine, or by one set-based check before commit. */
  foreignKeys: 'checked per row' | 'checked after load';
  /** Tables of the schema that were not seeded, and why. */
  skipped: SeedLayout['skipped'];
}

/** Every single-column foreign key of the tables a layout loads. */
export const foreignKeys = (layout: SeedLayout): ForeignKeyRef[] =>
  layout.tables.flatMap((t) => t.columns.filter((c) => c.ref && !c.soft).map((c) => ({ table: t.name, column: c.name, parent: c.ref! })));

export function seedCounts(generator: SeedGenerator, overrides: Record<string, number> = {}): Counts {
  const known = Object.keys(generator.defaults);
  for (const key of Object.keys(overrides)) {
    if (!known.includes(key)) {
      throw new UsageError(`config file: unknown seed count "${generator.schema}.${key}" (known: ${known.join(', ')})`);
    }
  }
  return { ...generator.defaults, ...overrides };
}

/**
 * How many connections load at once. PostgreSQL: one per core, at least 3
 * (the server works while dbkit generates; 2 to 4 measured alike on 2
 * cores, 1 slower), at most 4, chunk by chunk.
 * MySQL: one per table, each streaming its table (see
 * dialects/mysql/load-stream.ts; without LOCAL INFILE they load chunks).
 * PGlite: its one. (Streaming per table on PostgreSQL measured slower than
 * chunks over two connections.)
 */
export function loadConnections(engine: EngineName, layout: SeedLayout): number {
  return engineFor(engine).seed.loadConnections(layout.tables.length);
}

/**
 * What a run can start before its first connection is open: the generator
 * (not for --append, which first learns where to continue) and the extra
 * loading sessions. dispose() stops and closes whatever was not used.
 */
export interface SeedPrelude {
  early: AsyncGenerator<Chunk> | null;
  extra: Promise<Session[]>;
  dispose(): Promise<void>;
}

export function startSeed(req: Omit<SeedRequest, 'prelude'>): SeedPrelude {
  const generator = generators[req.schema];
  if (!generator) throw new UsageError(`no seed generator for schema ${req.schema}`);
  const counts = seedCounts(generator, req.counts);
  const extra = Promise.all(Array.from({ length: req.connections - 1 }, () => req.openSession()));
  extra.catch(() => undefined);
  const worker = workerFile();
  req.debug(`seed: generating ${worker ? `in a worker thread (${worker.pathname.split('/').pop()})` : 'on the loading thread'}`);
  const early = req.mode === 'append' ? null : chunkSource(specFor(req, counts, 0, {}));
  return {
    early,
    extra,
    async dispose() {
      await early?.return(undefined);
      const sessions = await extra.catch(() => []);
      await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
    },
  };
}

export async function seedDatabase(session: Session, req: SeedRequest): Promise<SeedOutcome> {
  const generator = generators[req.schema];
  if (!generator) throw new UsageError(`no seed generator for schema ${req.schema}`);
  const counts = seedCounts(generator, req.counts);
  const target = new SeedTarget(session.sql, req.dialect, session.namespace, req.layout.tables.map((t) => t.name), session.config.lockTimeoutMs);

  // The other connections get ready while the tables are checked; so does the generator (a refused run stops it unused).
  const prelude = req.prelude ?? startSeed(req);
  try {
    // The seed lock is taken while the tables are looked up, and held until the run has committed or taken back its rows.
    const { target: where, lockTimeoutMs } = session.config;
    const locking = acquireSeedLock(where, session.namespace, { timeoutMs: lockTimeoutMs, signal: req.signal, onWait: req.onLockWait });
    const [missing, lock] = await Promise.allSettled([target.missingTables(), locking]);
    if (lock.status === 'rejected') {
      const err = lock.reason as Error;
      throw err instanceof InterruptedError ? Object.assign(err, { message: `${err.message} while waiting for the seed lock; nothing was written` }) : err;
    }
    req.debug(`seed: holding the seed lock of ${session.namespace}`);
    try {
      if (missing.status === 'rejected') throw missing.reason;
      if (missing.value.length) {
        throw new UsageError(`${req.schema} is not migrated in ${session.namespace} (missing ${missing.value.join(', ')}): run dbkit migrate first`);
      }
      return await seedLocked(session, req, target, counts, prelude.extra, prelude.early);
    } finally {
      await lock.value.release();
    }
  } finally {
    if (!req.prelude) await prelude.dispose();
  }
}

const specFor = (req: SeedRequest, counts: Counts, firstOrdinal: number, idBase: Record<string, number>): GenerateSpec => ({
  schema: req.schema,
  dialect: req.dialect,
  seed: req.seed,
  users: req.users,
  counts,
  firstOrdinal,
  idBase,
  shared: req.mode !== 'append',
  layout: req.layout,
});

/**
 * Holding the seed lock: check the tables for rows and apply the mode,
 * then load. Whatever fails from here on (or an interrupt) ends in an error
 * that says what the database holds: nothing written, or what was written
 * taken back by key (see src/seed/undo.ts).
 */
async function seedLocked(
  session: Session,
  req: SeedRequest,
  target: SeedTarget,
  counts: Counts,
  extraReady: Promise<Session[]>,
  early: AsyncGenerator<Chunk> | null,
): Promise<SeedOutcome> {
  const tables = target.tables;
  const ledger = new Ledger();
  const emptied: string[] = [];
  const undo: UndoContext = { ledger, layout: req.layout, mode: req.mode, emptied, ordinals: { first: 1, last: req.users }, debug: req.debug };
  const t0 = performance.now();
  const since = () => `${Math.round(performance.now() - t0)} ms`;
  try {
    const filled = await target.filledTables();
    if (filled.length && req.mode === 'fresh') {
      throw new UsageError(
        `${session.namespace} already holds ${req.schema} data (${filled.join(', ')}): pass --truncate to empty those tables first, or --append to add to them`,
      );
    }
    if (filled.length && req.mode === 'truncate') await req.confirmTruncate(filled);
    const append = req.mode === 'append';
    const firstOrdinal = append ? await target.count('users') : 0;
    const idBase = append && dialectFor(req.dialect).seedSql.continuesIds ? await target.maxIds() : {};
    undo.ordinals = { first: firstOrdinal + 1, last: firstOrdinal + req.users };
    const sessions = [session, ...(await extraReady)];
    const writers = await Promise.all(sessions.map((s) => openWriter(s.sql, s.namespace, req.debug, s.config.lockTimeoutMs)));
    if (req.mode === 'truncate' && filled.length) {
      await target.truncate(emptied);
      req.debug(`seed: emptied ${tables.join(', ')} (${since()})`);
    }
    const skipChecks = writers.every((w) => w.skipsForeignKeyChecks);
    req.debug(`seed: ${writers.length} connection(s); per-row foreign-key checks ${skipChecks ? 'skipped, one set-based check after loading' : 'on'}`);
    const spec = specFor(req, counts, firstOrdinal, idBase);
    let told = false;
    const onProgress = (users: number, rows: number) => {
      // Once: from here on an interrupt has committed rows to take back (chunk by chunk; a stream per table commits at the end).
      if (!told && ledger.commits) req.debug(`seed: rows of ${users} users committed (${since()})`);
      told ||= ledger.commits > 0;
      req.onProgress?.(users, rows);
    };
    const totals = await seedRows({ ...spec, signal: req.signal, ledger, onProgress }, writers, early ?? chunkSource(spec));
    req.debug(`seed: ${totals.rows} rows loaded (${since()})`);
    if (skipChecks) {
      const broken = await target.brokenForeignKeys(foreignKeys(req.layout), sessions.map((s) => s.sql));
      if (broken.length) throw new SqlError(`rows break foreign keys ${broken.join(', ')}`);
      req.debug(`seed: foreign keys checked (${since()})`);
    }
    return {
      ...totals,
      method: writers[0]!.method,
      firstUser: firstOrdinal + 1,
      foreignKeys: skipChecks ? 'checked after load' : 'checked per row',
      skipped: req.layout.skipped,
    };
  } catch (caught) {
    // A refusal before anything was changed is said as it is.
    if (caught instanceof UsageError && ledger.empty && !emptied.length) throw caught;
    // A lock wait that ran out (--lock-timeout): exit 4 naming the table and who holds it, asked before the take-back.
    const err = await seedLockWaitError(target.place(), caught, { tables, need: 'read', doing: 'seeding' });
    const state = await takeBack(target, undo, async () => {
      const fresh = await req.openSession();
      return { target: new SeedTarget(fresh.sql, req.dialect, fresh.namespace, tables, fresh.config.lockTimeoutMs), close: () => fresh.close() };
    });
    throw failure(err, state);
  }
}

/**
 * The error to throw: the original (with its exit code, interrupts included)
 * or, for a server's error, the code of the README's table (read-only 6,
 * privilege 7; else 5) and the server's words (its DETAIL and HINT too), with
 * the state appended.
 */
function failure(err: unknown, state: string): Error {
  if (err instanceof DbkitError) return Object.assign(err, { message: `${err.message}; ${state}` });
  const why = isServerError(err) ? driverLine(err) : err instanceof Error ? err.message : String(err);
  const code = driverExitCode(err) ?? ExitCode.sql;
  const message = `seeding failed: ${why}; ${state}`;
  return code === ExitCode.sql ? new SqlError(message, { cause: err }) : new DbkitError(message, code, { cause: err });
}
