/**
 * Logical values -> the text an engine's bulk loader reads. PostgreSQL's
 * COPY text format and MySQL's LOAD DATA defaults agree: tab-separated,
 * newline-terminated, backslash escapes, `\N` for NULL. Each table gets its
 * cell formatters once; a row then becomes one line with no intermediate
 * arrays (a seed writes hundreds of thousands of rows: garbage matters).
 */
import { binaryCell, writeTuple } from '../../dialects/postgres/copy-binary.js';
import type { LogicalType, SchemaDef } from '../schema/definition.js';
import type { Dialect } from '../schema/model.js';
import { ByteBuffer, TextBuffer, type Alloc, type EncodedRows, type RowFormat } from './pieces.js';
import type { Row, SeedTable } from './types.js';

/** The format a dialect's bulk loader reads fastest: binary COPY on PostgreSQL (and PGlite), LOAD DATA text on MySQL. */
export const bulkFormat = (dialect: Dialect): RowFormat => (dialect === 'postgres' ? 'binary' : 'text');

/** A cell as the engine reads it in text form; null is SQL NULL. */
export type Cell = string | null;
type Format = (v: unknown) => string;

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const DAYS = new Map<number, string>();

/** Epoch ms -> `YYYY-MM-DD HH:MM:SS` in UTC (whole seconds: generated times have none smaller). */
export function utcDateTime(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const day = Math.floor(secs / 86400);
  let date = DAYS.get(day);
  if (date === undefined) {
    const d = new Date(day * 86400_000);
    date = `${d.getUTCFullYear()}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]} `;
    DAYS.set(day, date);
  }
  const r = secs - day * 86400;
  return date + TWO[Math.floor(r / 3600)] + ':' + TWO[Math.floor((r % 3600) / 60)] + ':' + TWO[r % 60];
}

/** A PostgreSQL array literal of text elements: `{"a","b \"c\""}`. */
export function pgTextArray(items: readonly string[]): string {
  return '{' + items.map((s) => '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A string in COPY / LOAD DATA text form. */
export const escapeText = (s: string): string => (SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]!) : s);

/** One cell in COPY / LOAD DATA text form. */
export const textCell = (c: Cell): string => (c === null ? '\\N' : escapeText(c));

const escaped = (f: (v: unknown) => string): Format => (v) => escapeText(f(v));
/** JSON.stringify never writes a raw tab or line break: only its backslashes need doubling. */
const escapedJson = (f: (v: unknown) => string): Format => (v) => {
  const s = f(v);
  return s.includes('\\') ? s.replaceAll('\\', '\\\\') : s;
};

/** How a column's values are written; numbers, ids and times never need escaping. */
function formatter(type: LogicalType, dialect: Dialect): Format {
  switch (type.kind) {
    case 'timestamp':
      // PostgreSQL reads the `+00` offset; MySQL's session runs in UTC while seeding.
      return dialect === 'postgres' ? (v) => utcDateTime(v as number) + '+00' : (v) => utcDateTime(v as number);
    case 'json':
    case 'json_text':
      return escapedJson((v) => JSON.stringify(v));
    case 'text_array':
      return dialect === 'postgres' ? escaped((v) => pgTextArray(v as string[])) : escapedJson((v) => JSON.stringify(v));
    case 'id':
    case 'ref':
    case 'bigint':
    case 'int':
    case 'smallint':
    case 'tinyint':
      return String;
    default:
      return escaped(String);
  }
}

/** Where a text encoder writes rows (src/seed/pieces.ts's TextBuffer). */
export interface TextSink {
  /** One row's text, without its line end. */
  line(s: string): void;
}

export interface TableEncoder {
  table: SeedTable;
  /** Write one row as a text line. */
  write(row: Row, out: TextSink): void;
}

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

export function tableEncoder(schema: SchemaDef, table: SeedTable, dialect: Dialect): TableEncoder {
  const formats = columnTypes(schema, table).map((type) => formatter(type, dialect));
  const n = formats.length;
  return {
    table,
    write(row, out) {
      // One short-lived string per row, one copy into the buffer: cheaper than a call per cell.
      let line = '';
      for (let i = 0; i < n; i++) {
        const v = row[i];
        line += (i ? '\t' : '') + (v === null || v === undefined ? '\\N' : formats[i]!(v));
      }
      out.line(line);
    },
  };
}

/** One table's rows of one chunk, being encoded. */
export interface TableRows {
  write(row: Row): void;
  /** The encoded rows (call once, at the end of the chunk). */
  flush(): EncodedRows;
}

/** Opens a table's rows for a chunk, in buffers from `alloc`. */
export type TableRowsFactory = (alloc?: Alloc) => TableRows;

/** How a seed table's rows are encoded in `format` (binary: the PostgreSQL variant's column types). */
export function tableRows(schema: SchemaDef, table: SeedTable, dialect: Dialect, format: RowFormat): TableRowsFactory {
  if (format === 'binary') {
    if (dialect !== 'postgres') throw new Error(`binary rows are PostgreSQL's COPY format, not ${dialect}'s`);
    const cells = columnTypes(schema, table).map(binaryCell);
    return (alloc) => {
      const out = new ByteBuffer(alloc);
      return {
        write(row) {
          writeTuple(out, cells, row);
          out.rows++;
        },
        flush: () => out.flush(),
      };
    };
  }
  const encoder = tableEncoder(schema, table, dialect);
  return (alloc) => {
    const out = new TextBuffer(alloc);
    return { write: (row) => encoder.write(row, out), flush: () => out.flush() };
  };
}

const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** Text lines back into cells (for loaders that need values: MySQL's INSERT fallback, the benches' baselines). */
export function parseLines(text: string): Cell[][] {
  const rows: Cell[][] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    rows.push(line.split('\t').map((c) => (c === '\\N' ? null : c.includes('\\') ? c.replace(/\\(.)/g, (_, ch: string) => UNESCAPES[ch] ?? ch) : c)));
  }
  return rows;
}
