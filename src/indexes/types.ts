/** The result of `dbkit check-indexes`. */
import type { Table } from '../schema/model.js';

export type IndexStatus = 'ok' | 'missing' | 'wrong_columns' | 'wrong_unique' | 'invalid';

/** One index the definition expects, and what the database has of it. */
export interface ExpectedIndexResult {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
  status: IndexStatus;
}

export type AdvisoryKind = 'unindexed_fk' | 'duplicate' | 'redundant' | 'invalid';

/** The order advisories of one table are listed in. */
export const ADVISORY_KINDS: readonly AdvisoryKind[] = ['unindexed_fk', 'duplicate', 'redundant', 'invalid'];

/** A finding that does not fail the check unless `--strict`. */
export interface Advisory {
  kind: AdvisoryKind;
  table: string;
  /** The index the advisory is about (the one that could be dropped or rebuilt); null for an unindexed foreign key. */
  index: string | null;
  columns: string[];
  message: string;
}

export interface IndexReport {
  /** Every expected index is present, right and valid (and, with `strict`, there is no advisory). */
  ok: boolean;
  expected: ExpectedIndexResult[];
  advisories: Advisory[];
}

/** One advisory rule: looks at one actual table. */
export type IndexRule = (table: Table) => Advisory[];
