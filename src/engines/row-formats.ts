/**
 * The composition root's row formats: which dialect's bulk loader reads a
 * binary format, and its encoder (the seed worker loads only this, no
 * engine). The rest read the text format (src/seed/text-cells.ts).
 */
import { binaryCell, writeTuple } from '../../dialects/postgres/copy-binary.js';
import type { BinaryRows } from '../port/rows.js';
import type { Dialect } from '../schema/model.js';

export const BINARY_ROWS: Readonly<Partial<Record<Dialect, BinaryRows>>> = { postgres: { cell: binaryCell, writeTuple } };
