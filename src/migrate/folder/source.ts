/**
 * dbkit's migrations as the runner sees them on one dialect: the frozen
 * statements of up and down, their operations, whether they run in a
 * transaction, and the checksum recorded when they are applied.
 *
 * The checksum is the one dbkit 0.1.0 recorded for its step migrations,
 * sha256("<dialect>\n<up joined by ;\n>\n-- down\n<down joined by ;\n>"), of
 * the statements alone (not the header comments): the twelve migrations that
 * were frozen from 0.1.0's step migrations hold exactly the SQL they ran, so
 * every database 0.1.0 migrated shows them applied and unchanged.
 */
import { createHash } from 'node:crypto';
import { migrationsRoot } from '../../shared/paths.js';
import type { Dialect } from '../../schema/model.js';
import { listMigrationDirs, readMigration, type MigrationDir } from './folder.js';
import type { DialectMeta } from './format.js';
import { verifySum } from './sum.js';

export interface LoadedMigration extends MigrationDir {
  dialect: Dialect;
  up: string[];
  down: string[];
  meta: DialectMeta;
  handWritten: boolean;
  checksum: string;
}

export const CHECKSUM_TABLE = 'dbkit_checksums';
export const MIGRATION_TABLE = 'dbkit_migrations';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export const checksumOf = (dialect: Dialect, up: readonly string[], down: readonly string[]): string =>
  sha256(`${dialect}\n${up.join(';\n')}\n-- down\n${down.join(';\n')}`);

/** Names of a schema's migrations, in order, without reading them (`diff` says which are pending). */
export const listMigrationFiles = (schemaName: string): MigrationDir[] => listMigrationDirs(schemaName);

/** Every migration of a schema on one dialect, in order; refused (exit 2) when the folder disagrees with its sum. */
export function loadMigrations(schemaName: string, dialect: Dialect, root = migrationsRoot()): LoadedMigration[] {
  verifySum(schemaName, root);
  return readMigrations(schemaName, dialect, root);
}

/** The same without the sum check (`dbkit check` reports a bad sum itself and goes on). */
export function readMigrations(schemaName: string, dialect: Dialect, root = migrationsRoot()): LoadedMigration[] {
  return listMigrationDirs(schemaName, root).map((md) => {
    const m = readMigration(md);
    const { up, down } = m.sql[dialect];
    return {
      name: m.name,
      dir: m.dir,
      dialect,
      up,
      down,
      meta: m.meta.dialects[dialect],
      handWritten: m.meta.handWritten,
      checksum: checksumOf(dialect, up, down),
    };
  });
}
