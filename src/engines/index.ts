/**
 * The composition root: the one place that knows which engines exist and
 * imports dialects/** (a test keeps it the only one). Everything else gets
 * an engine from here by name (a session carries its own), or a SQL
 * dialect for work that needs no server (make, check, sql, docs).
 */
import { mysql } from '../../dialects/mysql/index.js';
import { pglite } from '../../dialects/pglite/index.js';
import { postgres } from '../../dialects/postgres/index.js';
import type { Engine, EngineName } from '../port/engine.js';
import type { Dialect } from '../schema/model.js';

const ENGINES: Readonly<Record<EngineName, Engine>> = { postgres, mysql, pglite };

// The SQL dialects alone (no engine areas): sql-dialects.ts.
export { dialectFor, SQL_DIALECTS } from './sql-dialects.js';

/** The engine of a URL scheme's engine name. */
export const engineFor = (name: EngineName): Engine => ENGINES[name];

/** An engine of `dialect` that runs in this process (PGlite for PostgreSQL), or null. */
export const embeddedEngineFor = (dialect: Dialect): Engine | null =>
  Object.values(ENGINES).find((e) => e.connect.embedded && e.dialect.name === dialect) ?? null;

/** The engine a session (or anything carrying its configuration) is on. */
export const engineOf = (on: { readonly config: { readonly target: { readonly engine: EngineName } } }): Engine => ENGINES[on.config.target.engine];

