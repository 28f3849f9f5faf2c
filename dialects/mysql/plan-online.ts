/**
 * Which ALGORITHM an ALTER TABLE clause may demand on BOTH MySQL 8 (8.0.29+,
 * 8.4) and MariaDB 10.11, so that the server refuses instead of silently
 * copying a large table (MySQL 8 manual, "Online DDL Operations"; MariaDB
 * KB, "InnoDB Online DDL Operations with the INSTANT / INPLACE Alter
 * Algorithm"; each checked on a real MariaDB 10.11 in the integration tests):
 *
 * | clause                                      | MySQL 8            | MariaDB 10.11 | demanded           |
 * |---------------------------------------------|--------------------|---------------|--------------------|
 * | ADD COLUMN (not AUTO_INCREMENT, no (expr)   | INSTANT (8.0.12+)  | INSTANT       | INSTANT            |
 * |   default: MySQL refuses those INSTANT)     |                    |               |                    |
 * | DROP COLUMN                                 | INSTANT (8.0.29+)  | INSTANT       | INSTANT            |
 * | ALTER COLUMN SET / DROP DEFAULT (literal)   | INSTANT            | INSTANT       | INSTANT            |
 * | MODIFY appending ENUM labels, same size     | INSTANT            | INSTANT       | INSTANT            |
 * | RENAME COLUMN                               | INPLACE, metadata  | INSTANT       | INPLACE, LOCK=NONE |
 * | MODIFY extending VARCHAR, same length bytes | INPLACE, metadata  | INSTANT       | INPLACE, LOCK=NONE |
 * | MODIFY changing only the comment            | INPLACE, metadata  | INSTANT       | INPLACE, LOCK=NONE |
 * | MODIFY changing NULL / NOT NULL (same type; | INPLACE, rebuild   | INPLACE,      | INPLACE, LOCK=NONE |
 * |   strict sql_mode; a literal default and    |                    | rebuild       |                    |
 * |   the comment may change with it)           |                    |               |                    |
 * | COMMENT = (table)                           | INPLACE, metadata  | INSTANT       | INPLACE, LOCK=NONE |
 * | ADD [UNIQUE] INDEX, DROP INDEX, RENAME INDEX| INPLACE            | INPLACE       | INPLACE, LOCK=NONE |
 * | DROP FOREIGN KEY                            | INPLACE            | INPLACE       | INPLACE, LOCK=NONE |
 * | ADD FOREIGN KEY (foreign_key_checks on)     | COPY               | COPY          | none               |
 * | ADD FOREIGN KEY (foreign_key_checks=0)      | INPLACE            | INPLACE       | INPLACE, LOCK=NONE |
 * | any other MODIFY (a type change, a VARCHAR  | COPY               | COPY          | none: blocking     |
 * |   crossing 255 bytes), primary keys, ADD    |                    |               |                    |
 * |   CHECK, AUTO_INCREMENT or (expr) columns   |                    |               |                    |
 *
 * MariaDB treats INPLACE as "INPLACE or better"; MySQL's INPLACE for the
 * clauses above only changes metadata, except NULL / NOT NULL, which
 * rebuilds the table in place while writes go on. LOCK=NONE is never
 * written with INSTANT (MySQL rejects the pair). A foreign key added to a
 * table that existed runs with foreign_key_checks=0 (INPLACE is refused
 * otherwise), so the server does not look for orphans: dbkit's live
 * pre-flight does, before the first statement. What is left without an
 * algorithm copies the table with writes blocked (`blocking` in the plan).
 */
import type { Column } from '../../src/schema/model.js';
import { parseMysqlStringList } from './normalize.js';

export type Algorithm = 'instant' | 'inplace' | null;

export const algorithmClause = (a: Algorithm): string =>
  a === 'instant' ? 'ALGORITHM=INSTANT' : a === 'inplace' ? 'ALGORITHM=INPLACE, LOCK=NONE' : '';

/** Bytes a character takes at most in a character set. */
const charBytes = (charset: string | undefined): number =>
  !charset || charset === 'utf8mb4' ? 4 : /^(utf8|utf8mb3)$/.test(charset) ? 3 : /^(ucs2|utf16|utf16le)$/.test(charset) ? 4 : charset === 'utf32' ? 4 : 1;

const varcharLength = (type: string): number | null => {
  const m = /^varchar\((\d+)\)$/.exec(type);
  return m ? Number(m[1]) : null;
};

const enumLabels = (type: string): string[] | null => {
  const m = /^enum\((.*)\)$/s.exec(type);
  return m ? parseMysqlStringList(m[1]!) : null;
};

/** Everything but the type and the comment is the same. */
function sameButTypeAndComment(a: Column, b: Column): boolean {
  return (
    a.nullable === b.nullable &&
    a.default === b.default &&
    a.autoIncrement === b.autoIncrement &&
    a.onUpdate === b.onUpdate &&
    (a.charset ?? null) === (b.charset ?? null) &&
    (a.collation ?? null) === (b.collation ?? null)
  );
}

/** NULL / NOT NULL changes (a literal default and the comment may change with it); the type and the rest stay. */
function changesOnlyNullness(a: Column, b: Column): boolean {
  return (
    a.nullable !== b.nullable &&
    a.type === b.type &&
    a.autoIncrement === b.autoIncrement &&
    a.onUpdate === b.onUpdate &&
    (a.charset ?? null) === (b.charset ?? null) &&
    (a.collation ?? null) === (b.collation ?? null) &&
    (a.default === b.default || literalDefault(b.default))
  );
}

/** A VARCHAR made longer without leaving its length-byte class (up to 255 bytes: one length byte; more: two). */
function extendsVarchar(from: Column, to: Column): boolean {
  const [a, b] = [varcharLength(from.type), varcharLength(to.type)];
  if (a === null || b === null || b < a) return false;
  const bytes = charBytes(to.charset);
  return a * bytes <= 255 === b * bytes <= 255;
}

/** ENUM labels appended at the end, without changing the storage size (255 labels fit one byte). */
function appendsEnumLabels(from: Column, to: Column): boolean {
  const [a, b] = [enumLabels(from.type), enumLabels(to.type)];
  if (!a || !b || b.length <= a.length || !a.every((l, i) => b[i] === l)) return false;
  return a.length <= 255 === b.length <= 255;
}

/** A literal default (or none): settable with ALTER COLUMN ... SET / DROP DEFAULT. */
export const literalDefault = (expr: string | null): boolean => expr === null || /^'(?:[^']|'')*'$|^-?\d+(?:\.\d+)?$/.test(expr);

/** How a column changes: `default` (ALTER COLUMN ... DEFAULT) or `modify` (MODIFY with the full definition), and the algorithm it may demand. */
export function columnChange(from: Column, to: Column): { how: 'default' | 'modify'; algorithm: Algorithm } {
  const onlyDefault = from.type === to.type && from.comment === to.comment && JSON.stringify({ ...from, default: null }) === JSON.stringify({ ...to, default: null });
  if (onlyDefault && literalDefault(to.default) && !to.autoIncrement) return { how: 'default', algorithm: 'instant' };
  if (changesOnlyNullness(from, to)) return { how: 'modify', algorithm: 'inplace' };
  if (!sameButTypeAndComment(from, to)) return { how: 'modify', algorithm: null };
  if (from.type === to.type) return { how: 'modify', algorithm: 'inplace' }; // the comment alone
  if (appendsEnumLabels(from, to)) return { how: 'modify', algorithm: from.comment === to.comment ? 'instant' : 'inplace' };
  if (extendsVarchar(from, to)) return { how: 'modify', algorithm: 'inplace' };
  return { how: 'modify', algorithm: null };
}
