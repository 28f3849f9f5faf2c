/**
 * Database URLs: which engine, how each driver connects to it, and how it is
 * shown. The URL is split by dbkit itself (url-parts.ts), never by WHATWG
 * `URL` or a driver's connection-string parser, so that a password with a
 * raw `@`, `:`, space, quote or `%` reaches the server as written and the
 * host is the one after the last `@`; the drivers get explicit options.
 */
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { mysqlTls, pgTls } from '../connection/tls.js';
import { parseServerUrl, USE } from '../connection/server-url.js';

// The server-URL parser and the driver options live in src/connection/ (below the dialects, which use them).
export { CONNECT_TIMEOUT_MS, parseServerUrl, type ServerUrl } from '../connection/server-url.js';
export { mysqlConnection, mysqlServer, pgConnection, pgServer, type PgConnectionOptions } from '../connection/driver-options.js';

export type Engine = 'postgres' | 'mysql' | 'pglite';

export interface Target {
  engine: Engine;
  /** The URL as given (never printed: use `display`). */
  url: string;
  /** The URL with its user name and password masked. */
  display: string;
  /** PGlite data directory, or null for `pglite:memory`. */
  pgliteDir?: string | null;
  /** MySQL database named in the URL, if any. */
  database?: string;
}

export const DEFAULT_PGLITE_DIR = path.join('.dbkit', 'pglite');

/**
 * `pglite:<dir>` (a path, absolute or from the working directory) or
 * `pglite:memory` (any casing: MEMORY is no directory name anyone means;
 * `pglite:./MEMORY` is one). Refused (exit 2): a blank or space-padded
 * directory (`pglite: ` made a directory named " "), and `pglite://...`,
 * which reads as a host and made ./tmp/x of `pglite://tmp/x`.
 */
function pgliteTarget(url: string, cwd: string): Target {
  const rest = url.slice('pglite:'.length);
  if (rest.startsWith('//')) {
    throw new UsageError(`"${url}": a pglite URL takes a path, not //: write pglite:/tmp/x for an absolute directory or pglite:./tmp/x for one under the working directory`);
  }
  if (rest.trim() === '') throw new UsageError(`"${url}": a pglite URL needs a directory or "memory" after "pglite:" (pglite:./.dbkit/pglite, pglite:memory)`);
  if (rest.trim() !== rest) throw new UsageError(`"${url}": the directory of a pglite URL begins or ends with a space (a quoting mistake?): remove it`);
  if (rest.toLowerCase() === 'memory') return { engine: 'pglite', url, display: url, pgliteDir: null };
  return { engine: 'pglite', url, display: url, pgliteDir: path.resolve(cwd, rest) };
}

/** Each server engine's reading of the URL's TLS parameters. */
const TLS_PLAN = { postgres: pgTls, mysql: mysqlTls } as const;

/** The URL a command uses: `from` names where it came from, for messages (`--url`, `DATABASE_URL`, ...). */
export function parseUrl(url: string, cwd = process.cwd(), from?: string): Target {
  if (url.trim() === '') throw new UsageError(`${from ?? 'the database URL'} is empty: give a database URL (${USE})`);
  if (url.startsWith('pglite:')) return pgliteTarget(url, cwd);
  const s = parseServerUrl(url, from);
  // Checked now, not at the first connection: a bad sslmode is a usage error.
  TLS_PLAN[s.engine](s.params);
  return { engine: s.engine, url, display: s.display, ...(urlDatabaseIsNamespace(s.engine) && s.database ? { database: s.database } : {}) };
}

/** The SQL dialect an engine speaks (PGlite is PostgreSQL). */
/** What an engine's URL names: a server database holding schemas (PostgreSQL), a server database that is the namespace itself (MySQL), or a directory (PGlite). */
const URL_NAMES: Readonly<Record<Engine, 'schemas' | 'namespace' | 'directory'>> = { postgres: 'schemas', mysql: 'namespace', pglite: 'directory' };
/** The URL's database is the namespace (MySQL). */
export const urlDatabaseIsNamespace = (engine: Engine): boolean => URL_NAMES[engine] === 'namespace';
/** The URL names a server (not a directory of the embedded database). */
export const isServerUrl = (engine: Engine): boolean => URL_NAMES[engine] !== 'directory';

const DIALECT_OF: Readonly<Record<Engine, 'postgres' | 'mysql'>> = { postgres: 'postgres', mysql: 'mysql', pglite: 'postgres' };
export const dialectOf = (engine: Engine): 'postgres' | 'mysql' => DIALECT_OF[engine];
