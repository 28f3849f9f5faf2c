/** Words shared by the messages of changes and advisories. */
import type { ForeignKey, Index, UniqueConstraint } from './model.js';

/** `(a, b)` */
export const cols = (columns: string[]): string => `(${columns.join(', ')})`;

/** A string quoted as an SQL literal. */
export const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * `has no default, expected default 'x'` / `has default 'y', expected no default`:
 * an optional attribute's actual and expected values, for messages.
 */
export const hasVersus = (what: string, actual: string | null, expected: string | null): string =>
  `${actual === null ? `has no ${what}` : `has ${what} ${actual}`}, ` +
  `${expected === null ? `expected no ${what}` : `expected ${what} ${expected}`}`;

export const PRIMARY_KEY_LABEL = 'PRIMARY KEY';

/** The structural label of a unique constraint: `UNIQUE (a, b)`. */
export const uniqueLabel = (u: UniqueConstraint): string => `UNIQUE ${cols(u.columns)}`;

/** The structural label of a foreign key: `FOREIGN KEY (a) REFERENCES t (id)`. */
export const fkLabel = (fk: ForeignKey): string =>
  `FOREIGN KEY ${cols(fk.columns)} REFERENCES ${fk.refTable} ${cols(fk.refColumns)}`;

/** ` (name)` when the database gave the constraint a name, for messages. */
export const dbName = (name: string | null): string => (name === null ? '' : ` (${name})`);

/** ` (a, b)`, prefixed by `UNIQUE`, the method unless btree, and the predicate. */
export const indexShape = (i: Index): string =>
  [
    i.unique ? 'UNIQUE' : '',
    i.method !== 'btree' ? `USING ${i.method}` : '',
    cols(i.columns),
    i.where !== null ? `WHERE ${i.where}` : '',
  ]
    .filter(Boolean)
    .join(' ');

export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Deterministic, locale-independent string order. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
