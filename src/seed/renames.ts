/**
 * Where the tables and columns a generator writes are now: a generator is
 * written against the definition of one migration (SeedGenerator.writtenFor);
 * the renames and drops recorded in the migrations made after it
 * (rename_table, rename_column, drop_table, drop_column in their typed
 * operations) carry its names to the current ones. A table renamed by a
 * hand-written migration (no operations) is not followed: its generator's
 * rows are left out and the renamed table gets generic rows, keyed apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { listMigrationDirs, shown } from '../migrate/folder/folder.js';
import { checkMeta, META_FILE } from '../migrate/folder/format.js';
import type { Operation } from '../plan/operations.js';
import type { SeedTable } from '../fake/types.js';

/** Generator names -> current names (null: dropped since). */
export interface NameMap {
  tables: Record<string, string | null>;
  /** Keyed by the generator's table name, then its column name. */
  columns: Record<string, Record<string, string | null>>;
}

/** Every name as the generator wrote it. */
export function identityNames(tables: readonly SeedTable[]): NameMap {
  return {
    tables: Object.fromEntries(tables.map((t) => [t.name, t.name])),
    columns: Object.fromEntries(tables.map((t) => [t.name, Object.fromEntries(t.columns.map((c) => [c, c]))])),
  };
}

/** Apply one migration's operations (in their order) to the names. */
export function followOperations(names: NameMap, ops: readonly Operation[]): void {
  const generatorTables = (current: string) => Object.keys(names.tables).filter((g) => names.tables[g] === current);
  for (const op of ops) {
    switch (op.op) {
      case 'rename_table':
        for (const g of generatorTables(op.from)) names.tables[g] = op.to;
        break;
      case 'drop_table':
        for (const g of generatorTables(op.table.name)) names.tables[g] = null;
        break;
      case 'rename_column':
      case 'drop_column': {
        const from = op.op === 'rename_column' ? op.from : op.column.name;
        for (const g of generatorTables(op.table)) {
          const cols = names.columns[g]!;
          for (const c of Object.keys(cols)) if (cols[c] === from) cols[c] = op.op === 'rename_column' ? op.to : null;
        }
        break;
      }
      default:
        break;
    }
  }
}

/** The generator's names carried through every migration of `schemaName` made after `writtenFor`. */
export function namesSince(schemaName: string, writtenFor: string, tables: readonly SeedTable[], root?: string): NameMap {
  const names = identityNames(tables);
  for (const dir of listMigrationDirs(schemaName, root)) {
    if (dir.name <= writtenFor) continue;
    const file = path.join(dir.dir, META_FILE);
    let meta;
    try {
      meta = checkMeta(JSON.parse(fs.readFileSync(file, 'utf8')), shown(file, root));
    } catch (err) {
      throw new UsageError(`dbkit seed follows the renames recorded in ${shown(file, root)}, which cannot be read: ${(err as Error).message}`);
    }
    if (meta.handWritten) continue;
    followOperations(names, meta.dialects.postgres.up.operations);
  }
  return names;
}
