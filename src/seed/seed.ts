/**
 * `seed` against an open session: check the tables, apply the mode (refuse
 * a non-empty schema, empty it, or append), then load chunk by chunk over a
 * few connections. A failure or an interrupt undoes what the run committed
 * and says what state the database is in.
 */
import { availableParallelism } from 'node:os';
import { DbkitError, SqlError, UsageError } from '../cli/errors.js';
import type { Session } from '../db/connect.js';
import type { Dialect } from '../schema/model.js';
import { generators } from '../../seeds/index.js';
import { openWriter } from './bulk.js';
import type { Chunk, GenerateSpec } from './generate.js';
import { chunkSource, seedRows, workerFile, type SeedTotals } from './seeder.js';
import { SeedTarget, type ForeignKeyRef } from './target.js';
import { schemas } from '../schema/registry.js';
import type { Counts, IdValue, SeedGenerator } from './types.js';

export type SeedMode = 'fresh' | 'truncate' | 'append';

export interface SeedRequest {
  schema: string;
  dialect: Dialect;
  users: number;
  seed: number;
  mode: SeedMode;
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
  debug(text: string): void;
  /** Started before the first session was open (see startSeed); the caller disposes of it. */
  prelude?: SeedPrelude;
}

export interface SeedOutcome extends SeedTotals {
  method: string;
  /** How foreign keys were enforced: per row by the engine, or by one set-based check before commit. */
  foreignKeys: 'checked per row' | 'checked after load';
}

/** Every foreign key of a schema definition. */
export const foreignKeys = (schema: string): ForeignKeyRef[] =>
  schemas[schema]!.tables.flatMap((t) => t.columns.filter((c) => c.references).map((c) => ({ table: t.name, column: c.name, parent: c.references!.table })));

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
export function loadConnections(engine: string, schema: string): number {
  if (engine === 'pglite') return 1;
  if (engine === 'mysql') return schemas[schema]!.tables.length;
  return Math.min(4, Math.max(3, availableParallelism()));
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
  const target = new SeedTarget(session.sql, req.dialect, session.namespace, generator.tables.map((t) => t.name));

  // The other connections get ready while the tables are checked; so does the generator (a refused run stops it unused).
  const prelude = req.prelude ?? startSeed(req);
  try {
    return await seedChecked(session, req, target, counts, prelude.extra, prelude.early);
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
});

async function seedChecked(
  session: Session,
  req: SeedRequest,
  target: SeedTarget,
  counts: Counts,
  extraReady: Promise<Session[]>,
  early: AsyncGenerator<Chunk> | null,
): Promise<SeedOutcome> {
  const tables = target.tables;
  const missing = await target.missingTables();
  if (missing.length) {
    throw new UsageError(`${req.schema} is not migrated in ${session.namespace} (missing ${missing.join(', ')}): run dbkit migrate first`);
  }
  const filled = await target.filledTables();
  if (filled.length && req.mode === 'fresh') {
    throw new UsageError(
      `${session.namespace} already holds ${req.schema} data (${filled.join(', ')}): pass --truncate to empty those tables first, or --append to add to them`,
    );
  }
  if (filled.length && req.mode === 'truncate') await req.confirmTruncate(filled);

  const append = req.mode === 'append';
  const firstOrdinal = append ? await target.count('users') : 0;
  const idBase = append && req.dialect === 'mysql' ? await target.maxIds() : {};
  const sessions = [session, ...(await extraReady)];
  const userIds: IdValue[] = [];
  const t0 = performance.now();
  const since = () => `${Math.round(performance.now() - t0)} ms`;
  const writers = await Promise.all(sessions.map((s) => openWriter(s.sql, s.namespace, req.debug)));
  if (req.mode === 'truncate' && filled.length) {
    await target.truncate();
    req.debug(`seed: emptied ${tables.join(', ')} (${since()})`);
  }
  const skipChecks = writers.every((w) => w.skipsForeignKeyChecks);
  req.debug(`seed: ${writers.length} connection(s); per-row foreign-key checks ${skipChecks ? 'skipped, one set-based check after loading' : 'on'}`);
  try {
    const spec = specFor(req, counts, firstOrdinal, idBase);
    const totals = await seedRows({ ...spec, signal: req.signal, userIds, onProgress: req.onProgress }, writers, early ?? chunkSource(spec));
    req.debug(`seed: ${totals.rows} rows loaded (${since()})`);
    if (skipChecks) {
      const broken = await target.brokenForeignKeys(foreignKeys(req.schema), sessions.map((s) => s.sql));
      if (broken.length) throw new SqlError(`rows break foreign keys ${broken.join(', ')}`);
      req.debug(`seed: foreign keys checked (${since()})`);
    }
    return { ...totals, method: writers[0]!.method, foreignKeys: skipChecks ? 'checked after load' : 'checked per row' };
  } catch (err) {
    throw await undo(target, req.mode, userIds, err);
  }
}

/**
 * A failed or interrupted run takes back what it committed: the tables were
 * empty before a fresh or --truncate run, so they are emptied again; an
 * --append run deletes its users, and their rows go with them (every table
 * of both schemas cascades from users). Returns the error to throw.
 */
async function undo(target: SeedTarget, mode: SeedMode, userIds: IdValue[], err: unknown): Promise<Error> {
  const why = (err as Error).message;
  let state: string;
  try {
    if (mode === 'append') await target.deleteUsers(userIds);
    else await target.truncate();
    state = mode === 'append' ? 'the rows it had added were removed' : `the ${target.tables.join(', ')} tables were left empty`;
  } catch (undoErr) {
    state = `removing the rows it had added failed too (${(undoErr as Error).message}): run dbkit seed --truncate to start over`;
  }
  if (err instanceof DbkitError) return Object.assign(err, { message: `${why}; ${state}` });
  return new SqlError(`seeding failed: ${why}; ${state}`, { cause: err });
}
