/**
 * The dialect bundles: type rules, DDL emitter and introspector of each
 * engine family. PGlite is PostgreSQL with another connection.
 */
import { mysqlDdl } from '../dialects/mysql/ddl.js';
import { mysqlRules } from '../dialects/mysql/types.js';
import { postgresDdl } from '../dialects/postgres/ddl.js';
import { postgresRules } from '../dialects/postgres/types.js';
import type { Sql } from './db/sql.js';
import type { DdlEmitter } from './schema/ddl.js';
import type { DbSchema, Dialect } from './schema/model.js';
import { schemas } from './schema/registry.js';
import { resolveSchema } from './schema/resolve.js';
import type { VariantRules } from './schema/variant.js';

export interface DialectBundle {
  name: Dialect;
  rules: VariantRules;
  ddl: DdlEmitter;
  /** Read the live schema of one namespace (constant number of catalog queries). */
  introspect(sql: Sql, namespace: string): Promise<DbSchema>;
}

export const dialects: Record<Dialect, DialectBundle> = {
  postgres: {
    name: 'postgres',
    rules: postgresRules,
    ddl: postgresDdl,
    introspect: async (sql, ns) => (await import('../dialects/postgres/introspect.js')).introspectPostgres(sql, ns),
  },
  mysql: {
    name: 'mysql',
    rules: mysqlRules,
    ddl: mysqlDdl,
    introspect: async (sql, ns) => (await import('../dialects/mysql/introspect.js')).introspectMysql(sql, ns),
  },
};

/** The expected physical variant of a schema on a dialect. */
export function expectedVariant(schemaName: string, dialect: Dialect): DbSchema {
  const def = schemas[schemaName];
  if (!def) throw new Error(`unknown schema ${schemaName}`);
  return resolveSchema(def, dialects[dialect].rules);
}
