/** The columns table of a table section: key, type in each variant, nullability, default, comment. */
import type { Column, Table, Trigger } from '../schema/model.js';
import { updateTriggerName } from '../schema/variant.js';
import { code, table, text } from './markdown.js';
import type { Marks } from './marks.js';
import type { DocVariant } from './types.js';
import { ABSENT, agreed, unionKeys, type TableAcross } from './variants.js';

/** `PK`, `FK → users.id`, `UK` (`UK (user_id, key)` for a column of a composite unique key). */
export function keyText(t: Table, column: string): string {
  const keys: string[] = [];
  if (t.primaryKey?.columns.includes(column)) {
    keys.push(t.primaryKey.columns.length > 1 ? `PK (${t.primaryKey.columns.join(', ')})` : 'PK');
  }
  for (const fk of t.foreignKeys) {
    const i = fk.columns.indexOf(column);
    if (i >= 0) keys.push(`FK → ${fk.refTable}.${fk.refColumns[i] ?? '?'}`);
  }
  const uniques = [
    ...t.uniques.map((u) => u.columns),
    ...t.indexes.filter((x) => x.unique && x.where === null && !t.uniques.some((u) => u.name === x.name)).map((x) => x.columns),
  ].filter((cols) => cols.includes(column) && !(t.primaryKey && sameSet(t.primaryKey.columns, cols)));
  const seen = new Set<string>();
  for (const cols of uniques) {
    const k = cols.length > 1 ? `UK (${cols.join(', ')})` : 'UK';
    if (!seen.has(k)) keys.push(k);
    seen.add(k);
  }
  return keys.join(', ');
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((c) => b.includes(c));

/**
 * Default, auto-increment and ON UPDATE of a column, as one Markdown cell
 * fragment; `trigger` names the trigger that sets it on update (PostgreSQL's
 * stand-in for ON UPDATE), if the table has one.
 */
export function defaultText(c: Column, trigger: Trigger | undefined): string {
  const parts: string[] = [];
  if (c.default !== null) parts.push(code(c.default));
  if (c.autoIncrement) parts.push('AUTO_INCREMENT');
  if (c.onUpdate !== null) parts.push(`ON UPDATE ${code(c.onUpdate)}`);
  if (trigger) parts.push(`set on update by trigger ${code(trigger.name)}`);
  return parts.join(' ');
}

export function columnsTable(across: TableAcross, variants: DocVariant[], marks: Marks): string {
  const names = unionKeys(
    across.tables.map((t) => t?.columns ?? null),
    (c) => c.name,
  );
  const rows = names.map((name) => {
    const cols = across.tables.map((t) => t?.columns.find((c) => c.name === name) ?? null);
    const keys = agreed(
      across.tables.map((t, i) => (t && cols[i] ? keyText(t, name) : null)),
      variants,
    );
    const mark = marks.column(across.name, name) ? '⚠ ' : '';
    return [
      `${mark}${code(name)}`,
      keys === ABSENT ? '' : keys,
      ...cols.map((c) => (c ? code(c.type) : ABSENT)),
      agreed(cols.map((c) => (c ? (c.nullable ? 'yes' : 'no') : null)), variants),
      agreed(
        cols.map((c, i) => (c ? defaultText(c, variants[i]!.schema.triggers.find((t) => t.table === across.name && t.name === updateTriggerName(across.name, name))) : null)),
        variants,
      ),
      agreed(cols.map((c) => (c ? text(c.comment ?? '') : null)), variants),
    ];
  });
  const typeHeads = variants.map((v) => (variants.length > 1 ? `type (${v.label})` : 'type'));
  const heads = ['column', 'key', ...typeHeads, 'nullable', 'default', 'comment'];
  // A table none of whose columns has a comment in any variant gets no comment column.
  const commented = across.tables.some((t) => t?.columns.some((c) => c.comment));
  return commented ? table(heads, rows) : table(heads.slice(0, -1), rows.map((r) => r.slice(0, -1)));
}
