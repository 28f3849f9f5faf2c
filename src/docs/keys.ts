/** The indexes table and the constraint, trigger and advisory lists of a table section. */
import { cols, fkLabel, PRIMARY_KEY_LABEL, uniqueLabel } from '../schema/describe.js';
import { ownIndexes } from '../schema/index-match.js';
import type { ForeignKey, Index, Table } from '../schema/model.js';
import { code, table, text } from './markdown.js';
import type { Marks } from './marks.js';
import type { DocVariant } from './types.js';
import { ABSENT, agreed, onlyIn, unionKeys, type TableAcross } from './variants.js';

/** What makes two indexes of different variants the same index: their shape, not their name. */
const shapeKey = (i: Index): string => JSON.stringify([i.unique, i.method, i.where, i.columns]);

const shapeText = (i: Index): string =>
  [code(i.columns.join(', ')), i.method !== 'btree' ? `using ${i.method}` : '', i.where !== null ? `where ${code(i.where)}` : '']
    .filter(Boolean)
    .join(' ');

function indexName(tableName: string, i: Index, marks: Marks): string {
  const notes = [i.implicit ? 'implicit: made by MySQL for the foreign key' : '', i.valid === false ? '**INVALID**' : '']
    .filter(Boolean)
    .join(', ');
  return `${marks.index(tableName, i.name) ? '⚠ ' : ''}${code(i.name)}${notes ? ` (${notes})` : ''}`;
}

/** Indexes other than those behind the primary key and unique constraints; null when no variant has one. */
export function indexesTable(across: TableAcross, variants: DocVariant[], marks: Marks): string | null {
  const lists = across.tables.map((t) => (t ? ownIndexes(t) : null));
  const shapes = unionKeys(lists, shapeKey);
  if (!shapes.length) return null;
  const rows = shapes.map((shape) => {
    const each = lists.map((l) => (l ?? []).filter((i) => shapeKey(i) === shape));
    const first = each.find((e) => e.length)![0]!;
    return [
      shapeText(first),
      first.unique ? 'yes' : '',
      ...each.map((e) => (e.length ? e.map((i) => indexName(across.name, i, marks)).join('<br>') : ABSENT)),
    ];
  });
  const heads = variants.map((v) => (variants.length > 1 ? `name (${v.label})` : 'name'));
  return table(['columns', 'unique', ...heads], rows);
}

const fkActions = (fk: ForeignKey): string =>
  `ON DELETE ${fk.onDelete}${fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : ''}`;

interface ConstraintOf {
  label: string;
  name: string | null;
  /** ON DELETE / ON UPDATE of a foreign key, else empty. */
  details: string;
}

function constraintsOf(t: Table): ConstraintOf[] {
  return [
    ...(t.primaryKey ? [{ label: `${PRIMARY_KEY_LABEL} ${cols(t.primaryKey.columns)}`, name: t.primaryKey.name, details: '' }] : []),
    ...t.uniques.map((u) => ({ label: uniqueLabel(u), name: u.name, details: '' })),
    ...t.foreignKeys.map((fk) => ({ label: fkLabel(fk), name: fk.name, details: fkActions(fk) })),
  ];
}

/** The differ names a primary-key change `PRIMARY KEY` whatever its columns. */
const markLabel = (label: string): string => (label.startsWith(`${PRIMARY_KEY_LABEL} `) ? PRIMARY_KEY_LABEL : label);

/** Primary key, unique constraints and foreign keys (with ON DELETE), one list item each. */
export function constraintsList(across: TableAcross, variants: DocVariant[], marks: Marks): string | null {
  const lists = across.tables.map((t) => (t ? constraintsOf(t) : null));
  const labels = unionKeys(lists, (c) => c.label);
  if (!labels.length) return null;
  return labels
    .map((label) => {
      const each = lists.map((l) => l?.find((c) => c.label === label) ?? null);
      const details = agreed(
        each.map((c) => c?.details ?? null),
        variants,
      );
      const names = each.flatMap((c, i) => (c?.name ? [`${code(c.name)} in ${variants[i]!.label}`] : []));
      const only = onlyIn(
        each.map((c) => c !== null),
        variants,
      );
      return [
        `- ${marks.constraint(across.name, markLabel(label)) ? '⚠ ' : ''}${code(label)}`,
        details && details !== ABSENT ? ` ${details}` : '',
        names.length ? ` (named ${names.join(', ')})` : '',
        only ? ` — ${only}` : '',
      ].join('');
    })
    .join('\n');
}

/** Row triggers (PostgreSQL's updated_at triggers), one list item each; null when none. */
export function triggersList(across: TableAcross, variants: DocVariant[]): string | null {
  const lists = variants.map((v) => v.schema.triggers.filter((t) => t.table === across.name));
  const names = unionKeys(lists, (t) => t.name);
  if (!names.length) return null;
  return names
    .map((name) => {
      const each = lists.map((l) => l.find((t) => t.name === name) ?? null);
      const what = agreed(
        each.map((t) => (t ? `${t.timing}, runs ${code(`${t.function}()`)}` : null)),
        variants,
      );
      const only = onlyIn(
        each.map((t) => t !== null),
        variants,
      );
      return `- ${code(name)} ${what}${only ? ` — ${only}` : ''}`;
    })
    .join('\n');
}

/** The `check-indexes` advisories on this table, each once, tagged with the variants it applies to when not all. */
export function advisoriesList(across: TableAcross, variants: DocVariant[]): string | null {
  const lists = variants.map((v) => v.advisories.filter((a) => a.table === across.name));
  const keys = unionKeys(lists, (a) => `${a.kind}\u0000${a.message}`);
  if (!keys.length) return null;
  return keys
    .map((k) => {
      const present = lists.map((l) => l.some((a) => `${a.kind}\u0000${a.message}` === k));
      const a = lists.flatMap((l) => l).find((x) => `${x.kind}\u0000${x.message}` === k)!;
      const labels = variants.filter((_, i) => present[i]).map((v) => v.label);
      const tag = present.every(Boolean) ? '' : ` (${labels.join(', ')})`;
      return `- ${code(a.kind)}${tag}: ${text(a.message)}`;
    })
    .join('\n');
}
