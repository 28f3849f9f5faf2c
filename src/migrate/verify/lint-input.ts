/**
 * The migrations folder as `dbkit lint` reads it: each migration's four SQL
 * files (raw text: allowances live in comments) with what dbkit knows about
 * them: the tables before the file (the snapshot before it, resolved to the
 * dialect's variant), whether it runs in a transaction, which statements
 * have their operations recorded (a resumed run decides from the catalog
 * for those), and the up file beside each down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import { lintFiles } from '../../lint/engine.js';
import type { StatementReader } from '../../lint/reader.js';
import type { KnownTable, LintFile, LintResult } from '../../lint/types.js';
import { migrationsRoot } from '../../shared/paths.js';
import type { SchemaDef } from '../../schema/definition.js';
import type { DbSchema, Dialect } from '../../schema/model.js';
import { resolveSchema } from '../../schema/resolve.js';
import { listMigrationDirs, readMigration, readSnapshotOf } from '../folder/folder.js';
import { DIALECTS, sqlFileName, type Direction, type MigrationMeta } from '../folder/format.js';

/** `CHECK (col IS NOT NULL)` as the model stores its expression: the column, else null. */
const notNullColumn = (expression: string): string | null =>
  /^\(*\s*[`"]?([^`"\s()]+)[`"]?\s+IS\s+NOT\s+NULL\s*\)*$/i.exec(expression.trim())?.[1] ?? null;

function knownTables(schema: DbSchema): { tables: Map<string, KnownTable>; indexTables: Map<string, string> } {
  const tables = new Map<string, KnownTable>();
  const indexTables = new Map<string, string>();
  for (const t of schema.tables) {
    tables.set(t.name, {
      columns: new Map(t.columns.map((c) => [c.name, { type: c.type, nullable: c.nullable }])),
      notNullChecks: new Set((t.checks ?? []).map((k) => notNullColumn(k.expression)).filter((c): c is string => c !== null)),
    });
    for (const i of t.indexes) indexTables.set(i.name, t.name);
  }
  return { tables, indexTables };
}

export interface LintInputOptions {
  dialects?: readonly Dialect[];
  root?: string;
}

/** One migration's SQL files (raw text by dialect and direction) with what dbkit knows about them, ready for the lint engine. */
export function migrationLintFiles(
  label: string,
  meta: MigrationMeta,
  text: (dialect: Dialect, direction: Direction) => string,
  before: SchemaDef,
  after: SchemaDef,
  wanted: readonly Dialect[] = DIALECTS,
): LintFile[] {
  const out: LintFile[] = [];
  for (const dialect of DIALECTS.filter((d) => wanted.includes(d))) {
    const dm = meta.dialects[dialect];
    for (const direction of ['up', 'down'] as const) {
      const known = knownTables(resolveSchema(direction === 'up' ? before : after, dialects[dialect].rules));
      const recorded = meta.handWritten ? [] : dm[direction].statementOperations.map((ops) => ops.length > 0);
      out.push({
        migration: label,
        dialect,
        direction,
        text: text(dialect, direction),
        transactional: dm.transactional,
        tables: known.tables,
        indexTables: known.indexTables,
        recorded,
        ...(direction === 'down' ? { upText: text(dialect, 'up') } : {}),
      });
    }
  }
  return out;
}

/** Every SQL file of a schema's migrations, in order (up then down per dialect), ready for the lint engine. */
export function lintInputs(schemaName: string, empty: Omit<SchemaDef, 'tables'>, opts: LintInputOptions = {}): LintFile[] {
  const root = opts.root ?? migrationsRoot();
  const out: LintFile[] = [];
  let before: SchemaDef = { ...empty, tables: [] };
  for (const md of listMigrationDirs(schemaName, root)) {
    const m = readMigration(md);
    const after = readSnapshotOf(md);
    const text = (dialect: Dialect, dir: Direction) => fs.readFileSync(path.join(md.dir, sqlFileName(dialect, dir)), 'utf8');
    out.push(...migrationLintFiles(`${schemaName}/${md.name}`, m.meta, text, before, after, opts.dialects));
    before = after;
  }
  return out;
}

/** The statement readers of the dialects asked for (each loads its parser). */
export async function lintReaders(wanted: readonly Dialect[] = DIALECTS): Promise<Partial<Record<Dialect, StatementReader>>> {
  const readers: Partial<Record<Dialect, StatementReader>> = {};
  for (const d of wanted) readers[d] = await dialects[d].lintReader();
  return readers;
}

export interface SchemaLint extends LintResult {
  schema: string;
  migrations: number;
}

/** Lint the migrations of each schema (each definition's name and native dialect from `defs`), on the dialects asked for. */
export async function lintMigrations(defs: readonly Omit<SchemaDef, 'tables'>[], opts: LintInputOptions = {}): Promise<SchemaLint[]> {
  const readers = await lintReaders(opts.dialects);
  return defs.map((def) => ({
    schema: def.name,
    migrations: listMigrationDirs(def.name, opts.root ?? migrationsRoot()).length,
    ...lintFiles(lintInputs(def.name, def, opts), readers),
  }));
}
