/**
 * What the folder holds and the database has applied, classified: all that
 * `status` reads, and what every run reads first. Kept apart from the runner
 * so that reading it loads nothing of running migrations.
 */
import type { Session } from '../../db/connect.js';
import { loadMigrations, type LoadedMigration } from '../folder/source.js';
import { classify, readDatabaseState, type DatabaseState, type MigrationEntry } from './state.js';

export interface Loaded {
  migrations: LoadedMigration[];
  db: DatabaseState;
  entries: MigrationEntry[];
}

export async function loadState(conn: Session): Promise<Loaded> {
  const migrations = loadMigrations(conn.config.schemaName, conn.config.dialect);
  const db = await readDatabaseState(conn);
  return { migrations, db, entries: classify(db, migrations) };
}
