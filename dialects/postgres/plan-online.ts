/**
 * What keeps writes flowing on PostgreSQL while a migration changes a table
 * that already holds rows (pure):
 *
 * | change                                   | how                                                      | writes blocked     |
 * |------------------------------------------|----------------------------------------------------------|--------------------|
 * | index, unique constraint                 | CREATE [UNIQUE] INDEX CONCURRENTLY (+ USING INDEX)       | no                 |
 * | foreign key, CHECK                       | ADD ... NOT VALID, then VALIDATE in its own transaction  | a moment           |
 * | NOT NULL on a column                     | CHECK (c IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL  | a moment           |
 * |                                          | (PostgreSQL 12+ proves it from the check: no scan), DROP |                    |
 * | type change that is binary-coercible     | ALTER COLUMN TYPE (no rewrite: varchar longer or to      | a moment           |
 * |                                          | text, numeric/timestamp precision up)                    |                    |
 * | any other type change, volatile default, | ALTER TABLE under ACCESS EXCLUSIVE: the table is         | for the whole      |
 * | identity column added, enum type swapped | rewritten                                                | rewrite: blocking  |
 * | primary key added                        | its index is built under ACCESS EXCLUSIVE                | blocking           |
 *
 * A blocking statement is marked (PlannedStatement.blocking): `dbkit make`
 * refuses it unless --allow-blocking. The online alternative (a new column
 * filled in batches behind a trigger, then swapped) is not generated.
 */
import type { Column } from '../../src/schema/model.js';
import { ident } from './quote.js';

/** NAMEDATALEN - 1 */
const MAX_NAME = 63;

interface TypeParts {
  base: string;
  args: number[];
  array: boolean;
}

function parts(type: string): TypeParts {
  const array = /\[\]$/.test(type);
  const bare = type.replace(/(\[\])+$/, '');
  const m = /^([a-z][a-z0-9_ ]*?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?$/i.exec(bare);
  if (!m) return { base: bare, args: [], array };
  return { base: m[1]!.toLowerCase(), args: [m[2], m[3]].filter((x): x is string => x !== undefined).map(Number), array };
}

const VARCHAR = new Set(['varchar', 'character varying']);
const PRECISION = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

/**
 * Whether ALTER COLUMN ... TYPE keeps every stored value as it is (binary
 * coercible, PostgreSQL 9.2+): then only the catalog changes. Anything else
 * rewrites the table (and its indexes) under an ACCESS EXCLUSIVE lock.
 */
export function typeChangeKeepsRows(from: string, to: string): boolean {
  if (from === to) return true;
  const [f, t] = [parts(from), parts(to)];
  if (f.array !== t.array) return false;
  // A longer limit, or none.
  if (VARCHAR.has(f.base) && VARCHAR.has(t.base)) return !t.args.length || (f.args.length > 0 && t.args[0]! >= f.args[0]!);
  if (VARCHAR.has(f.base) && t.base === 'text') return true;
  if (f.base === 'text' && VARCHAR.has(t.base)) return !t.args.length;
  if ((f.base === 'numeric' || f.base === 'decimal') && (t.base === 'numeric' || t.base === 'decimal')) {
    if (!t.args.length) return true;
    if (!f.args.length) return false;
    return (f.args[1] ?? 0) === (t.args[1] ?? 0) && t.args[0]! >= f.args[0]!;
  }
  if (PRECISION.has(f.base) && f.base === t.base) return !t.args.length || (f.args.length > 0 && t.args[0]! >= f.args[0]!);
  return f.base === 'cidr' && t.base === 'inet';
}

/** Functions a default may call that give each row its own value: adding such a column rewrites the table. */
const VOLATILE = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval|txid_current|gen_random_bytes)\s*\(/i;

/** Whether ADD COLUMN with this column rewrites the table (a volatile default, an identity), instead of a catalog-only change. */
export function addColumnRewrites(c: Column): boolean {
  return c.autoIncrement || (c.default !== null && VOLATILE.test(c.default));
}

/** Whether changing column `from` into `to` rewrites the table. */
export function columnChangeRewrites(from: Column, to: Column): boolean {
  if ((from.collation ?? null) !== (to.collation ?? null)) return true;
  return !typeChangeKeepsRows(from.type, to.type);
}

/**
 * The name of the temporary CHECK that proves a column holds no NULL:
 * `dbkit_nn_<table>_<column>`, cut to 63 bytes (the longer of the two names
 * first, as PostgreSQL cuts its own names). Prefixed, so that it never
 * takes the name of a constraint of someone else's.
 */
export function notNullCheckName(table: string, column: string): string {
  const prefix = 'dbkit_nn_';
  let [a, b] = [table.length, column.length];
  while (prefix.length + a + 1 + b > MAX_NAME) {
    if (a > b) a--;
    else b--;
  }
  return `${prefix}${table.slice(0, a)}_${column.slice(0, b)}`;
}

/** A statement of the NOT NULL sequence, and whether it is a helper (performs no operation by itself, safe to run again). */
export interface SequenceStatement {
  sql: string;
  helper?: true;
}

/**
 * SET NOT NULL on a table with rows, without holding ACCESS EXCLUSIVE for a
 * scan: the check added NOT VALID (a moment's lock), validated (a scan under
 * SHARE UPDATE EXCLUSIVE: writes go on), then `alter` (the statements of the
 * column change, SET NOT NULL included, which PostgreSQL 12+ proves from the
 * valid check without a scan), then the check dropped. The helpers can run
 * again (a resumed run repeats one that had taken effect): the check is
 * dropped IF EXISTS before it is added.
 */
export function setNotNullViaCheck(table: string, column: string, alter: string[]): SequenceStatement[] {
  const name = ident(notNullCheckName(table, column));
  const t = `ALTER TABLE ${ident(table)}`;
  return [
    { sql: `${t} DROP CONSTRAINT IF EXISTS ${name}, ADD CONSTRAINT ${name} CHECK (${ident(column)} IS NOT NULL) NOT VALID`, helper: true },
    { sql: `${t} VALIDATE CONSTRAINT ${name}`, helper: true },
    ...alter.map((sql) => ({ sql })),
    { sql: `${t} DROP CONSTRAINT IF EXISTS ${name}`, helper: true },
  ];
}
