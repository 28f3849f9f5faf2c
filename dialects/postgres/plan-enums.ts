/**
 * Enum types in PostgreSQL plans. Labels added keep the type:
 * `ALTER TYPE ... ADD VALUE` (in a transaction since PostgreSQL 12, but a
 * label added there cannot be used before the transaction commits: the
 * statement is marked `commitFirst`). A label removed or the order changed
 * swaps the type: a new type with the new labels, each column of the type
 * converted through text (a value whose label is gone makes it fail, nothing
 * is lost silently), the old type dropped, the new one renamed.
 */
import type { OperationOf } from '../../src/plan/operations.js';
import { defaultSql } from './ddl.js';
import { ident, literal } from './quote.js';

/** True when `to` is `from` with labels added (anywhere) and none removed or reordered. */
export function onlyAdds(from: string[], to: string[]): boolean {
  const kept = to.filter((l) => from.includes(l));
  return kept.length === from.length && kept.every((l, i) => l === from[i]);
}

export const createEnum = (name: string, labels: string[]): string =>
  `CREATE TYPE ${ident(name)} AS ENUM (${labels.map(literal).join(', ')})`;

/** `ADD VALUE` statements, each placed after the label it follows (or before the first). */
function addValues(name: string, from: string[], to: string[]): string[] {
  return to.flatMap((label, i) => {
    if (from.includes(label)) return [];
    const where = i > 0 ? ` AFTER ${literal(to[i - 1]!)}` : to.length > 1 ? ` BEFORE ${literal(to[1]!)}` : '';
    return [`ALTER TYPE ${ident(name)} ADD VALUE IF NOT EXISTS ${literal(label)}${where}`];
  });
}

function swap(o: OperationOf<'alter_enum'>): string[] {
  const temp = `${o.name}__new`;
  const out = [createEnum(temp, o.to)];
  for (const use of o.uses ?? []) {
    const col = `ALTER COLUMN ${ident(use.column)}`;
    const actions = [
      ...(use.default !== null ? [`${col} DROP DEFAULT`] : []),
      `${col} TYPE ${ident(temp)} USING ${ident(use.column)}::text::${ident(temp)}`,
      // The old default comes back where its label still exists.
      ...(use.default !== null && keepsDefault(use.default, o.to) ? [`${col} SET DEFAULT ${defaultSql(use.default)}`] : []),
    ];
    out.push(`ALTER TABLE ${ident(use.table)} ${actions.join(', ')}`);
  }
  out.push(`DROP TYPE ${ident(o.name)}`, `ALTER TYPE ${ident(temp)} RENAME TO ${ident(o.name)}`);
  return out;
}

const keepsDefault = (expr: string, labels: string[]): boolean => {
  const m = /^'((?:[^']|'')*)'$/.exec(expr);
  return !m || labels.includes(m[1]!.replace(/''/g, "'"));
};

export interface EnumStatement {
  sql: string;
  commitFirst?: true;
}

export function alterEnum(o: OperationOf<'alter_enum'>): EnumStatement[] {
  if (onlyAdds(o.from, o.to)) return addValues(o.name, o.from, o.to).map((sql) => ({ sql, commitFirst: true as const }));
  return swap(o).map((sql) => ({ sql }));
}

/** The labels an alter_enum adds (used to tell when a later statement needs them committed). */
export const addedLabels = (o: OperationOf<'alter_enum'>): string[] => (onlyAdds(o.from, o.to) ? o.to.filter((l) => !o.from.includes(l)) : []);
