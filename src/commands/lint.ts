/**
 * dbkit lint: every migration's SQL (both dialects, up and down) read with a
 * real parser and checked against rules with stable codes (docs/lint.md).
 * No database. One line per finding, `--json` for pipelines; exit 1 while
 * findings remain, 0 when clean. `dbkit check` runs it too.
 */
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { findingLine } from '../lint/engine.js';
import { lintMigrations, type SchemaLint } from '../migrate/verify/lint-input.js';
import type { Dialect } from '../schema/model.js';
import { schemaNames, schemas } from '../schema/registry.js';

export interface LintOptions {
  dialect?: string;
}

/** The schemas --schema names (all when none), checked. */
export function lintSchemas(schema: string | undefined): string[] {
  if (schema !== undefined && !schemaNames.includes(schema)) throw new UsageError(`unknown schema "${schema}": use one of ${schemaNames.join(', ')}`);
  return schema ? [schema] : schemaNames;
}

/** Lint the checkout's migrations of these schemas. */
export async function lintSchemaMigrations(names: readonly string[], dialect?: Dialect): Promise<SchemaLint[]> {
  const defs = names.map((n) => ({ name: n, native: schemas[n]!.native }));
  return lintMigrations(defs, dialect ? { dialects: [dialect] } : {});
}

export async function lintCommand(opts: LintOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.dialect !== undefined && !Object.hasOwn(dialects, opts.dialect)) {
    throw new UsageError(`--dialect must be postgres or mysql, got "${opts.dialect}"`);
  }
  const results = await lintSchemaMigrations(lintSchemas(globals.schema), opts.dialect as Dialect | undefined);
  const ok = results.every((r) => !r.findings.length);
  if (io.json) {
    io.emitJson({ ok, schemas: results });
    return ok ? 0 : 1;
  }
  for (const r of results) for (const n of r.notes) io.log(`${n.migration} ${n.file}:${n.statement} note: ${n.message}`);
  const lines = results.flatMap((r) => [
    ...r.findings.map(findingLine),
    ...(io.verbose ? r.allowed.map((a) => `${findingLine(a)} (allowed: ${a.reason})`) : []),
    `${r.schema}: ${r.findings.length ? `${r.findings.length} finding(s)` : 'ok'} (${r.migrations} migrations, ${r.statements} statements${r.allowed.length ? `, ${r.allowed.length} allowed` : ''})`,
  ]);
  io.out(lines.join('\n'));
  return ok ? 0 : 1;
}
