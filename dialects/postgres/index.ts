/** Postgres behind the engine port: one object, its areas from the port-*.ts files beside it (src/port/engine.ts). */
import type { Engine } from '../../src/port/engine.js';
import { postgresConnect } from './port-connect.js';
import { postgresMigration } from './port-migration.js';
import { postgresProbes } from './port-probes.js';
import { postgresSeed } from './port-seed.js';
import { postgresSql } from './port-sql.js';

export const postgres: Engine = {
  name: 'postgres',
  dialect: postgresSql,
  connect: postgresConnect,
  migration: postgresMigration,
  seed: postgresSeed,
  probes: postgresProbes,
};
