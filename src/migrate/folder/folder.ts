/**
 * The migrations folder of a schema on disk: list, read and write frozen
 * migration directories and their snapshots. Reading needs no build and no
 * TypeScript: migrations are data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { migrationsRoot } from '../../shared/paths.js';
import type { SchemaDef } from '../../schema/definition.js';
import type { Dialect } from '../../schema/model.js';
import {
  checkMeta,
  DIALECTS,
  formatJson,
  META_FILE,
  MIGRATION_NAME,
  parseSqlFile,
  renderSqlFile,
  sqlFileName,
  sqlHeader,
  SNAPSHOT_FILE,
  type Direction,
  type MigrationMeta,
} from './format.js';

export interface MigrationDir {
  name: string;
  /** Absolute path of the migration's directory. */
  dir: string;
}

export interface FrozenMigration extends MigrationDir {
  meta: MigrationMeta;
  /** The statements of each SQL file. */
  sql: Record<Dialect, Record<Direction, string[]>>;
}

export const schemaDir = (schemaName: string, root = migrationsRoot()): string => path.join(root, schemaName);

/** The migration directories of a schema, in order (their names start with a timestamp). */
export function listMigrationDirs(schemaName: string, root = migrationsRoot()): MigrationDir[] {
  const dir = schemaDir(schemaName, root);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && MIGRATION_NAME.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, dir: path.join(dir, name) }));
}

/** A path as a person in the project root reads it (`migrations/agents/…`). */
export const shown = (file: string, root = migrationsRoot()): string => path.relative(path.dirname(root), file) || file;

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${shown(file)} is missing`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${shown(file)} is not valid JSON: ${(err as Error).message}`);
  }
}

export function readMigration(md: MigrationDir): FrozenMigration {
  let meta: MigrationMeta;
  try {
    meta = checkMeta(readJson(path.join(md.dir, META_FILE)), shown(path.join(md.dir, META_FILE)));
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message);
  }
  if (meta.name !== md.name) throw new UsageError(`${shown(path.join(md.dir, META_FILE))} names ${meta.name}, not ${md.name}`);
  const sql = {} as FrozenMigration['sql'];
  for (const d of DIALECTS) {
    sql[d] = { up: [], down: [] };
    for (const dir of ['up', 'down'] as const) {
      const file = path.join(md.dir, sqlFileName(d, dir));
      if (!fs.existsSync(file)) throw new UsageError(`${shown(file)} is missing`);
      sql[d][dir] = parseSqlFile(fs.readFileSync(file, 'utf8'));
    }
  }
  return { ...md, meta, sql };
}

/** The definition as of a migration (its snapshot.json). */
export function readSnapshotOf(md: MigrationDir): SchemaDef {
  return readJson(path.join(md.dir, SNAPSHOT_FILE)) as SchemaDef;
}

/**
 * The snapshot: the definition as of the newest migration (or, with `at`, as
 * of that migration: a full name or a unique part of one). With no
 * migrations at all, the schema has no tables yet.
 */
export function readSnapshot(schemaName: string, empty: Omit<SchemaDef, 'tables'>, at?: string, root = migrationsRoot()): SchemaDef {
  const dirs = listMigrationDirs(schemaName, root);
  if (at === undefined) {
    const last = dirs[dirs.length - 1];
    return last ? readSnapshotOf(last) : { ...empty, tables: [] };
  }
  return readSnapshotOf(pickMigration(dirs, at, '--at'));
}

/** The one migration a full name or a unique part of one names. */
export function pickMigration<T extends { name: string }>(dirs: readonly T[], name: string, flag: string): T {
  const exact = dirs.filter((d) => d.name === name);
  const hits = exact.length ? exact : dirs.filter((d) => d.name.includes(name));
  if (hits.length !== 1) {
    throw new UsageError(
      hits.length ? `${flag} ${name} matches several migrations: ${hits.map((h) => h.name).join(', ')}` : `${flag} ${name}: no such migration`,
    );
  }
  return hits[0]!;
}

/** Everything a new migration directory holds. */
export interface NewMigration {
  meta: MigrationMeta;
  sql: Record<Dialect, Record<Direction, string[]>>;
  snapshot: SchemaDef;
  /** Extra header lines per SQL file (instructions of a hand-written migration). */
  headerExtra?: (dialect: Dialect, direction: Direction) => string[];
  /** Comment lines (`-- ...`) written just before a statement, by statement index (lint allowances that make writes). */
  statementComments?: (dialect: Dialect, direction: Direction) => (readonly string[] | undefined)[];
}

/** The files of a migration directory, by file name (what `write` puts on disk, and what tests compare). */
export function migrationFiles(m: NewMigration): Record<string, string> {
  const files: Record<string, string> = {
    [META_FILE]: `${formatJson(m.meta)}\n`,
    [SNAPSHOT_FILE]: `${formatJson(m.snapshot)}\n`,
  };
  for (const d of DIALECTS) {
    for (const dir of ['up', 'down'] as const) {
      const header = sqlHeader(m.meta.name, d, dir, m.meta.dialects[d], m.headerExtra?.(d, dir));
      files[sqlFileName(d, dir)] = renderSqlFile(header, m.sql[d][dir], m.statementComments?.(d, dir));
    }
  }
  return files;
}

/** Write a new migration directory (never over an existing one). */
export function writeMigration(schemaName: string, m: NewMigration, root = migrationsRoot()): string {
  const dir = path.join(schemaDir(schemaName, root), m.meta.name);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir); // throws if it exists
  for (const [file, text] of Object.entries(migrationFiles(m))) fs.writeFileSync(path.join(dir, file), text, { flag: 'wx' });
  return dir;
}
