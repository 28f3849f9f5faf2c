/**
 * What `dbkit init` writes, from the answers (pure): the database URL, the
 * `.env` line that holds it, and the config file. The password lives only in
 * `.env` (keep it out of version control); the config file names the schema.
 */
import { engineFor } from '../engines/index.js';
import { UsageError } from '../shared/errors.js';
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
    schema: defaultSchemaFor(engineFor(engine).dialect.name),
    dir: DEFAULT_PGLITE_DIR,
  };
}

export function checkAnswers(a: InitAnswers): void {
  if (!INIT_ENGINES.includes(a.engine)) throw new UsageError(`--engine must be one of ${INIT_ENGINES.join(', ')}, got "${a.engine}"`);
  if (!schemaNames.includes(a.schema)) throw new UsageError(`unknown schema "${a.schema}": use one of ${schemaNames.join(', ')}`);
  if (engineFor(a.engine).connect.embedded) {
    if (!a.dir || /["\\\n\r]/.test(a.dir)) throw new UsageError('--dir must be a directory path without quotes, backslashes or line breaks');
    return;
  }
  if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) throw new UsageError(`--port must be a port number, got "${a.port}"`);
  if (!a.host || /[\s/@#?"\\]/.test(a.host)) throw new UsageError(`--host must be a host name or address, got "${a.host}"`);
  if (!a.database) throw new UsageError('--database must not be empty');
}

/** The URL of the answers: user and password percent-encoded, an IPv6 host bracketed. */
export function urlOf(a: InitAnswers): string {
  if (engineFor(a.engine).connect.embedded) return `pglite:${a.dir}`;
  const host = a.host.includes(':') && !a.host.startsWith('[') ? `[${a.host}]` : a.host;
  const auth = a.user ? `${encodeURIComponent(a.user)}${a.password ? `:${encodeURIComponent(a.password)}` : ''}@` : '';
  return `${a.engine}://${auth}${host}:${a.port}/${encodeURIComponent(a.database)}`;
}

const DATABASE_URL_LINES = /^[ \t]*(export[ \t]+)?DATABASE_URL[ \t]*=.*$\n?/gm;

/** A URL that can stand between double quotes in .env as it is (dotenv expands backslash escapes there). */
export function checkEnvValue(url: string): void {
  if (/["\\\n\r]/.test(url)) throw new UsageError('the database URL must not hold quotes, backslashes or line breaks: percent-encode them');
}

/**
 * `.env` with DATABASE_URL set: the first such line replaced (any later ones,
 * which dotenv would read instead, removed), else the line added; every
 * other line kept as it was.
 */
export function envWith(existing: string | null, url: string): { content: string; replaces: boolean } {
  const line = `DATABASE_URL="${url}"`;
  if (existing === null || existing === '') return { content: `${line}\n`, replaces: false };
  let first = true;
  const replaced = existing.replace(DATABASE_URL_LINES, (match) => {
    if (!first) return '';
    first = false;
    return `${line}${match.endsWith('\n') ? '\n' : ''}`;
  });
  if (!first) return { content: replaced, replaces: true };
  return { content: `${existing.replace(/\n?$/, '\n')}${line}\n`, replaces: false };
}

/**
 * dbkit.config.json with the schema set: an existing file's other keys (its
 * `env` production marker, namespace, seed counts...) are kept; the lock
 * timeout is added only where none is set.
 */
export function configContent(a: InitAnswers, existing: string | null = null): string {
  let base: Record<string, unknown> = {};
  if (existing !== null && existing.trim()) {
    try {
      base = JSON.parse(existing) as Record<string, unknown>;
    } catch {
      throw new UsageError(`${CONFIG_FILE} is not valid JSON: fix or remove it, then run dbkit init again (nothing was written)`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) {
      throw new UsageError(`${CONFIG_FILE} does not hold an object: fix or remove it, then run dbkit init again (nothing was written)`);
    }
  }
  return `${JSON.stringify({ ...base, schema: a.schema, lockTimeout: base.lockTimeout ?? 60 }, null, 2)}\n`;
}
