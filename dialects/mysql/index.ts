/** Mysql behind the engine port: one object, its areas from the port-*.ts files beside it (src/port/engine.ts). */
import type { Engine } from '../../src/port/engine.js';
import { mysqlConnect } from './port-connect.js';
import { mysqlMigration } from './port-migration.js';
import { mysqlProbes } from './port-probes.js';
import { mysqlSeed } from './port-seed.js';
import { mysqlSql } from './port-sql.js';

export const mysql: Engine = {
  name: 'mysql',
  dialect: mysqlSql,
  connect: mysqlConnect,
  migration: mysqlMigration,
  seed: mysqlSeed,
  probes: mysqlProbes,
};
