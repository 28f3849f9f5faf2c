/** Mysql's SQL dialect (the SQL half of the engine port, src/port/dialect.ts): cheap members here, the heavy modules loaded on first use. */
import type { SqlDialect } from '../../src/port/dialect.js';
import { mysqlDdl } from './ddl.js';
import { mysqlLockWaits } from './lock-wait.js';
import { mysqlSystemNamespace } from './names.js';
import { MYSQL_CATALOG_NAMES } from './catalog-names.js';
import { ident } from './quote.js';
import { mysqlSeedSql } from './seed-sql.js';
import { mysqlBounds } from './timeouts.js';
import { mysqlNormalizer } from './normalize.js';
import { mysqlRules, mysqlTextTypes } from './types.js';

export const mysqlSql: SqlDialect = {
  name: 'mysql',
  label: 'MySQL',
  rules: mysqlRules,
  ddl: mysqlDdl,
  qualifiesTables: false,
  tableRef: (_namespace, table) => table,
  systemNamespace: mysqlSystemNamespace,
  placeholders: (sql) => sql,
  catalogNames: MYSQL_CATALOG_NAMES,
  buildsIndexesConcurrently: false,
  tablesHaveRowTypes: false,
  tableExistsSql: 'SELECT 1 AS present FROM information_schema.tables WHERE table_schema = ? AND table_name = ?',
  quote: ident,
  bounds: mysqlBounds,
  lockWaits: mysqlLockWaits,
  seedSql: mysqlSeedSql,
  dataRules: {
    addNotNullWithoutDefault: 'implicit-default',
    enumTypes: false,
    textUnbounded: false,
    textBytes: { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 },
    partialIndexes: false,
    questionMarkBinds: true,
    decimalDefaultPrecision: 10,
  },
  normalizer: mysqlNormalizer,
  scriptsInTransaction: false,
  textTypes: mysqlTextTypes,
  planner: async () => (await import('./planner.js')).mysqlPlanner,
  introspect: async (sql, namespace) => (await import('./introspect.js')).introspectMysql(sql, namespace),
  lintReader: async () => (await import('./lint-read.js')).mysqlReader(),
};
