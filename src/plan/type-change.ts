/**
 * What changing a column's type risks, from the canonical type spellings of
 * the normalizer (`varchar(255)`, `bigint`, `enum('a','b')`, `timestamptz`).
 * Pure. Used by the destructive-change checker (destructive.ts).
 *
 * - widening (a longer varchar, varchar -> text, int -> bigint, an enum label
 *   appended): safe, null;
 * - narrowing (a shorter varchar, bigint -> int, fewer decimals, an enum
 *   label removed): `data-loss`;
 * - a conversion between families (text -> jsonb, varchar -> integer):
 *   `may-fail`: values that do not convert make the statement fail.
 */
import { parseStringList as parseMysqlStringList } from '../schema/normal-form.js';

/** What a dialect's text types hold (its SqlDialect's `textTypes`): the part of type-change risk that differs between engines. */
export interface TextTypes {
  /** The most characters a text type other than varchar/char holds (PostgreSQL text: Infinity; MySQL TEXT by its bytes over utf8mb4's 4), or null when `base` is none. */
  capacity(base: string): number | null;
  /** A bounded string type at least this long holds whatever a value prints as (MySQL: TEXT's 16,383; Infinity where only an unbounded one does). */
  holdsAnyPrintFrom: number;
}

export interface TypeRisk {
  level: 'data-loss' | 'may-fail';
  /** Whether the change narrows (`narrows column ...`) or converts (`changes column ...`). */
  narrowing: boolean;
  why: string;
}

interface Parsed {
  base: string;
  args: number[];
  unsigned: boolean;
  labels: string[] | null;
}

function parse(type: string): Parsed {
  const t = type.trim();
  const list = /^(enum|set)\((.*)\)$/is.exec(t);
  if (list) return { base: list[1]!.toLowerCase(), args: [], unsigned: false, labels: parseMysqlStringList(list[2]!) ?? [] };
  const m = /^([a-z][a-z0-9_ ]*?)\s*(?:\(([\d,\s]+)\))?((?:\s+unsigned)?)(?:\s+zerofill)?((?:\[\])*)$/i.exec(t);
  if (!m) return { base: t, args: [], unsigned: false, labels: null };
  const args = m[2] ? m[2].split(',').map((x) => Number(x.trim())) : [];
  return { base: m[1]!.toLowerCase() + (m[4] ?? ''), args, unsigned: !!m[3], labels: null };
}

/** Bytes an integer type holds. */
const INT_BYTES: Record<string, number> = { tinyint: 1, smallint: 2, mediumint: 3, int: 4, integer: 4, bigint: 8 };

/** The most characters a string type holds (MySQL TEXT types by bytes over utf8mb4's 4 a character), or null. */
function stringCapacity(p: Parsed, types: TextTypes): number | null {
  if (p.base === 'varchar' || p.base === 'char' || p.base === 'character') return p.args[0] ?? (p.base === 'varchar' ? Infinity : 1);
  return types.capacity(p.base);
}

const isDecimal = (p: Parsed): boolean => p.base === 'numeric' || p.base === 'decimal';
const isFloat = (p: Parsed): boolean => ['real', 'double precision', 'double', 'float'].includes(p.base);
const isTime = (p: Parsed): boolean => /^(timestamp|timestamptz|datetime|date|time|timetz)$/.test(p.base);
const isJson = (p: Parsed): boolean => p.base === 'json' || p.base === 'jsonb';

const narrow = (why: string): TypeRisk => ({ level: 'data-loss', narrowing: true, why });
const mayFail = (why: string): TypeRisk => ({ level: 'may-fail', narrowing: false, why });
const CONVERT = 'existing values that do not convert make it fail';

function integerRisk(f: Parsed, t: Parsed): TypeRisk | null {
  const [fb, tb] = [INT_BYTES[f.base]!, INT_BYTES[t.base]!];
  if (f.unsigned === t.unsigned && tb >= fb) return null;
  if (!f.unsigned && t.unsigned) return narrow(`negative values do not fit ${t.base} unsigned`);
  if (f.unsigned && !t.unsigned && tb > fb) return null;
  return narrow(`values out of the range of ${t.base}${t.unsigned ? ' unsigned' : ''} do not fit`);
}

function stringRisk(from: number, to: number): TypeRisk | null {
  if (to >= from) return null;
  return narrow(`values longer than ${to} characters do not fit`);
}

function labelRisk(f: string[], t: string[]): TypeRisk | null {
  const removed = f.filter((l) => !t.includes(l));
  if (!removed.length) return null;
  return narrow(`rows holding ${removed.map((l) => `'${l}'`).join(', ')} lose their value or make it fail`);
}

/** The risk of changing a column from type `from` to type `to`, or null when every value converts unchanged. */
export function typeChangeRisk(types: TextTypes, from: string, to: string): TypeRisk | null {
  if (from === to) return null;
  const f = parse(from);
  const t = parse(to);
  if (f.labels && t.labels) return f.base === t.base ? labelRisk(f.labels, t.labels) : mayFail(CONVERT);
  if (f.labels) {
    const cap = stringCapacity(t, types);
    if (cap === null) return mayFail(CONVERT);
    const longest = Math.max(0, ...f.labels.map((l) => l.length));
    return longest <= cap ? null : narrow(`labels longer than ${cap} characters do not fit`);
  }
  if (t.labels) return mayFail(`values other than the labels ${t.labels.map((l) => `'${l}'`).join(', ')} do not fit`);

  const [fs, ts] = [stringCapacity(f, types), stringCapacity(t, types)];
  if (fs !== null && ts !== null) return stringRisk(fs, ts);
  if (ts !== null) {
    // Anything prints as text; a bounded one may be too short for what it prints.
    return ts === Infinity || ts >= types.holdsAnyPrintFrom ? null : mayFail(`printed values longer than ${ts} characters do not fit`);
  }
  if (f.base in INT_BYTES && t.base in INT_BYTES) return integerRisk(f, t);
  if (f.base in INT_BYTES && (isDecimal(t) || isFloat(t))) {
    if (isFloat(t)) return t.base === 'real' || t.base === 'float' ? narrow('large values lose precision') : null;
    const digits = (t.args[0] ?? 1000) - (t.args[1] ?? 0);
    return digits >= 20 ? null : narrow(`values of more than ${digits} digits do not fit`);
  }
  if ((isDecimal(f) || isFloat(f)) && t.base in INT_BYTES) return narrow('fractions are rounded away');
  if (isDecimal(f) && isDecimal(t)) {
    const [fp, fsc] = [f.args[0] ?? 1000, f.args[1] ?? 0];
    const [tp, tsc] = [t.args[0] ?? 1000, t.args[1] ?? 0];
    if (tsc < fsc) return narrow('decimals are rounded away');
    return tp - tsc < fp - fsc ? narrow('large values do not fit') : null;
  }
  if (isFloat(f) && isFloat(t)) return f.base !== 'real' && (t.base === 'real' || t.base === 'float') ? narrow('values lose precision') : null;
  if (isTime(f) && isTime(t)) return timeRisk(f, t);
  if (isJson(f) && isJson(t)) return null;
  return mayFail(CONVERT);
}

function timeRisk(f: Parsed, t: Parsed): TypeRisk | null {
  const zoned = (p: Parsed) => p.base === 'timestamptz' || p.base === 'timetz';
  const precision = (p: Parsed) => p.args[0] ?? 6;
  if (f.base === t.base || (f.base.startsWith('timestamp') && t.base.startsWith('timestamp'))) {
    if (zoned(f) && !zoned(t)) return narrow('the time zone of each value is dropped');
    return precision(t) < precision(f) ? narrow('fractions of a second are rounded away') : null;
  }
  if (t.base === 'date') return narrow('the time of day is dropped');
  if (f.base === 'datetime' && t.base === 'timestamp') return mayFail('dates outside 1970-2038 do not fit');
  if ((f.base === 'timestamp' || f.base === 'date') && t.base === 'datetime') return null;
  return mayFail(CONVERT);
}
