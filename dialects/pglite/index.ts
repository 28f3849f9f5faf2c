/**
 * PGlite behind the engine port: the PostgreSQL object (its SQL dialect is
 * PostgreSQL's) with its own connect, lock and writer (the port-*.ts files
 * beside this one), as Kysely's PGliteAdapter extends PostgresAdapter.
 */
import type { Engine } from '../../src/port/engine.js';
import { postgres } from '../postgres/index.js';
import { pgliteConnect } from './port-connect.js';
import { pgliteMigration } from './port-migration.js';
import { pgliteProbes } from './port-probes.js';
import { pgliteSeed } from './port-seed.js';

export const pglite: Engine = {
  ...postgres,
  name: 'pglite',
  connect: pgliteConnect,
  migration: pgliteMigration,
  seed: pgliteSeed,
  probes: pgliteProbes,
};
