/** A dialect's binary row format for its bulk loader (PostgreSQL's binary COPY: dialects/postgres/copy-binary.ts). */
import type { LogicalType } from '../schema/definition.js';
import type { ByteSink } from '../rows/pieces.js';

export type CellWriter = (out: ByteSink, v: unknown) => void;

/** How a dialect's variant spells generated rows (the variant mapping: UUID keys and JSONB on PostgreSQL, BIGINT keys and JSON on MySQL). */
export interface RowFlavor {
  /** What a surrogate key holds: a UUID (v7, in load order) or an integer. */
  keys: 'uuid' | 'integer';
  /** What follows a UTC timestamp in the text format ('+00' where the column keeps a time zone). */
  timeZoneSuffix: string;
  /** How a text array is written in the text format: an array literal, or JSON (a JSON column). */
  textArrays: 'array-literal' | 'json';
}

export interface BinaryRows {
  /** The writer of one column's cells. */
  cell(type: LogicalType): CellWriter;
  /** One row of cells. */
  writeTuple(out: ByteSink, cells: readonly CellWriter[], row: readonly unknown[]): void;
}
