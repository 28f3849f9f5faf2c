/** Values of information_schema rows as mysql2 hands them back (strings, numbers, Buffers, null). */

/** A catalog value as mysql2 may return it. */
export type Value = string | number | Buffer | null;

export const text = (v: Value | undefined): string => (v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
export const textOrNull = (v: Value | undefined): string | null => (v === null || v === undefined ? null : text(v));
export const num = (v: Value | undefined): number => Number(text(v));
