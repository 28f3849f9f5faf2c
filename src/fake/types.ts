/**
 * What a fake-data generator (seeds/<schema>/) declares and what it is
 * given. Generators know nothing of engines: they emit rows of logical
 * values (ids, strings, numbers, epoch-millisecond times, JSON objects,
 * string arrays) in the column order they declare, and the seeder encodes
 * and bulk-loads them.
 */
import type { Dialect } from '../schema/model.js';
import type { Pools } from './pools.js';
import type { Rng } from './random.js';
import type { Uuid } from '../rows/uuid.js';

/** An id as generators hold it: a Uuid (PostgreSQL variants; `${id}` is its text) or a number (MySQL variants). */
export type Id = Uuid | number;

/** An id as the database and other threads see it: the UUID's text, or the number. */
export type IdValue = string | number;

/** One row: values in the table's declared column order. */
export type Row = unknown[];

export interface SeedTable {
  name: string;
  columns: readonly string[];
  /**
   * The columns that hold another of the generator's tables' ids, and which
   * table: a value is loaded as written only while the column still points
   * at that table (renamed or not); otherwise the seeder picks one of the
   * same user's rows of what it points at now.
   */
  refs?: Readonly<Record<string, string>>;
  /** Columns whose values never repeat, across --append runs too: a UNIQUE added on them since needs no tag. */
  distinct?: readonly string[];
}

/** Per-parent counts (means; each parent gets a count around it). */
export type Counts = Record<string, number>;

export interface GeneratorContext {
  seed: number;
  dialect: Dialect;
  /** Every generated time lies before this instant (fixed, so a seed reproduces). */
  refTime: number;
  pools: Pools;
  counts: Counts;
}

/** What a generator writes through: ids, rows, a random stream. */
export interface Scope {
  ctx: GeneratorContext;
  rng: Rng;
  /** The next id of a table. */
  id(table: string): Id;
  /** Add a finished row to a table (it is encoded at once: emit a parent after computing all of it). */
  emit(table: string, row: Row): void;
}

/** A user's scope: also their ordinal (1-based, across runs) and password hash. */
export interface UserScope extends Scope {
  ordinal: number;
  passwordHash: string;
}

export interface SeedGenerator {
  schema: string;
  /**
   * The migration whose snapshot the generator was written against: the
   * renames and drops of later migrations carry its table and column names
   * to the current ones, and its column types tell which values need
   * adapting (a narrower varchar, an enum label removed, a new UNIQUE or NOT
   * NULL). See src/seed/renames.ts and src/seed/layout-columns.ts.
   */
  writtenFor: string;
  /** Tables in an order that satisfies every foreign key. */
  tables: readonly SeedTable[];
  /** Default per-parent counts; the config file's `seed.<schema>` overrides them. */
  defaults: Counts;
  /** Rows no user owns (written once, before the users; skipped with --append). */
  shared?(scope: Scope): void;
  /** One user and everything that belongs to them. */
  user(scope: UserScope): void;
}
