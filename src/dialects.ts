/**
 * The dialect bundles: type rules, DDL emitter and introspector of each
 * engine family. PGlite is PostgreSQL with another connection.
 */
import { mysqlDdl } from '../dialects/mysql/ddl.js';
import { mysqlRules } from '../dialects/mysql/types.js';
import { postgresDdl } from '../dialects/postgres/ddl.js';
import { postgresRules } from '../dialects/postgres/types.js';
import type { Sql } from './db/sql.js';
import type { StatementReader } from './lint/reader.js';
import type { DdlEmitter } from './schema/ddl.js';
import type { DbSchema, Dialect } from './schema/model.js';
import { readSnapshot } from './migrate/folder/folder.js';
import { migrationsRoot } from './shared/paths.js';
import type { SchemaDef } from './schema/definition.js';
import { schemas } from './schema/registry.js';
import { resolveSchema } from './schema/resolve.js';
import type { VariantRules } from './schema/variant.js';

export interface DialectBundle {
  name: Dialect;
  rules: VariantRules;
  ddl: DdlEmitter;
  /** Read the live schema of one namespace (constant number of catalog queries). */
  introspect(sql: Sql, namespace: string): Promise<DbSchema>;
  /** The lint's statement reader (PostgreSQL: the server's grammar through libpg-query, loaded here on first use). */
  lintReader(): Promise<StatementReader>;
}

export const dialects: Record<Dialect, DialectBundle> = {
  postgres: {
    name: 'postgres',
    rules: postgresRules,
    ddl: postgresDdl,
    introspect: async (sql, ns) => (await import('../dialects/postgres/introspect.js')).introspectPostgres(sql, ns),
    lintReader: async () => (await import('../dialects/postgres/lint-read.js')).postgresReader(),
  },
  mysql: {
    name: 'mysql',
    rules: mysqlRules,
    ddl: mysqlDdl,
    introspect: async (sql, ns) => (await import('../dialects/mysql/introspect.js')).introspectMysql(sql, ns),
    lintReader: async () => (await import('../dialects/mysql/lint-read.js')).mysqlReader(),
  },
};

/**
 * The definition the runtime compares with and builds: the snapshot, i.e.
 * the definition as of the newest migration (migrations/<schema>/), or as
 * of migration `at`. It is data (no build), and always exactly what the
 * migrations produce; `dbkit check` keeps it equal to src/schema/ in CI.
 */
export function runtimeDefinition(schemaName: string, at?: string): SchemaDef {
  const def = schemas[schemaName];
  if (!def) throw new Error(`unknown schema ${schemaName}`);
  // Keyed by the migrations folder too: one process (an in-process test) may work on several checkouts.
  const root = migrationsRoot();
  const key = `${root}\0${schemaName}@${at ?? ''}`;
  let found = snapshots.get(key);
  if (!found) snapshots.set(key, (found = readSnapshot(schemaName, { name: def.name, native: def.native }, at, root)));
  return found;
}
const snapshots = new Map<string, SchemaDef>();

/** The expected physical variant of a schema on a dialect (of the snapshot; see runtimeDefinition). */
export function expectedVariant(schemaName: string, dialect: Dialect, at?: string): DbSchema {
  return resolveSchema(runtimeDefinition(schemaName, at), dialects[dialect].rules);
}
