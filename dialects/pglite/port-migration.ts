/** PGlite's migration area of the engine port (src/port/migration.ts): PostgreSQL's, with what the embedded database does its own way. */
import type { MigrationPort } from '../../src/port/migration.js';
import { postgresMigration } from '../postgres/port-migration.js';

export const pgliteMigration: MigrationPort = {
  ...postgresMigration,
  // One process owns the embedded database and all its work.
  workProbe: null,
};
