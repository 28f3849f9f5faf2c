/**
 * The fix script of `dbkit diff --sql`, from a plan made with purpose `fix`
 * (src/plan): pure text, never run by dbkit.
 *
 * - every statement complete with its semicolon; a refused one is printed
 *   commented out line by line, after a comment that says why, so that
 *   uncommenting any of them (two, all) gives valid SQL;
 * - PostgreSQL: the whole script in one transaction (BEGIN; ... COMMIT;),
 *   except `ALTER TYPE ... ADD VALUE`, which runs before it (a label added in
 *   a transaction cannot be used there); MySQL commits each DDL statement;
 * - a view in the way of a statement is named in a comment before it.
 */
import type { DialectPlan } from './types.js';
import { commentLines } from '../shared/sql-text.js';
import type { ViewBlocker } from './view-blockers.js';

export interface FixScriptOptions {
  /** The statement that makes the namespace the script's target (`SET search_path TO ...`, `USE ...`). */
  target: string;
  /** Views in the way of statements (src/plan/view-blockers.ts). */
  views?: ViewBlocker[];
}

/** Line by line, at every line break (PostgreSQL's lexer ends a comment at \r too): no part of it runs. */
const commented = (text: string): string => commentLines(text).join('\n');

/** The entries of the script in order; joined with blank lines they are the script. */
export function fixScript(plan: DialectPlan, opts: FixScriptOptions): string[] {
  const notes = new Map<number, string[]>();
  for (const v of opts.views ?? []) notes.set(v.statement, [...(notes.get(v.statement) ?? []), v.message]);
  const entry = (i: number): string => {
    const s = plan.statements[i]!;
    const before = (notes.get(i) ?? []).map(commented);
    const body = s.disabled ? [commented(s.disabled), commented(`${s.sql};`)] : [`${s.sql};`];
    return [...before, ...body].join('\n');
  };
  const indexes = plan.statements.map((_, i) => i);
  // A plan that cannot run in one transaction (MySQL commits each DDL statement) is the statements as they come.
  if (!plan.transactional) return [`${opts.target};`, ...indexes.map(entry)];
  const first = indexes.filter((i) => plan.statements[i]!.commitFirst);
  const rest = indexes.filter((i) => !plan.statements[i]!.commitFirst);
  return [
    `${opts.target};`,
    ...first.map(entry),
    ...(rest.length ? ['BEGIN;', ...rest.map(entry), 'COMMIT;'] : []),
  ];
}

/** How many statements the script leaves commented out. */
export const refusedCount = (plan: DialectPlan): number => plan.statements.filter((s) => s.disabled).length;
