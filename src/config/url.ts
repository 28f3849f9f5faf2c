/** Database URLs: which engine, and how Knex connects to it. */
import path from 'node:path';
import { UsageError } from '../cli/errors.js';
import { maskUrl } from './mask.js';

export type Engine = 'postgres' | 'mysql' | 'pglite';

export interface Target {
  engine: Engine;
  /** The URL as given (never printed: use `display`). */
  url: string;
  /** The URL with its password masked. */
  display: string;
  /** PGlite data directory, or null for `pglite:memory`. */
  pgliteDir?: string | null;
  /** MySQL database named in the URL, if any. */
  database?: string;
}

export const DEFAULT_PGLITE_DIR = path.join('.dbkit', 'pglite');

export function parseUrl(url: string, cwd = process.cwd()): Target {
  const display = maskUrl(url);
  if (url.startsWith('pglite:')) {
    const rest = url.slice('pglite:'.length).replace(/^\/\//, '');
    if (rest === 'memory') return { engine: 'pglite', url, display, pgliteDir: null };
    if (!rest) throw new UsageError(`pglite URL needs a directory or "memory": ${display}`);
    return { engine: 'pglite', url, display, pgliteDir: path.resolve(cwd, rest) };
  }
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`not a valid database URL: ${display}`);
  }
  if (scheme === 'postgres' || scheme === 'postgresql') return { engine: 'postgres', url, display };
  if (scheme === 'mysql' || scheme === 'mariadb') {
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    return { engine: 'mysql', url, display, ...(database ? { database } : {}) };
  }
  throw new UsageError(
    `unsupported URL scheme in ${display}: use postgres://, postgresql://, mysql://, mariadb://, pglite:<dir> or pglite:memory`,
  );
}

/** The SQL dialect an engine speaks (PGlite is PostgreSQL). */
export const dialectOf = (engine: Engine): 'postgres' | 'mysql' => (engine === 'mysql' ? 'mysql' : 'postgres');

/** mysql2 connection options from a mysql:// or mariadb:// URL. */
export function mysqlConnection(url: string, database?: string) {
  const u = new URL(url);
  const params = Object.fromEntries(u.searchParams.entries());
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? (decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined),
    ...(params.socket ? { socketPath: params.socket } : {}),
    ...(params.ssl === 'true' ? { ssl: {} } : {}),
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  };
}
