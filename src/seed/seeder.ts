/**
 * The streaming seeder: chunks of users come from the generator (a worker
 * thread when the build has one, so generating and loading use two cores)
 * and each chunk is bulk-loaded table by table, parents first, in a
 * transaction of its own, on whichever connection is free. User trees never
 * reference each other, so chunks load in parallel; memory stays bounded by
 * the chunks in flight, not by the run. Undoing a failed run is the
 * caller's job (src/seed/seed.ts): the keys of every transaction sent its
 * COMMIT are recorded in the run's ledger first, and only those.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BulkWriter, TableStream } from '../port/bulk.js';
import { generateChunks, type Chunk, type GenerateSpec } from './generate.js';
import type { IdsByTable, Ledger } from './ledger.js';
import type { IdValue } from '../fake/types.js';
import { tagLockWait } from './lock-wait.js';

/** `fn` loading `table`: a lock wait that runs out says so (see lock-wait.ts). */
async function loading<T>(table: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw tagLockWait(err, [table], 'write', `loading ${table}`);
  }
}

export interface SeedRun extends GenerateSpec {
  signal?: AbortSignal;
  /** The keys of what may be committed (recorded before each COMMIT is sent). */
  ledger: Ledger;
  onProgress?(usersDone: number, rows: number): void;
}

export interface SeedTotals {
  tables: Record<string, number>;
  rows: number;
}

function interrupted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('interrupted');
}

/** Loads chunks on a set of writers, one chunk per writer at a time. */
class LoaderPool {
  private readonly idle: BulkWriter[];
  private readonly inflight = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  constructor(
    writers: readonly BulkWriter[],
    private readonly load: (w: BulkWriter, chunk: Chunk) => Promise<void>,
  ) {
    this.idle = [...writers];
  }

  /** Hand a chunk to a free writer, waiting for one; throws the first load failure. */
  async submit(chunk: Chunk): Promise<void> {
    while (!this.idle.length && !this.failure) await Promise.race(this.inflight);
    if (this.failure) throw this.failure.error;
    const writer = this.idle.pop()!;
    const job: Promise<void> = this.load(writer, chunk).then(
      () => void this.idle.push(writer),
      (error: unknown) => void (this.failure ??= { error }),
    );
    this.inflight.add(job);
    void job.finally(() => this.inflight.delete(job));
  }

  /** Wait for every chunk in flight; throws the first load failure. */
  async drain(): Promise<void> {
    await Promise.all(this.inflight);
    if (this.failure) throw this.failure.error;
  }
}

/**
 * The generator's young generation, capped: left to itself V8 grows it
 * towards 48 MB over a long run, and peak memory would grow with the number
 * of users (measured: 4,000 users 160 MB against 400 users 105 MB; capped,
 * 137 MB against 104 MB, at the same speed).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The bundled worker, if the build made one: one CommonJS file
 * (dist/cli/seed-worker.cjs, beside the command folders this module is
 * bundled into: dist/cli/<command>/), which a new thread loads about 20 ms
 * sooner than ES modules (no module loader to start there).
 */
export function workerFile(): URL | null {
  const url = new URL('../seed-worker.cjs', import.meta.url);
  return url.protocol === 'file:' && fs.existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Chunks from a worker thread: generation runs on another core while this
 * thread loads. The worker starts at once (it may get ahead while the
 * database is still being checked); return() stops it, iterated or not.
 */
function workerChunks(file: URL, spec: GenerateSpec): AsyncGenerator<Chunk> {
  const worker = new Worker(file, { workerData: spec, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  const queue: ({ chunk: Chunk } | { done: true } | { error: unknown } | { failed: string })[] = [];
  let wake: (() => void) | null = null;
  const push = (m: (typeof queue)[number]) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (error) => push({ error }));
  worker.on('exit', (code) => push(code === 0 ? { done: true } : { error: new Error(`seed worker exited with code ${code}`) }));

  async function* iterate(): AsyncGenerator<Chunk> {
    try {
      for (;;) {
        while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
        const m = queue.shift()!;
        if ('error' in m) throw m.error;
        if ('failed' in m) throw new Error(`seed generator failed: ${m.failed.split('\n')[0]}`, { cause: m.failed });
        if ('done' in m) return;
        worker.postMessage({ credit: true });
        // Transferred bytes arrive as Uint8Array: view them as Buffers again (no copy).
        for (const t of m.chunk.tables) t.data.pieces = t.data.pieces.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength));
        const buffers = [...new Set(m.chunk.tables.flatMap((t) => t.data.pieces.map((p) => p.buffer as ArrayBuffer)))];
        // Loaded means written and acknowledged by the server: the bytes go back to be reused.
        m.chunk.release = () => worker.postMessage({ recycle: buffers }, buffers);
        yield m.chunk;
      }
    } finally {
      await worker.terminate();
    }
  }
  const chunks = iterate();
  const stop = chunks.return.bind(chunks);
  chunks.return = async (value) => {
    await worker.terminate();
    return stop(value);
  };
  return chunks;
}

/** Where chunks come from: the worker thread, or this thread when there is no worker file (tests on the sources). */
export function chunkSource(spec: GenerateSpec, inline = false): AsyncGenerator<Chunk> {
  const file = inline ? null : workerFile();
  return file ? workerChunks(file, spec) : generateChunks(spec);
}

/** The plain-data part of a run, the worker's input (functions and signals do not cross threads). */
export const specOf = (run: SeedRun): GenerateSpec => ({
  schema: run.schema,
  dialect: run.dialect,
  seed: run.seed,
  users: run.users,
  counts: run.counts,
  firstOrdinal: run.firstOrdinal,
  idBase: run.idBase,
  shared: run.shared,
  layout: run.layout,
});

export async function seedRows(run: SeedRun, writers: readonly BulkWriter[], chunks = chunkSource(specOf(run))): Promise<SeedTotals> {
  const tables = run.layout.tables.length;
  if (writers.length >= tables && writers.every((w) => w.openTableStream)) return seedByTable(run, writers, chunks);
  return seedByChunk(run, writers, chunks);
}

const add = (totals: SeedTotals, chunk: Chunk) => {
  for (const t of chunk.tables) {
    totals.tables[t.name] = (totals.tables[t.name] ?? 0) + t.data.rows;
    totals.rows += t.data.rows;
  }
};

/** One statement per table for the whole run, each on its own connection (see BulkWriter.openTableStream). */
async function seedByTable(run: SeedRun, writers: readonly BulkWriter[], chunks: AsyncGenerator<Chunk>): Promise<SeedTotals> {
  const totals: SeedTotals = { tables: {}, rows: 0 };
  const streams = new Map<string, TableStream>();
  // The keys of each table's rows, recorded in the ledger when that table's statement commits.
  const userIds: IdValue[] = [];
  const owned: IdsByTable = {};
  const shared: IdsByTable = {};
  const collect = (into: IdsByTable, from: IdsByTable) => {
    for (const [t, ids] of Object.entries(from)) for (const id of ids) (into[t] ??= []).push(id);
  };
  let users = 0;
  try {
    for await (const chunk of chunks) {
      interrupted(run.signal);
      for (const id of chunk.userIds) userIds.push(id);
      collect(owned, chunk.owned);
      collect(shared, chunk.shared);
      for (const [i, t] of chunk.tables.entries()) {
        if (!streams.has(t.name)) streams.set(t.name, await loading(t.name, () => writers[i]!.openTableStream!(t.name, t.columns)));
      }
      await Promise.all(chunk.tables.filter((t) => t.data.rows).map((t) => loading(t.name, () => streams.get(t.name)!.push(t.data.pieces))));
      chunk.release?.();
      add(totals, chunk);
      users += chunk.userIds.length;
      run.onProgress?.(users, totals.rows);
    }
    interrupted(run.signal);
    // Every table's statement must have gone through before any commits: all of the run, or none of it.
    await Promise.all([...streams].map(([name, stream]) => loading(name, () => stream.finish(totals.tables[name] ?? 0))));
    // Then parents first, one after another: a COMMIT that fails leaves no child row without its parent.
    for (const [name, stream] of streams) {
      run.ledger.record({
        users: name === 'users' ? userIds : undefined,
        owned: owned[name] ? { [name]: owned[name] } : undefined,
        shared: shared[name] ? { [name]: shared[name] } : undefined,
      });
      await stream.commit();
    }
  } catch (err) {
    await chunks.return(undefined);
    await Promise.all([...streams.values()].map((s) => s.abort()));
    throw err;
  }
  return totals;
}

async function seedByChunk(run: SeedRun, writers: readonly BulkWriter[], chunks: AsyncGenerator<Chunk>): Promise<SeedTotals> {
  const totals: SeedTotals = { tables: {}, rows: 0 };
  let usersLoaded = 0;

  /** One chunk, one transaction: every table in order, parents first. */
  const pool = new LoaderPool(writers, async (writer, chunk) => {
    await writer.begin();
    try {
      for (const t of chunk.tables) if (t.data.rows) await loading(t.name, () => writer.load(t.name, t.columns, t.data));
      run.ledger.record({ users: chunk.userIds, owned: chunk.owned, shared: chunk.shared });
      await writer.commit();
    } catch (err) {
      await writer.rollback().catch(() => undefined);
      throw err;
    }
    add(totals, chunk);
    chunk.release?.();
    usersLoaded += chunk.userIds.length;
    run.onProgress?.(usersLoaded, totals.rows);
  });

  try {
    for await (const chunk of chunks) {
      // A turn of the event loop per chunk: where a load never waits for I/O (PGlite runs in this
      // thread) the chunks would otherwise follow each other in one long run of promise callbacks,
      // and Ctrl-C (a signal handler) would be seen only at the end of the load.
      await new Promise<void>((resolve) => setImmediate(resolve));
      interrupted(run.signal);
      await pool.submit(chunk);
    }
  } finally {
    await chunks.return(undefined); // stops the worker when loading stopped early
    await pool.drain().catch(() => undefined); // nothing left running on the connections, whatever happened
  }
  await pool.drain();
  interrupted(run.signal);
  return totals;
}
