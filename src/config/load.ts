/** Flags + environment + .env + config file -> one validated configuration. */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { UsageError } from '../cli/errors.js';
import { defaultSchemaFor, schemaNames } from '../schema/registry.js';
import type { Dialect } from '../schema/model.js';
import { findConfigFile, loadConfigFile, type SeedFileConfig } from './file.js';
import { urlSecrets } from './mask.js';
import { registerUrl } from './secrets.js';
import { DEFAULT_PGLITE_DIR, dialectOf, parseUrl, type Target } from './url.js';

export interface GlobalOptions {
  url?: string;
  schema?: string;
  namespace?: string;
  config?: string;
  lockTimeout?: string;
}

export type UrlSource = '--url' | 'DATABASE_URL' | '.env' | 'config file' | 'default';

/** The configuration of a command that connects. */
export interface Config extends Settings {
  cwd: string;
}

function dotenvUrl(cwd: string): string | undefined {
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return undefined;
  return dotenv.parse(fs.readFileSync(file)).DATABASE_URL || undefined;
}

function parseSeconds(value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--lock-timeout must be a number of seconds, got "${value}"`);
  return n;
}

/** Every password the configuration could print, for masking. */
export function configSecrets(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  return [opts.url, env.DATABASE_URL].filter((u): u is string => !!u).flatMap(urlSecrets);
}

/** What every command agrees on, connecting or not: the URL, the dialect, the schema, the namespace. */
export interface Settings {
  target: Target;
  urlSource: UrlSource;
  dialect: Dialect;
  schemaName: string;
  /** PostgreSQL schema or MySQL database to work in; null = the connection's default. */
  namespace: string | null;
  lockTimeoutMs: number;
  /** True when DBKIT_ENV or the config file's `env` says `production`. */
  production: boolean;
  /** The config file's `seed` section. */
  seed: SeedFileConfig;
}

export async function loadSettings(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<Settings> {
  const file = findConfigFile(cwd, opts.config);
  const fileConfig = file ? await loadConfigFile(file) : {};
  const candidates: [UrlSource, string | undefined][] = [
    ['--url', opts.url],
    ['DATABASE_URL', env.DATABASE_URL],
    ['.env', dotenvUrl(cwd)],
    ['config file', fileConfig.url],
  ];
  for (const [, u] of candidates) registerUrl(u);
  // An empty --url or DATABASE_URL is a CI variable that is not set: never fall back to the embedded database for it.
  for (const [source, u] of candidates.slice(0, 2)) {
    if (u !== undefined && u.trim() === '') {
      throw new UsageError(`${source} is empty (a variable that is not set?): give a database URL, or leave ${source} out to use .env, the config file or the embedded database`);
    }
    if (u) break;
  }
  const [urlSource, url] = candidates.find(([, u]) => !!u) ?? ['default', `pglite:${DEFAULT_PGLITE_DIR}`];
  const target = parseUrl(url!, cwd, urlSource === 'default' ? undefined : urlSource);
  const dialect = dialectOf(target.engine);

  const schemaName = opts.schema ?? fileConfig.schema ?? defaultSchemaFor(dialect);
  if (!schemaNames.includes(schemaName)) {
    throw new UsageError(`unknown schema "${schemaName}": use one of ${schemaNames.join(', ')}`);
  }
  const namespace = opts.namespace ?? fileConfig.namespace ?? null;
  if (namespace !== null && !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(namespace)) {
    throw new UsageError(`--namespace must be a plain identifier, got "${namespace}"`);
  }
  const lockTimeoutMs = parseSeconds(opts.lockTimeout ?? fileConfig.lockTimeout, 60) * 1000;
  const production = [env.DBKIT_ENV, fileConfig.env].some((v) => v?.trim().toLowerCase() === 'production');
  return { target, urlSource: urlSource as UrlSource, dialect, schemaName, namespace, lockTimeoutMs, production, seed: fileConfig.seed ?? {} };
}

export async function loadConfig(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<Config> {
  const settings = await loadSettings(opts, env, cwd);
  const { dialect, namespace, target } = settings;
  if (dialect === 'mysql' && !namespace && !target.database) {
    throw new UsageError(`the MySQL URL ${target.display} names no database: add /<database> to it or pass --namespace`);
  }
  return { ...settings, cwd };
}
