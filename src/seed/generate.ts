/**
 * Generation of a seed run, chunk by chunk: each chunk is a few users and
 * everything they own, encoded as the rows are emitted (a chunk is
 * held as bytes, not objects). The same code runs in the seeding worker
 * thread (src/seed/worker.ts) or, where there is no worker file, inline.
 */
import { ROW_FLAVORS } from '../engines/row-formats.js';
import type { Dialect } from '../schema/model.js';
import { generators } from '../../seeds/index.js';
import { bulkFormat, rowsOfTypes } from './encode.js';
import { SchemaFollower } from './follow.js';
import { hashPassword } from './password.js';
import type { Alloc, EncodedRows, RowFormat } from '../rows/pieces.js';
import { buildPools, loadFaker } from '../fake/pools.js';
import { Rng } from '../fake/random.js';
import type { IdsByTable } from './ledger.js';
import type { SeedLayout } from './layout.js';
import type { Counts, GeneratorContext, Id, IdValue, Scope } from '../fake/types.js';

/** Users generated (and loaded) at a time, at most. */
export const CHUNK_USERS = 50;
/** Generated times lie before 2026-01-01 UTC, whenever the seed runs: the same seed gives the same rows. */
export const REF_TIME = Date.UTC(2026, 0, 1);

/** What to generate (plain data: it crosses to the worker thread). */
export interface GenerateSpec {
  schema: string;
  dialect: Dialect;
  seed: number;
  users: number;
  counts: Counts;
  /** Users already there (--append): new ordinals continue after them. */
  firstOrdinal: number;
  /** MySQL: the highest existing id per table (ids are assigned here, continuing from it). */
  idBase: Record<string, number>;
  /** Write rows that belong to no user (not with --append). */
  shared: boolean;
  /** How rows are encoded; by default the dialect's bulk format (src/seed/encode.ts bulkFormat). */
  format?: RowFormat;
  /**
   * What is written, table by table (src/seed/layout.ts): the loaded columns,
   * the tables no generator knows, and the tables whose rows a failed run
   * deletes by key (their ids go along with each chunk, as do the ids of
   * rows no user owns).
   */
  layout: SeedLayout;
}

export interface Chunk {
  /** Every table of the layout, parents first, with this chunk's rows. */
  tables: { name: string; columns: readonly string[]; data: EncodedRows }[];
  /** The users.id values of this chunk. */
  userIds: IdValue[];
  /** Ids of this chunk's rows in users' trees that do not cascade from their user (the layout's `record`), per table. */
  owned: IdsByTable;
  /** Ids of this chunk's rows that no user owns, per table. */
  shared: IdsByTable;
  /** Called once the chunk is loaded: its buffers may be reused. */
  release?(): void;
}

/** A seeded user's password: random, but reproducible from the seed (tests verify the hashes with it). */
export function seedPassword(seed: number, ordinal: number): { password: string; salt: Buffer } {
  const r = Rng.of(seed, 'password', ordinal);
  return { password: r.token(16), salt: r.bytes(16) };
}

/**
 * The next chunk's size: small at first (the server starts working at
 * once), doubling up to CHUNK_USERS, and smaller again towards the end (the
 * last chunks, loaded while there is nothing left to generate, are short).
 */
export function chunkSize(done: number, total: number, index: number): number {
  const ramp = 10 * 2 ** index;
  const tail = Math.ceil((total - done) / 3);
  return Math.min(total - done, Math.max(10, Math.min(CHUNK_USERS, ramp, tail)));
}

/** Where the time part of seeded UUIDv7 keys starts (2024-01-01 UTC). */
export const ID_EPOCH = Date.UTC(2024, 0, 1);

class Ids {
  private readonly next: Record<string, number>;
  private readonly uuids: boolean;
  constructor(
    dialect: Dialect,
    base: Record<string, number>,
    /** --append runs continue later (a day per user already there), so their keys sort after the earlier ones. */
    private readonly epoch: number,
  ) {
    this.next = { ...base };
    this.uuids = ROW_FLAVORS[dialect].keys === 'uuid';
  }
  /**
   * MySQL: the next integer. PostgreSQL: a version-7 UUID whose time part
   * counts the table's rows in generation order (a millisecond each, from
   * ID_EPOCH + the run's first user): each table's keys grow as rows are
   * loaded, the way rows inserted one after another get them.
   */
  id(table: string, rng: Rng): Id {
    const n = (this.next[table] = (this.next[table] ?? 0) + 1);
    return this.uuids ? rng.uuidV7(this.epoch + n) : n;
  }
}

export async function* generateChunks(spec: GenerateSpec, alloc?: Alloc): AsyncGenerator<Chunk> {
  const generator = generators[spec.schema]!;
  const { layout } = spec;
  const format = spec.format ?? bulkFormat(spec.dialect);
  const encoders = new Map(layout.tables.map((t) => [t.name, rowsOfTypes(t.columns.map((c) => c.type), spec.dialect, format)]));
  const pools = buildPools(await loadFaker(spec.seed));
  const ctx: GeneratorContext = { seed: spec.seed, dialect: spec.dialect, refTime: REF_TIME, pools, counts: spec.counts };
  const ids = new Ids(spec.dialect, spec.idBase, ID_EPOCH + spec.firstOrdinal * 86_400_000);
  const follower = new SchemaFollower(layout, ctx, (table, rng) => ids.id(table, rng), spec.firstOrdinal);
  const recording = layout.tables.some((t) => t.record);
  // Keys are counted per table by its current name (MySQL ids continue after that table's largest);
  // a generator's table that is gone keeps a counter of its own, apart from any new table of its old name.
  const current = new Map(layout.tables.filter((t) => t.source).map((t) => [t.source!, t.name]));
  const keyOf = (generatorTable: string) => current.get(generatorTable) ?? `\0${generatorTable}`;
  const columns = layout.tables.map((t) => t.columns.map((c) => c.name));

  for (let start = 0, index = 0; start < spec.users; index++) {
    const out = new Map(layout.tables.map((t) => [t.name, encoders.get(t.name)!(alloc)]));
    const userIds: IdValue[] = [];
    const owned: IdsByTable = {};
    const shared: IdsByTable = {};
    const base = (rng: Rng): Scope => ({
      ctx,
      rng,
      id: (table) => {
        const id = ids.id(keyOf(table), rng);
        if (table === 'users') userIds.push(typeof id === 'number' ? id : String(id));
        return id;
      },
      emit: () => undefined, // replaced by the follower's
    });
    // Rows no user owns travel with the first chunk (the generator's only when not appending; generic ones always).
    if (start === 0) {
      const { scope, finish } = follower.open(base(Rng.of(spec.seed, 'shared')), out, shared, { shared: true });
      if (spec.shared) generator.shared?.(scope);
      finish();
    }
    const size = chunkSize(start, spec.users, index);
    const ordinals = Array.from({ length: size }, (_, i) => spec.firstOrdinal + start + i + 1);
    start += size;
    const hashes = await Promise.all(ordinals.map((o) => seedPassword(spec.seed, o)).map((p) => hashPassword(p.password, p.salt)));
    for (let i = 0; i < ordinals.length; i++) {
      const ordinal = ordinals[i]!;
      const { scope, finish } = follower.open(base(Rng.of(spec.seed, 'user', ordinal)), out, recording ? owned : null, { ordinal });
      generator.user({ ...scope, ordinal, passwordHash: hashes[i]! });
      finish();
    }
    const tables = layout.tables.map((t, k) => {
      const { pieces, rows } = out.get(t.name)!.flush();
      return { name: t.name, columns: columns[k]!, data: { format, pieces, rows } }; // plain data: it may cross to another thread
    });
    yield { tables, userIds, owned, shared };
  }
}
