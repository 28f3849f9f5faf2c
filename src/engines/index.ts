/**
 * The composition root: the one place that knows which engines exist and
 * imports dialects/** (a test keeps it the only one). Everything else gets
 * an engine from here by name (a session carries its own), or a SQL
 * dialect for work that needs no server (make, check, sql, docs).
 */
import { mysql } from '../../dialects/mysql/index.js';
import { pglite } from '../../dialects/pglite/index.js';
import { postgres } from '../../dialects/postgres/index.js';
import type { SqlDialect } from '../port/dialect.js';
import type { Engine, EngineName } from '../port/engine.js';
import type { Dialect } from '../schema/model.js';

const ENGINES: Readonly<Record<EngineName, Engine>> = { postgres, mysql, pglite };

/** The SQL dialects, by name (PGlite speaks PostgreSQL's). */
export const SQL_DIALECTS: Readonly<Record<Dialect, SqlDialect>> = { postgres: postgres.dialect, mysql: mysql.dialect };

/** The engine of a URL scheme's engine name. */
export const engineFor = (name: EngineName): Engine => ENGINES[name];

/** The engine a session (or anything carrying its configuration) is on. */
export const engineOf = (on: { readonly config: { readonly target: { readonly engine: EngineName } } }): Engine => ENGINES[on.config.target.engine];

/** A SQL dialect by name. */
export const dialectFor = (name: Dialect): SqlDialect => SQL_DIALECTS[name];
