/**
 * Logical values -> what an engine's bulk loader reads: its binary format
 * where it has one (PostgreSQL's COPY: src/engines/row-formats.ts), or the text format that
 * PostgreSQL's COPY and MySQL's LOAD DATA share (src/seed/text-cells.ts).
 * Each table gets its cell writers once; rows go straight into byte buffers
 * (a seed writes hundreds of thousands of rows: garbage matters).
 */
import { BINARY_ROWS } from '../engines/row-formats.js';
import type { LogicalType, SchemaDef } from '../schema/definition.js';
import type { Dialect } from '../schema/model.js';
import { ByteBuffer, type Alloc, type EncodedRows, type RowFormat } from '../rows/pieces.js';
import { textCell, writeTextRow } from './text-cells.js';
import type { Row, SeedTable } from '../fake/types.js';

/** The format a dialect's bulk loader reads fastest: binary COPY on PostgreSQL (and PGlite), LOAD DATA text on MySQL. */
export const bulkFormat = (dialect: Dialect): RowFormat => (BINARY_ROWS[dialect] ? 'binary' : 'text');

// Text lines back into cells: in src/rows/ (the MySQL writer needs them too).
export { parseLines, type Cell } from '../rows/text-lines.js';

/** The logical types of a seed table's columns, in its column order. */
function columnTypes(schema: SchemaDef, table: SeedTable): LogicalType[] {
  const def = schema.tables.find((t) => t.name === table.name);
  if (!def) throw new Error(`seed table ${table.name} is not in schema ${schema.name}`);
  return table.columns.map((name) => {
    const col = def.columns.find((c) => c.name === name);
    if (!col) throw new Error(`seed column ${table.name}.${name} is not in schema ${schema.name}`);
    return col.type;
  });
}

/** One table's rows of one chunk, being encoded. */
export interface TableRows {
  write(row: Row): void;
  /** The encoded rows (call once, at the end of the chunk). */
  flush(): EncodedRows;
}

/** Opens a table's rows for a chunk, in buffers from `alloc`. */
export type TableRowsFactory = (alloc?: Alloc) => TableRows;

/** Rows into buffers of `format`, each written by `writeRow`. */
function rowsOf<C>(format: RowFormat, cells: readonly C[], writeRow: (out: ByteBuffer, cells: readonly C[], row: Row) => void): TableRowsFactory {
  return (alloc) => {
    const out = new ByteBuffer(format, alloc);
    return {
      write(row) {
        writeRow(out, cells, row);
        out.rows++;
      },
      flush: () => out.flush(),
    };
  };
}

/** How a seed table's rows are encoded in `format` (binary: the PostgreSQL variant's column types). */
export function tableRows(schema: SchemaDef, table: SeedTable, dialect: Dialect, format: RowFormat): TableRowsFactory {
  return rowsOfTypes(columnTypes(schema, table), dialect, format);
}

/** How rows of columns of these logical types are encoded in `format`. */
export function rowsOfTypes(types: readonly LogicalType[], dialect: Dialect, format: RowFormat): TableRowsFactory {
  if (format === 'text') return rowsOf(format, types.map((type) => textCell(type, dialect)), writeTextRow);
  const binary = BINARY_ROWS[dialect];
  if (!binary) throw new Error(`${dialect} has no binary row format (PostgreSQL's COPY reads one; the others read text)`);
  return rowsOf(format, types.map((type) => binary.cell(type)), binary.writeTuple);
}
