/** Option parsing and connection handling shared by the commands. */
import { UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import { loadConfig, type Config, type GlobalOptions } from '../config/load.js';
import { urlSecrets } from '../config/mask.js';
import { dialectOf, parseUrl } from '../config/url.js';
import type { Dialect } from '../schema/model.js';
import { defaultSchemaFor, schemaNames } from '../schema/registry.js';
import { connect, type Connection } from '../db/connect.js';

export async function configFor(globals: GlobalOptions, io: Io): Promise<Config> {
  const config = await loadConfig(globals);
  io.addSecrets(urlSecrets(config.target.url));
  io.debug(`database: ${config.target.display} (from ${config.urlSource}), schema ${config.schemaName}`);
  return config;
}

/** Open the configured database, run `fn`, and always close it. */
export async function withConnection<T>(config: Config, io: Io, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await connect(config, (t) => io.debug(t));
  if (io.verbose) conn.knex.on('query', (q: { sql: string }) => io.debug(`sql: ${q.sql}`));
  io.debug(`connected; namespace ${conn.namespace}`);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}

/** What every JSON document says about where it ran. */
export const whereJson = (conn: Connection) => ({
  dialect: conn.config.dialect,
  engine: conn.config.target.engine,
  schema: conn.config.schemaName,
  namespace: conn.namespace,
  url: conn.config.target.display,
});

/** For commands that never connect: the dialect of --url / DATABASE_URL if any, else PostgreSQL. */
export function offlineDialect(globals: GlobalOptions): Dialect {
  const url = globals.url ?? process.env.DATABASE_URL;
  return url ? dialectOf(parseUrl(url).engine) : 'postgres';
}

/** --schema, else the native schema of the dialect; unknown names are usage errors. */
export function schemaFor(globals: GlobalOptions, dialect: Dialect): string {
  const schema = globals.schema ?? defaultSchemaFor(dialect);
  if (!schemaNames.includes(schema)) throw new UsageError(`unknown schema "${schema}": use one of ${schemaNames.join(', ')}`);
  return schema;
}
