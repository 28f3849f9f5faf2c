/**
 * The shapes of a seed layout (src/seed/layout.ts): what a run writes, table by
 * table. Plain data: the layout crosses to the generating thread.
 */
import type { LogicalType } from '../schema/definition.js';
import type { Dialect } from '../schema/model.js';
import type { Hop } from '../rows/coverage.js';
import type { ForeignKeyRef } from './target.js';

/** How a generator's value is made to fit what its column became since the generator was written. */
export interface Adapt {
  /** Strings cut to this many characters (a narrower varchar). */
  maxLength?: number;
  /** A value that is not one of these labels is replaced by one (an enum label removed, a text column made an enum). */
  labels?: string[];
  /** Whole numbers kept inside this range (a narrower integer type). */
  range?: [number, number];
  /** NULL gets a believable value (the column became NOT NULL). */
  fillNulls?: true;
  /** Values carry the row's tag (the column became unique). */
  unique?: true;
}

export interface LayoutColumn {
  name: string;
  type: LogicalType;
  nullable: boolean;
  /** Alone, or with others, under a unique constraint or index: generated values must not repeat. */
  unique: boolean;
  /** The table a single-column foreign key points at; with `soft`, the table the column's name names. */
  ref?: string;
  /** A reference column without a foreign key (`session_id` -> sessions, read from its name): picked like one, never checked. */
  soft?: true;
  /** Filled here with NULL: its foreign key points at a table loaded after this one (a cycle, broken here). */
  detached?: true;
  /** Filled here with a random key: a NOT NULL reference column without a foreign key whose name names no table. */
  randomKey?: true;
  /** The generator's value, adapted (see Adapt). */
  adapt?: Adapt;
}

export interface LayoutTable {
  name: string;
  /** The generator's table whose rows these are, by the generator's name (before any rename); absent: no generator knows the table. */
  source?: string;
  /** The columns rows are loaded with, in row order. */
  columns: LayoutColumn[];
  /**
   * For each loaded column, its position in the generator's row, or -1 when
   * it is filled here. Null: the generator's rows are loaded as they are.
   */
  from: number[] | null;
  /** No generator knows the table: `user` rows (per user) or `shared` ones (no user's). */
  generic?: 'user' | 'shared';
  /** Its rows in users' trees do not cascade from their user: a failed run deletes them by id. */
  record: boolean;
  /** Its rows belong to a user by the schema: the path of NOT NULL cascading foreign keys up to users (src/rows/coverage.ts). */
  path?: Hop[];
  /** Some column filled here references another table: the rows wait until the user's other rows exist. */
  defer: boolean;
  /** Another table's filled reference points here: the ids of its rows are kept while a user is generated. */
  tracked: boolean;
  /** Some reference (the generator's or a filled one) points here: a row of it cannot be left out. */
  referenced: boolean;
}

export interface SeedLayout {
  schema: string;
  dialect: Dialect;
  tables: LayoutTable[];
  /** Tables of the model that are not seeded, and why. */
  skipped: { table: string; reason: string }[];
  /** Every foreign key of the model (seeded tables or not), for a set-based check. */
  references: ForeignKeyRef[];
  /** False when some foreign key of the model is not a single column pointing at an `id` (then `references` misses it). */
  referencesComplete: boolean;
  /** Foreign keys whose column no index leads with: the engine finds the rows pointing at a deleted row by scanning the table. */
  unindexedReferences: ForeignKeyRef[];
}
