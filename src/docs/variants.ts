/**
 * Side by side: one table of a schema as each variant has it, and values
 * shown once when every variant agrees, else per variant.
 */
import type { Table } from '../schema/model.js';
import type { DocVariant } from './types.js';

/** The same table in each variant (null where a variant does not have it). */
export interface TableAcross {
  name: string;
  tables: Array<Table | null>;
}

/** Every table of any variant: the definition's order first, then the others by name. */
export function tablesAcross(variants: DocVariant[], tableOrder: string[]): TableAcross[] {
  const names = new Set<string>();
  for (const v of variants) for (const t of v.schema.tables) names.add(t.name);
  const rank = new Map(tableOrder.map((n, i) => [n, i]));
  const sorted = [...names].sort((a, b) => {
    const ra = rank.get(a) ?? Infinity;
    const rb = rank.get(b) ?? Infinity;
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0;
  });
  return sorted.map((name) => ({
    name,
    tables: variants.map((v) => v.schema.tables.find((t) => t.name === name) ?? null),
  }));
}

/** Union of keys in first-seen order (variant by variant), for rows that are the same thing in each variant. */
export function unionKeys<T>(lists: Array<T[] | null>, key: (item: T) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const item of list ?? []) {
      const k = key(item);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(k);
      }
    }
  }
  return out;
}

/** Shown where a variant has no such thing. */
export const ABSENT = '—';

/**
 * One cell for a value of each variant (Markdown; null = the variant does
 * not have the object, and is left out): the value once when the variants
 * that have the object agree, else `label: value` per variant, joined by
 * `<br>` (an empty value reads `none`).
 */
export function agreed(values: Array<string | null>, variants: DocVariant[]): string {
  const present = values.flatMap((v, i) => (v === null ? [] : [{ v, label: variants[i]!.label }]));
  if (!present.length) return ABSENT;
  if (present.every((p) => p.v === present[0]!.v)) return present[0]!.v;
  return present.map((p) => `${p.label}: ${p.v || 'none'}`).join('<br>');
}

/** `PostgreSQL only`, `MySQL and live only`; empty when every variant has it. */
export function onlyIn(present: boolean[], variants: DocVariant[]): string {
  if (present.every(Boolean)) return '';
  const labels = variants.filter((_, i) => present[i]).map((v) => v.label);
  return `${labels.join(' and ')} only`;
}
