/**
 * Indexes: named ones by name and definition (columns and their order,
 * uniqueness, method, partial predicate); MySQL's implicit foreign-key index
 * by columns (see indexes/match.ts).
 */
import { pairIndexes } from '../schema/index-match.js';
import type { Index, Table } from '../schema/model.js';
import type { Change } from './changes.js';
import { cols, indexShape, sameList } from '../schema/describe.js';

/** The differences of two definitions of one index, as message fragments. */
function indexDifferences(a: Index, e: Index): string[] {
  const out: string[] = [];
  if (!sameList(a.columns, e.columns)) out.push(`columns ${cols(a.columns)}, expected ${cols(e.columns)}`);
  if (a.unique !== e.unique) out.push(a.unique ? 'unique, expected not unique' : 'not unique, expected unique');
  if (a.method !== e.method) out.push(`method ${a.method}, expected ${e.method}`);
  if (a.where !== e.where) out.push(`predicate ${a.where ?? 'none'}, expected ${e.where ?? 'none'}`);
  return out;
}

export function diffIndexes(actual: Table, expected: Table): Change[] {
  const table = expected.name;
  const { pairs, extra } = pairIndexes(actual, expected);
  const out: Change[] = [];
  for (const { expected: e, actual: a, coveredBy } of pairs) {
    if (a === null) {
      if (coveredBy !== null) continue;
      out.push({
        kind: 'index_missing',
        table,
        name: e.name,
        expected: e,
        actual: null,
        message: `Index ${e.name} ${indexShape(e)} on ${table} is missing.`,
      });
      continue;
    }
    const differences = indexDifferences(a, e);
    if (!differences.length) continue;
    out.push({
      kind: 'index_changed',
      table,
      name: e.name,
      expected: e,
      actual: a,
      message: `Index ${e.name} on ${table} differs: ${differences.join('; ')}.`,
    });
  }
  for (const a of extra) {
    out.push({
      kind: 'index_extra',
      table,
      name: a.name,
      expected: null,
      actual: a,
      message: `Index ${a.name} ${indexShape(a)} on ${table} is not in the definition.`,
    });
  }
  return out;
}
