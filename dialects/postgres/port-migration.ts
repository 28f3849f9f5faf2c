/** Postgres's migration area of the engine port (src/port/migration.ts). */
import type { MigrationPort } from '../../src/port/migration.js';

export const postgresMigration: MigrationPort = {};
