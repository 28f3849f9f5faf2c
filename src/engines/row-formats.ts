/**
 * The composition root's row formats: how each dialect's variant spells
 * generated rows, which dialect's bulk loader reads a binary format, and its
 * encoder (the seed worker loads only this, no engine). The rest read the
 * text format (src/seed/text-cells.ts).
 */
import { binaryCell, writeTuple } from '../../dialects/postgres/copy-binary.js';
import { mysqlRowFlavor } from '../../dialects/mysql/row-flavor.js';
import { postgresRowFlavor } from '../../dialects/postgres/row-flavor.js';
import type { BinaryRows, RowFlavor } from '../port/rows.js';
import type { Dialect } from '../schema/model.js';

export const BINARY_ROWS: Readonly<Partial<Record<Dialect, BinaryRows>>> = { postgres: { cell: binaryCell, writeTuple } };

export const ROW_FLAVORS: Readonly<Record<Dialect, RowFlavor>> = { postgres: postgresRowFlavor, mysql: mysqlRowFlavor };
