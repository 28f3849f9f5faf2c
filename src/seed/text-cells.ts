/**
 * The text format of COPY and LOAD DATA, written cell by cell straight into
 * byte buffers: tab-separated, newline-terminated, backslash escapes, `\N`
 * for NULL. Short strings are copied by a loop that escapes as it goes,
 * numbers and times are written digit by digit: no row string is built, and
 * nothing is left for the garbage collector but the values themselves.
 */
import { ROW_FLAVORS } from '../engines/row-formats.js';
import type { LogicalType } from '../schema/definition.js';
import type { Dialect } from '../schema/model.js';
import type { ByteSink, Utf8Buffer } from '../rows/pieces.js';

export type TextCellWriter = (out: ByteSink, v: unknown) => void;

const TAB = 9;
const NEWLINE = 10;
const RETURN = 13;
const BACKSLASH = 92;
/** Up to this long, a loop copies (and escapes) faster than a native call. */
const SHORT = 24;

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A string in COPY / LOAD DATA text form. */
export const escapeText = (s: string): string => (SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]!) : s);

/** A string, escaped: at most 3 bytes a character (UTF-8), 2 for an escaped one. */
export function writeEscaped(out: ByteSink, s: string): void {
  const n = s.length;
  out.ensure(n * 3);
  if (n <= SHORT) {
    const b = out.buf;
    let p = out.pos;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      if (c === BACKSLASH || c === TAB || c === NEWLINE || c === RETURN) {
        b[p++] = BACKSLASH;
        b[p++] = c === BACKSLASH ? BACKSLASH : c === TAB ? 0x74 : c === NEWLINE ? 0x6e : 0x72;
      } else b[p++] = c;
    }
    if (i === n) {
      out.pos = p;
      return;
    }
  }
  // Long, or not ASCII: from the start, natively.
  out.pos += (out.buf as Utf8Buffer).utf8Write(escapeText(s), out.pos);
}

/** JSON, escaped like any text (JSON.stringify writes no raw tab or line break: only its backslashes change). */
function writeJson(out: ByteSink, v: unknown): void {
  writeEscaped(out, JSON.stringify(v));
}

/** A whole number as decimal digits (others as their string form). */
function writeNumber(out: ByteSink, v: unknown): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return writeEscaped(out, String(v));
  out.ensure(16);
  const b = out.buf;
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  let p = out.pos + digits;
  out.pos = p;
  let x = v;
  do {
    const q = Math.floor(x / 10);
    b[--p] = 0x30 + (x - q * 10);
    x = q;
  } while (x > 0);
}

const DAYS = new Map<number, string>();
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** The `YYYY-MM-DD ` of a day since 1970-01-01 (cached: a seed spans a few hundred days). */
function datePart(day: number): string {
  let date = DAYS.get(day);
  if (date === undefined) {
    const d = new Date(day * 86_400_000);
    date = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} `;
    DAYS.set(day, date);
  }
  return date;
}

/** Epoch ms -> `YYYY-MM-DD HH:MM:SS` in UTC (whole seconds: generated times have none smaller). */
export function utcDateTime(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const day = Math.floor(secs / 86400);
  const r = secs - day * 86400;
  return datePart(day) + pad2(Math.floor(r / 3600)) + ':' + pad2(Math.floor((r % 3600) / 60)) + ':' + pad2(r % 60);
}

function two(b: Buffer, p: number, n: number): void {
  const tens = Math.floor(n / 10);
  b[p] = 0x30 + tens;
  b[p + 1] = 0x30 + n - tens * 10;
}

/** A time as `YYYY-MM-DD HH:MM:SS` in UTC, `+00` after it for PostgreSQL (MySQL's session runs in UTC while seeding). */
function timeWriter(offset: string): TextCellWriter {
  return (out, v) => {
    const ms = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : Number.NaN;
    if (!Number.isFinite(ms)) throw new Error(`not a time: ${String(v)}`);
    const secs = Math.floor(ms / 1000);
    const day = Math.floor(secs / 86400);
    const date = datePart(day);
    out.ensure(date.length + 8 + offset.length);
    const b = out.buf;
    let p = out.pos;
    for (let i = 0; i < date.length; i++) b[p++] = date.charCodeAt(i);
    const r = secs - day * 86400;
    two(b, p, Math.floor(r / 3600));
    b[p + 2] = 0x3a;
    two(b, p + 3, Math.floor((r % 3600) / 60));
    b[p + 5] = 0x3a;
    two(b, p + 6, r % 60);
    p += 8;
    for (let i = 0; i < offset.length; i++) b[p++] = offset.charCodeAt(i);
    out.pos = p;
  };
}

/** A PostgreSQL array literal of text elements: `{"a","b \"c\""}`. */
export function pgTextArray(items: readonly string[]): string {
  return '{' + items.map((s) => '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(',') + '}';
}

/** How a column's values are written in text form. */
export function textCell(type: LogicalType, dialect: Dialect): TextCellWriter {
  switch (type.kind) {
    case 'timestamp':
      return timeWriter(ROW_FLAVORS[dialect].timeZoneSuffix);
    case 'json':
    case 'json_text':
      return writeJson;
    case 'text_array':
      return ROW_FLAVORS[dialect].textArrays === 'array-literal' ? (out, v) => writeEscaped(out, pgTextArray(v as string[])) : writeJson;
    case 'id':
    case 'ref':
    case 'bigint':
    case 'int':
    case 'smallint':
    case 'tinyint':
      return writeNumber;
    default:
      return (out, v) => writeEscaped(out, typeof v === 'string' ? v : String(v));
  }
}

/** One row: cells tab-separated (undefined and null as `\N`), then a newline. */
export function writeTextRow(out: ByteSink, cells: readonly TextCellWriter[], row: readonly unknown[]): void {
  const n = cells.length;
  for (let i = 0; i < n; i++) {
    if (i) {
      out.ensure(1);
      out.buf[out.pos++] = TAB;
    }
    const v = row[i];
    if (v === null || v === undefined) {
      out.ensure(2);
      out.buf[out.pos++] = BACKSLASH;
      out.buf[out.pos++] = 0x4e;
    } else cells[i]!(out, v);
  }
  out.ensure(1);
  out.buf[out.pos++] = NEWLINE;
}
