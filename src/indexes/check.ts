/**
 * `dbkit check-indexes`: every index the definition expects is present with
 * the right columns and uniqueness, and valid; plus advisories on the live
 * tables of the schema (unindexed foreign keys, duplicate, redundant and
 * invalid indexes).
 */
import { byString, sameList } from '../schema/describe.js';
import { schemaTables } from '../schema/scope.js';
import type { DbSchema, Table } from '../schema/model.js';
import { duplicateIndexes } from './duplicate.js';
import { invalidIndexes } from './invalid.js';
import { pairIndexes, type IndexPair } from '../schema/index-match.js';
import { redundantIndexes } from './redundant.js';
import {
  ADVISORY_KINDS,
  type Advisory,
  type ExpectedIndexResult,
  type IndexReport,
  type IndexStatus,
} from './types.js';
import { unindexedForeignKeys } from './unindexed-fk.js';

export interface CheckOptions {
  /** Advisories fail the check too. */
  strict?: boolean;
}

function statusOf({ expected: e, actual: a, coveredBy }: IndexPair): IndexStatus {
  if (a === null) return coveredBy === null ? 'missing' : 'ok';
  if (!sameList(a.columns, e.columns)) return 'wrong_columns';
  if (a.unique !== e.unique) return 'wrong_unique';
  if (a.valid === false) return 'invalid';
  return 'ok';
}

function expectedResults(actual: Table | undefined, expected: Table): ExpectedIndexResult[] {
  const pairs: IndexPair[] = actual
    ? pairIndexes(actual, expected).pairs
    : expected.indexes.map((e) => ({ expected: e, actual: null, coveredBy: null }));
  return pairs.map((p) => ({
    table: expected.name,
    name: p.expected.name,
    columns: [...p.expected.columns],
    unique: p.expected.unique,
    status: statusOf(p),
  }));
}

/** `expected`: the definition's table, whose indexes are never the ones advised for dropping in favour of others. */
function advisoriesOf(table: Table, expected: Table): Advisory[] {
  const own = new Set(pairIndexes(table, expected).pairs.flatMap((p) => (p.actual ? [p.actual.name] : [])));
  const duplicates = duplicateIndexes(table, own);
  const flagged = new Set(duplicates.map((a) => a.index));
  return [
    ...unindexedForeignKeys(table),
    ...duplicates,
    ...redundantIndexes(table, own).filter((a) => !flagged.has(a.index)),
    ...invalidIndexes(table),
  ];
}

const kindRank = new Map(ADVISORY_KINDS.map((k, i) => [k, i]));

const compareAdvisories = (a: Advisory, b: Advisory): number =>
  byString(a.table, b.table) ||
  kindRank.get(a.kind)! - kindRank.get(b.kind)! ||
  byString(a.index ?? '', b.index ?? '') ||
  byString(a.columns.join(','), b.columns.join(','));

/** Advisories look only at the tables the definition owns. */
export function checkIndexes(actual: DbSchema, expected: DbSchema, options: CheckOptions = {}): IndexReport {
  const actualByName = new Map(schemaTables(actual).map((t) => [t.name, t]));
  const tables = schemaTables(expected);
  const results = tables
    .flatMap((e) => expectedResults(actualByName.get(e.name), e))
    .sort((a, b) => byString(a.table, b.table) || byString(a.name, b.name));
  const advisories = tables
    .flatMap((e) => {
      const a = actualByName.get(e.name);
      return a ? advisoriesOf(a, e) : [];
    })
    .sort(compareAdvisories);
  const ok = results.every((r) => r.status === 'ok') && !(options.strict && advisories.length > 0);
  return { ok, expected: results, advisories };
}
