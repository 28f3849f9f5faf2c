/**
 * What `dbkit init` writes, from the answers (pure): the database URL, the
 * `.env` line that holds it, and the config file. The password lives only in
 * `.env` (keep it out of version control); the config file names the schema.
 */
import { UsageError } from '../cli/errors.js';
import { schemaNames, defaultSchemaFor } from '../schema/registry.js';

export type InitEngine = 'postgres' | 'mysql' | 'pglite';
export const INIT_ENGINES: readonly InitEngine[] = ['postgres', 'mysql', 'pglite'];

export interface InitAnswers {
  engine: InitEngine;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  schema: string;
  /** PGlite's data directory. */
  dir: string;
}

export const DEFAULT_PORT: Record<InitEngine, number> = { postgres: 5432, mysql: 3306, pglite: 0 };
export const DEFAULT_USER: Record<InitEngine, string> = { postgres: 'postgres', mysql: 'root', pglite: '' };
export const DEFAULT_PGLITE_DIR = './.dbkit/pglite';
export const CONFIG_FILE = 'dbkit.config.json';
export const ENV_FILE = '.env';

export function defaultsFor(engine: InitEngine): InitAnswers {
  return {
    engine,
    host: 'localhost',
    port: DEFAULT_PORT[engine],
    user: DEFAULT_USER[engine],
    password: '',
    database: 'app',
    schema: defaultSchemaFor(engine === 'mysql' ? 'mysql' : 'postgres'),
    dir: DEFAULT_PGLITE_DIR,
  };
}

export function checkAnswers(a: InitAnswers): void {
  if (!INIT_ENGINES.includes(a.engine)) throw new UsageError(`--engine must be one of ${INIT_ENGINES.join(', ')}, got "${a.engine}"`);
  if (!schemaNames.includes(a.schema)) throw new UsageError(`unknown schema "${a.schema}": use one of ${schemaNames.join(', ')}`);
  if (a.engine === 'pglite') {
    if (!a.dir || /["\n\r]/.test(a.dir)) throw new UsageError(`--dir must be a directory path without quotes or line breaks`);
    return;
  }
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new UsageError(`--port must be a port number, got "${a.port}"`);
  if (!a.host) throw new UsageError('--host must not be empty');
  if (!a.database) throw new UsageError('--database must not be empty');
}

/** The URL of the answers: user and password percent-encoded, an IPv6 host bracketed. */
export function urlOf(a: InitAnswers): string {
  if (a.engine === 'pglite') return `pglite:${a.dir}`;
  const host = a.host.includes(':') && !a.host.startsWith('[') ? `[${a.host}]` : a.host;
  const auth = a.user ? `${encodeURIComponent(a.user)}${a.password ? `:${encodeURIComponent(a.password)}` : ''}@` : '';
  return `${a.engine}://${auth}${host}:${a.port}/${encodeURIComponent(a.database)}`;
}

const DATABASE_URL_LINE = /^\s*(export\s+)?DATABASE_URL\s*=.*$/m;

/** `.env` with DATABASE_URL set: the line replaced if there is one, else added; other lines kept. */
export function envWith(existing: string | null, url: string): { content: string; replaces: boolean } {
  // Double-quoted for dotenv; the URL's user and password are percent-encoded, so it holds no quote or `#`.
  const line = `DATABASE_URL="${url}"`;
  if (existing === null || existing === '') return { content: `${line}\n`, replaces: false };
  if (DATABASE_URL_LINE.test(existing)) return { content: existing.replace(DATABASE_URL_LINE, line), replaces: true };
  return { content: `${existing.replace(/\n?$/, '\n')}${line}\n`, replaces: false };
}

export function configContent(a: InitAnswers): string {
  return `${JSON.stringify({ schema: a.schema, lockTimeout: 60 }, null, 2)}\n`;
}
