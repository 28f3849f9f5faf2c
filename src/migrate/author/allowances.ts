/**
 * What `make` accepts on purpose, written into the migration where lint will
 * look for it. make lints the migration it composed (the engine and readers
 * of `dbkit lint`); a finding on a statement that performs exactly the
 * change the author accepted (a drop made with --allow-data-loss, a declared
 * rename, a statement the plan marks as blocking, made with --allow-blocking
 * or for pt-online-schema-change; in a down, a blocking statement make
 * listed as the rollback's) gets an allowance comment with its reason
 * just before that statement. Any other finding is returned as it is: make
 * reports it, and `dbkit lint` / `dbkit check` fail on it until it is
 * settled (docs/lint.md).
 */
import { allowanceComment } from '../../lint/source.js';
import type { Finding } from '../../lint/types.js';
import type { Operation } from '../../plan/operations.js';
import type { SchemaDef } from '../../schema/definition.js';
import type { Dialect } from '../../schema/model.js';
import { migrationFiles, type NewMigration } from '../folder/folder.js';
import { sqlFileName, type Direction } from '../folder/format.js';
import { lintReaders, migrationLintFiles } from '../verify/lint-input.js';
import { lintFiles } from '../../lint/engine.js';

const DROPPED = 'dropped on purpose (made with --allow-data-loss; migrate counts the rows it loses before running)';
const RENAMED = 'a declared rename (renamedFrom or --rename): clients still using the old name break';
const BLOCKS = 'blocks writes while it runs: made with --allow-blocking (see the BLOCKS WRITES line of the header)';
/**
 * make gates the blocking statements of the up only (a rollback is run on
 * purpose, and gating every enum label added on its down would refuse most
 * changes): a down's blocking statement was listed by make, not allowed by a flag.
 */
const ROLLBACK_BLOCKS = 'the rollback blocks writes while it runs (listed by make; rollback is run on purpose; see the BLOCKS WRITES line of the header)';

/** The codes a statement may carry because of what its operations are, with the reason written beside them. */
const BY_OPERATION: Record<string, { ops: readonly Operation['op'][]; reason: string }> = {
  DBK501: { ops: ['drop_column'], reason: `the column is ${DROPPED}` },
  DBK502: { ops: ['drop_table'], reason: `the table is ${DROPPED}` },
  DBK503: { ops: ['rename_column'], reason: RENAMED },
  DBK504: { ops: ['rename_table'], reason: RENAMED },
  DBK307: {
    ops: ['add_column'],
    reason: 'a NOT NULL column without a default, made with --allow-data-loss: migrate refuses while the table has rows, and INSERTs that do not name it fail',
  },
};
/** Codes of rewrites and copies: allowed on the statements the plan marks as blocking. */
const BLOCKING_CODES = new Set(['DBK111', 'DBK201', 'DBK202', 'DBK203', 'DBK204', 'DBK305']);

function reasonFor(made: NewMigration, f: Finding): string | null {
  const meta = made.meta.dialects[f.dialect][f.direction];
  const i = f.statement - 1;
  if (BLOCKING_CODES.has(f.code)) return (meta.blocking ?? []).includes(i) ? (f.direction === 'up' ? BLOCKS : ROLLBACK_BLOCKS) : null;
  const rule = BY_OPERATION[f.code];
  if (!rule) return null;
  const ops = (meta.statementOperations[i] ?? []).map((j) => meta.operations[j]!.op);
  return ops.some((op) => rule.ops.includes(op)) ? rule.reason : null;
}

export interface Allowances {
  /** The migration with the allowance comments it needs. */
  migration: NewMigration;
  /** Findings make did not accept on purpose: said by make, failed by lint and check. */
  unexplained: Finding[];
}

/** Lint a composed (not hand-written) migration and write the allowances of what its author accepted. */
export async function withAllowances(made: NewMigration, schemaName: string, before: SchemaDef): Promise<Allowances> {
  if (made.meta.handWritten) return { migration: made, unexplained: [] };
  const files = migrationFiles(made);
  const text = (d: Dialect, dir: Direction) => files[sqlFileName(d, dir)]!;
  const lint = lintFiles(migrationLintFiles(`${schemaName}/${made.meta.name}`, made.meta, text, before, made.snapshot), await lintReaders());
  const comments = new Map<string, string[][]>();
  const unexplained: Finding[] = [];
  for (const f of lint.findings) {
    const reason = reasonFor(made, f);
    if (!reason) {
      unexplained.push(f);
      continue;
    }
    const key = `${f.dialect}.${f.direction}`;
    const list = comments.get(key) ?? [];
    (list[f.statement - 1] ??= []).push(allowanceComment(f.code, reason));
    comments.set(key, list);
  }
  if (!comments.size) return { migration: made, unexplained };
  return { migration: { ...made, statementComments: (d, dir) => comments.get(`${d}.${dir}`) ?? [] }, unexplained };
}
