/** Option parsing and connection handling shared by the commands. */
import { urlDatabaseIsNamespace } from '../config/url.js';
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import { loadConfig, type Config, type GlobalOptions } from '../config/load.js';
import { urlSecrets } from '../shared/mask.js';
import { connect, openSession, type Connection, type Session } from '../db/connect.js';
import { preflight, privilegeAtConnect, type Check } from '../migrate/apply/preflight.js';

export async function configFor(globals: GlobalOptions, io: Io): Promise<Config> {
  const config = await loadConfig(globals);
  io.addSecrets(urlSecrets(config.target.url));
  if (config.directTarget) io.addSecrets(urlSecrets(config.directTarget.url));
  io.debug(`database: ${config.target.display} (from ${config.urlSource}), schema ${config.schemaName}`);
  if (config.directTarget) io.debug(`migrations connect directly to ${config.directTarget.display}`);
  return config;
}

/**
 * Where migrations, rollback and unlock connect: the --direct-url when there
 * is one (past a pooler; a MySQL direct URL without a database takes the
 * database URL's), else the database URL.
 */
export function migrationConfig(config: Config): Config {
  const direct = config.directTarget;
  if (!direct) return config;
  const namespace = config.namespace ?? (urlDatabaseIsNamespace(direct.engine) && !direct.database ? (config.target.database ?? null) : null);
  return { ...config, target: direct, namespace };
}

async function using<S extends Session, T>(config: Config, open: Promise<S>, io: Io, fn: (s: S) => Promise<T>, check?: Check): Promise<T> {
  const session = await open.catch((err: unknown) => {
    throw privilegeAtConnect(err, config.target.display) ?? err;
  });
  io.debug(`connected; namespace ${session.namespace}`);
  try {
    if (check) await preflight(session, check);
    return await fn(session);
  } finally {
    await session.close();
  }
}

/**
 * Open the configured database with Knex (migrations), run the pre-flight
 * `check` (src/migrate/apply/preflight.ts: read-only server, privileges), run `fn`, and always close it.
 */
export const withConnection = <T>(config: Config, io: Io, fn: (conn: Connection) => Promise<T>, check?: Check): Promise<T> =>
  using(migrationConfig(config), connect(migrationConfig(config), (t) => io.debug(t)), io, fn, check);

/** Open the configured database for SQL only (catalog reading: no Knex to load), run the pre-flight `check`, run `fn`, close it. */
export const withSession = <T>(config: Config, io: Io, fn: (session: Session) => Promise<T>, check?: Check): Promise<T> =>
  using(config, openSession(config, (t) => io.debug(t)), io, fn, check);

/**
 * A count given on the command line: digits only, from `min` to `max`. `1e9`,
 * `1.5`, `0x10` or ` 5` are refused (Number() would take them), as is a
 * number too large to be exact.
 */
export function wholeNumber(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? (min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`) : `a whole number from ${min} to ${max}`;
    throw new UsageError(`${flag} must be ${range} (digits only), got "${value}"`);
  }
  return n;
}

export const positiveInt = (value: string, flag: string): number => wholeNumber(value, flag, 1);

/** What every JSON document says about where it ran. */
export const whereJson = (conn: Session) => ({
  dialect: conn.config.dialect,
  engine: conn.config.target.engine,
  schema: conn.config.schemaName,
  namespace: conn.namespace,
  url: conn.config.target.display,
});
