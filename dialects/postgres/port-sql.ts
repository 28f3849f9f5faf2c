/** Postgres's SQL dialect (the SQL half of the engine port, src/port/dialect.ts): cheap members here, the heavy modules loaded on first use. */
import type { SqlDialect } from '../../src/port/dialect.js';
import { numbered } from '../../src/port/sql.js';
import { postgresDdl } from './ddl.js';
import { postgresLockWaits } from './lock-wait.js';
import { postgresSystemNamespace } from './names.js';
import { POSTGRES_CATALOG_NAMES } from './catalog-names.js';
import { ident } from './quote.js';
import { postgresSeedSql } from './seed-sql.js';
import { postgresBounds } from './timeouts.js';
import { postgresNormalizer } from './normalize.js';
import { postgresRules, postgresTextTypes } from './types.js';

export const postgresSql: SqlDialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  rules: postgresRules,
  ddl: postgresDdl,
  qualifiesTables: true,
  tableRef: (namespace, table) => `${namespace}.${table}`,
  systemNamespace: postgresSystemNamespace,
  placeholders: numbered,
  catalogNames: POSTGRES_CATALOG_NAMES,
  buildsIndexesConcurrently: true,
  tablesHaveRowTypes: true,
  // pg_class answers at once; information_schema's views cost a few milliseconds each.
  tableExistsSql:
    "SELECT 1 AS present FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'f')",
  quote: ident,
  bounds: postgresBounds,
  lockWaits: postgresLockWaits,
  seedSql: postgresSeedSql,
  dataRules: {
    addNotNullWithoutDefault: 'fails',
    enumTypes: true,
    textUnbounded: true,
    textBytes: null,
    partialIndexes: true,
    questionMarkBinds: false,
    decimalDefaultPrecision: null,
  },
  normalizer: postgresNormalizer,
  scriptsInTransaction: true,
  textTypes: postgresTextTypes,
  planner: async () => (await import('./planner.js')).postgresPlanner,
  introspect: async (sql, namespace) => (await import('./introspect.js')).introspectPostgres(sql, namespace),
  lintReader: async () => (await import('./lint-read.js')).postgresReader(),
};
