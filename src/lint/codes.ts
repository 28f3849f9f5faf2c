/**
 * The lint's codes: stable, documented one per row in docs/lint.md (a unit
 * test keeps the two equal). A code is never reused for another meaning.
 *
 *   DBK0xx  lint itself        DBK3xx  validation scans under lock
 *   DBK1xx  blocking locks     DBK4xx  transactions and resumed runs
 *   DBK2xx  rewrites, copies   DBK5xx  breaking running clients
 *                              DBK6xx  dbkit's own bounds
 */
import type { Dialect } from '../schema/model.js';

export interface CodeInfo {
  code: string;
  title: string;
  dialects: readonly Dialect[];
}

const both = ['postgres', 'mysql'] as const;
const pg = ['postgres'] as const;
const my = ['mysql'] as const;

export const CODES: readonly CodeInfo[] = [
  { code: 'DBK001', title: 'statement or clause lint cannot read (not checked)', dialects: both },
  { code: 'DBK002', title: 'malformed allowance (no reason, or not a code)', dialects: both },
  { code: 'DBK003', title: 'allowance that matches no finding of its statement', dialects: both },
  { code: 'DBK101', title: 'CREATE INDEX without CONCURRENTLY on an existing table', dialects: pg },
  { code: 'DBK102', title: 'DROP INDEX without CONCURRENTLY', dialects: pg },
  { code: 'DBK103', title: 'REINDEX without CONCURRENTLY', dialects: pg },
  { code: 'DBK111', title: 'ALTER TABLE / CREATE or DROP INDEX without ALGORITHM=INSTANT or ALGORITHM=INPLACE, LOCK=NONE', dialects: my },
  { code: 'DBK201', title: 'column type change that rewrites the table', dialects: pg },
  { code: 'DBK202', title: 'column added with a value per row (volatile default, identity, serial, stored generated, AUTO_INCREMENT, (expr) default)', dialects: both },
  { code: 'DBK203', title: 'table copy: ALGORITHM=COPY, or a clause that copies when no algorithm is demanded', dialects: my },
  { code: 'DBK204', title: 'whole-table rewrite: VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED/TABLESPACE/ACCESS METHOD', dialects: pg },
  { code: 'DBK301', title: 'ADD FOREIGN KEY without NOT VALID on an existing table', dialects: pg },
  { code: 'DBK302', title: 'ADD CHECK without NOT VALID on an existing table', dialects: pg },
  { code: 'DBK303', title: 'VALIDATE CONSTRAINT in the same transaction as its NOT VALID', dialects: pg },
  { code: 'DBK304', title: 'ADD UNIQUE without USING INDEX on an existing table', dialects: pg },
  { code: 'DBK305', title: 'ADD PRIMARY KEY without USING INDEX on an existing table', dialects: pg },
  { code: 'DBK306', title: 'SET NOT NULL without a validated CHECK (col IS NOT NULL)', dialects: pg },
  { code: 'DBK307', title: 'ADD COLUMN NOT NULL without DEFAULT on an existing table', dialects: both },
  { code: 'DBK401', title: 'CONCURRENTLY in a migration that runs in a transaction', dialects: pg },
  { code: 'DBK402', title: 'transaction control (BEGIN, COMMIT, ROLLBACK...) in a migration', dialects: both },
  { code: 'DBK403', title: 'statement a resumed run repeats, not safe to repeat', dialects: both },
  { code: 'DBK501', title: 'DROP COLUMN', dialects: both },
  { code: 'DBK502', title: 'DROP TABLE', dialects: both },
  { code: 'DBK503', title: 'RENAME COLUMN', dialects: both },
  { code: 'DBK504', title: 'RENAME TABLE', dialects: both },
  { code: 'DBK601', title: "lock_timeout / statement_timeout turned off (dbkit's bound lifted)", dialects: pg },
];
