/** Lint SQL text as a test needs it: the real readers (libpg-query; the MySQL classifier), a file's context made up in one line. */
import { lintFile } from '../../src/lint/engine.js';
import type { StatementReader } from '../../src/lint/reader.js';
import type { KnownTable, LintFile, LintResult } from '../../src/lint/types.js';
import { mysqlReader } from '../../dialects/mysql/lint-read.js';
import { postgresReader } from '../../dialects/postgres/lint-read.js';
import type { Dialect } from '../../src/schema/model.js';

export const BREAK = '\n--> statement-breakpoint\n';

export async function readerFor(dialect: Dialect): Promise<StatementReader> {
  return dialect === 'postgres' ? postgresReader() : mysqlReader();
}

/** A table as the snapshot would know it: `{ users: { id: 'bigint', email: 'varchar(50)' } }`; a type ending in `!` is NOT NULL. */
export function tables(spec: Record<string, Record<string, string>>, checks: Record<string, string[]> = {}): Map<string, KnownTable> {
  return new Map(
    Object.entries(spec).map(([t, cols]) => [
      t,
      {
        columns: new Map(Object.entries(cols).map(([c, type]) => [c, { type: type.replace(/!$/, ''), nullable: !type.endsWith('!') }])),
        notNullChecks: new Set(checks[t] ?? []),
      },
    ]),
  );
}

/** Statements joined by breakpoint lines, as dbkit writes a SQL file. */
export const file = (...statements: string[]): string => statements.map((s) => `${s};`).join(BREAK);

export async function lint(dialect: Dialect, text: string, ctx: Partial<LintFile> = {}): Promise<LintResult> {
  const f: LintFile = {
    migration: 'test/20250101000000_t',
    dialect,
    direction: 'up',
    text,
    transactional: dialect === 'postgres',
    tables: null,
    ...ctx,
  };
  return lintFile(f, await readerFor(dialect));
}

/** The codes found, in order, each as `statement:code`. */
export async function codes(dialect: Dialect, text: string, ctx: Partial<LintFile> = {}): Promise<string[]> {
  return (await lint(dialect, text, ctx)).findings.map((f) => `${f.statement}:${f.code}`);
}
