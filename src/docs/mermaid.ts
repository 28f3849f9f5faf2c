/**
 * The Mermaid `erDiagram` of one variant: every table with its columns and
 * key markers (PK, FK, UK), and one relationship per foreign key whose
 * cardinality follows from the foreign-key columns: the parent end is
 * "exactly one" when they are all NOT NULL, else "zero or one"; the child
 * end is "zero or one" when they are unique (primary key, unique constraint
 * or unique index on exactly those columns), else "zero or more".
 *
 * Written for the oldest grammar GitHub and GitLab may render with: an
 * attribute type is one word of letters, digits and `_` (no parentheses,
 * brackets or commas: `varchar(255)` becomes `varchar_255`), a name likewise,
 * comments are in double quotes (which they cannot contain).
 */
import type { Column, ForeignKey, Table } from '../schema/model.js';

export interface DiagramOptions {
  /** Column comments as attribute comments. */
  comments: boolean;
}

const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words the attribute lexer takes for key markers, whatever the case. */
const KEY_WORDS = new Set(['pk', 'fk', 'uk']);

/** A type as one attribute word: `varchar(255)` -> `varchar_255`, `text[]` -> `text_array`, `enum('a','b')` -> `enum`. */
export function typeWord(type: string): string {
  let t = type.trim().replace(/\[\]/g, '_array');
  t = t.replace(/\(\s*(\d+(?:\s*,\s*\d+)*)\s*\)/g, (_, n: string) => `_${n.replace(/\D+/g, '_')}`);
  t = t.replace(/\(.*$/, ''); // enum('a','b'), set(...): the labels are in the table section
  return word(t) || 'unknown';
}

/** Any name as one word: characters outside `[A-Za-z0-9_]` become `_`; a key word or a leading digit gets a `_`. */
export function word(name: string): string {
  let w = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!w) return '';
  if (!WORD.test(w)) w = `_${w}`;
  if (KEY_WORDS.has(w.toLowerCase())) w = `${w}_`;
  return w;
}

/** A double-quoted comment or label: no double quotes, one line. */
const quoted = (value: string): string => `"${value.replace(/"/g, "'").replace(/\s+/g, ' ').trim()}"`;

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((c) => b.includes(c));

/** The FK columns are a key of the child table: at most one child row per parent row. */
function uniqueColumns(table: Table, columns: string[]): boolean {
  if (table.primaryKey && sameSet(table.primaryKey.columns, columns)) return true;
  if (table.uniques.some((u) => sameSet(u.columns, columns))) return true;
  return table.indexes.some((i) => i.unique && i.where === null && sameSet(i.columns, columns));
}

function keyMarkers(table: Table, column: Column): string[] {
  const keys: string[] = [];
  if (table.primaryKey?.columns.includes(column.name)) keys.push('PK');
  if (table.foreignKeys.some((fk) => fk.columns.includes(column.name))) keys.push('FK');
  const inUnique =
    table.uniques.some((u) => u.columns.includes(column.name)) ||
    table.indexes.some((i) => i.unique && i.where === null && i.columns.includes(column.name));
  if (inUnique && !keys.includes('PK')) keys.push('UK');
  return keys;
}

function entity(table: Table, options: DiagramOptions): string[] {
  const lines = table.columns.map((c) => {
    const keys = keyMarkers(table, c);
    // A column of a composite unique key is marked UK like the others; the comment says with which columns.
    const composite = table.uniques.filter((u) => u.columns.length > 1 && u.columns.includes(c.name));
    const notes = [options.comments ? c.comment : null, ...composite.map((u) => `UNIQUE (${u.columns.join(', ')})`)];
    const text = notes.filter((n): n is string => !!n).join('; ');
    const comment = text ? ` ${quoted(text)}` : '';
    return `    ${typeWord(c.type)} ${word(c.name) || 'column'}${keys.length ? ` ${keys.join(', ')}` : ''}${comment}`;
  });
  return [`  ${word(table.name)} {`, ...lines, '  }'];
}

/** `users ||--o{ sessions : "user_id"` (`..`: the child has its own key; `--`: the FK is part of it). */
export function relationship(child: Table, fk: ForeignKey): string {
  const nullable = fk.columns.some((n) => child.columns.find((c) => c.name === n)?.nullable ?? true);
  const parentEnd = nullable ? '|o' : '||';
  const childEnd = uniqueColumns(child, fk.columns) ? 'o|' : 'o{';
  const identifying = fk.columns.every((c) => child.primaryKey?.columns.includes(c));
  return `  ${word(fk.refTable)} ${parentEnd}${identifying ? '--' : '..'}${childEnd} ${word(child.name)} : ${quoted(fk.columns.join(', '))}`;
}

/** The diagram's source (without the Markdown fence). Tables come in the order given. */
export function erDiagram(tables: Table[], options: DiagramOptions): string {
  const lines = ['erDiagram'];
  for (const t of tables) for (const fk of t.foreignKeys) lines.push(relationship(t, fk));
  for (const t of tables) lines.push(...entity(t, options));
  return lines.join('\n');
}
