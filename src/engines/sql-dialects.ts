/**
 * The composition root's SQL half: the SQL dialects by name, for work that
 * needs no server (make, check, sql, docs, the planner's renderers). Kept
 * apart from the engines (index.ts) so that such a command loads no
 * connection, lock or seed code of any engine.
 */
import { mysqlSql } from '../../dialects/mysql/port-sql.js';
import { postgresSql } from '../../dialects/postgres/port-sql.js';
import type { SqlDialect } from '../port/dialect.js';
import type { Dialect } from '../schema/model.js';

/** The SQL dialects, by name (PGlite speaks PostgreSQL's). */
export const SQL_DIALECTS: Readonly<Record<Dialect, SqlDialect>> = { postgres: postgresSql, mysql: mysqlSql };

/** A SQL dialect by name. */
export const dialectFor = (name: Dialect): SqlDialect => SQL_DIALECTS[name];
