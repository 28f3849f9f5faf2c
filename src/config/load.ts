/** Flags + environment + .env + config file -> one validated configuration. */
import { UsageError } from '../shared/errors.js';
import { defaultSchemaFor, schemaNames } from '../schema/registry.js';
import type { Dialect } from '../schema/model.js';
import { dotenvValue, envValue } from './env.js';
import { findConfigFile, loadConfigFile, type SeedFileConfig } from './file.js';
import { urlSecrets } from '../shared/mask.js';
import { checkNamespace } from './namespace.js';
import { applyLimits, DEFAULT_LIMITS, type MigrationLimits } from './online.js';
import { readSeconds, SECONDS_FORMAT } from './seconds.js';
import { registerUrl } from '../shared/secrets.js';
import { DEFAULT_PGLITE_DIR, dialectOf, isServerUrl, parseUrl, urlDatabaseIsNamespace, type Target } from './url.js';

export interface GlobalOptions {
  url?: string;
  schema?: string;
  namespace?: string;
  config?: string;
  lockTimeout?: string;
  /** Migrations (and their lock) connect here; every other command uses the URL (e.g. behind PgBouncer). */
  directUrl?: string;
}

export type UrlSource = '--url' | 'DATABASE_URL' | '.env' | 'config file' | 'default';

/** The configuration of a command that connects. */
export interface Config extends Settings {
  cwd: string;
  /** Migrations, rollback and unlock connect here instead of `target` (null: to `target`). */
  directTarget: Target | null;
  /** Galera lease time to live (DBKIT_LEASE_TTL). */
  leaseTtlMs: number;
}

function parseSeconds(value: string | number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = readSeconds(value);
  if (n === null) throw new UsageError(`--lock-timeout must be a number of seconds (${SECONDS_FORMAT}), got "${value}"`);
  return n;
}

/** Every password the configuration could print, for masking. */
export function configSecrets(opts: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  return [opts.url, env.DATABASE_URL, opts.directUrl, env.DBKIT_DIRECT_URL].filter((u): u is string => !!u).flatMap(urlSecrets);
}

/** The Galera lease's time to live: DBKIT_LEASE_TTL seconds (default 30, at least 3). */
function leaseTtl(value: string | undefined): number {
  if (value === undefined) return 30_000;
  const n = readSeconds(value);
  if (n === null) throw new UsageError(`DBKIT_LEASE_TTL must be a number of seconds (${SECONDS_FORMAT}), got "${value}"`);
  if (n < 3) throw new UsageError(`DBKIT_LEASE_TTL must be a number of seconds, at least 3, got "${value}"`);
  return Math.round(n * 1000);
}

/** --direct-url: the same engine as the URL, a server (not PGlite). */
function directTarget(url: string | undefined, main: Target, cwd: string): Target | null {
  if (!url) return null;
  const direct = parseUrl(url, cwd);
  if (direct.engine !== main.engine || !isServerUrl(direct.engine)) {
    throw new UsageError(`--direct-url ${direct.display} must be a ${isServerUrl(main.engine) ? main.engine : 'server'} URL like the database URL ${main.display}`);
  }
  return direct;
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
  /** --direct-url, else DBKIT_DIRECT_URL, else the config file's directUrl (checked by loadConfig). */
  directUrl: string | null;
  /** True when DBKIT_ENV or the config file's `env` says `production`. */
  production: boolean;
  /** The config file's `seed` section. */
  seed: SeedFileConfig;
  /** Statement and lock bounds of migrate / rollback, and the online method: the config file's over the defaults (flags go over these). */
  limits: MigrationLimits;
}

export async function loadSettings(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<Settings> {
  const file = findConfigFile(cwd, opts.config);
  const fileConfig = file ? await loadConfigFile(file) : {};
  // The first source that is set wins; an empty one (a CI variable that is not set, `DATABASE_URL=` in .env)
  // is a usage error, never a fall back to the next source or to the embedded database.
  const unset = (source: string) => `give a database URL, or leave ${source} out to use .env, the config file or the embedded database`;
  const sources: [UrlSource, () => string | undefined][] = [
    ['--url', () => opts.url],
    ['DATABASE_URL', () => envValue(env, 'DATABASE_URL', unset('DATABASE_URL'))],
    ['.env', () => dotenvValue(cwd, 'DATABASE_URL', 'give a database URL, or remove the line to use the config file or the embedded database')],
    ['config file', () => fileConfig.url],
  ];
  let urlSource: UrlSource = 'default';
  let url = `pglite:${DEFAULT_PGLITE_DIR}`;
  for (const [source, read] of sources) {
    const u = read();
    if (u === undefined) continue;
    registerUrl(u);
    if (u.trim() === '') throw new UsageError(`${source} is empty (a variable that is not set?): ${unset(source)}`);
    [urlSource, url] = [source, u];
    break;
  }
  const target = parseUrl(url, cwd, urlSource === 'default' ? undefined : urlSource);
  const dialect = dialectOf(target.engine);

  const schemaName = opts.schema ?? fileConfig.schema ?? defaultSchemaFor(dialect);
  if (!schemaNames.includes(schemaName)) {
    throw new UsageError(`unknown schema "${schemaName}": use one of ${schemaNames.join(', ')}`);
  }
  const namespace = opts.namespace ?? fileConfig.namespace ?? null;
  if (namespace !== null) await checkNamespace(namespace, dialect, opts.namespace !== undefined ? '--namespace' : `"namespace" in ${file}`);
  const lockTimeoutMs = parseSeconds(opts.lockTimeout ?? fileConfig.lockTimeout, 60) * 1000;
  const production = [envValue(env, 'DBKIT_ENV'), fileConfig.env].some((v) => v?.trim().toLowerCase() === 'production');
  const directUrl = opts.directUrl ?? envValue(env, 'DBKIT_DIRECT_URL', 'give the direct server URL, or unset it') ?? fileConfig.directUrl ?? null;
  return {
    target,
    urlSource,
    dialect,
    schemaName,
    namespace,
    lockTimeoutMs,
    directUrl,
    production,
    seed: fileConfig.seed ?? {},
    limits: applyLimits(DEFAULT_LIMITS, fileConfig, 'config'),
  };
}

export async function loadConfig(
  opts: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<Config> {
  const settings = await loadSettings(opts, env, cwd);
  const { namespace, target } = settings;
  if (urlDatabaseIsNamespace(target.engine) && !namespace && !target.database) {
    throw new UsageError(`the MySQL URL ${target.display} names no database: add /<database> to it or pass --namespace`);
  }
  return { ...settings, cwd, directTarget: directTarget(settings.directUrl ?? undefined, target, cwd), leaseTtlMs: leaseTtl(envValue(env, 'DBKIT_LEASE_TTL')) };
}
