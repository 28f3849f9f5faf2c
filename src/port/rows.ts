/** A dialect's binary row format for its bulk loader (PostgreSQL's binary COPY: dialects/postgres/copy-binary.ts). */
import type { LogicalType } from '../schema/definition.js';
import type { ByteSink } from '../rows/pieces.js';

export type CellWriter = (out: ByteSink, v: unknown) => void;

export interface BinaryRows {
  /** The writer of one column's cells. */
  cell(type: LogicalType): CellWriter;
  /** One row of cells. */
  writeTuple(out: ByteSink, cells: readonly CellWriter[], row: readonly unknown[]): void;
}
