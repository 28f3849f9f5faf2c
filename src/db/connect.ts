/**
 * Open a Knex connection for a configuration, prove it works, and resolve
 * the namespace (PostgreSQL schema / MySQL database) to work in.
 * Failures become ConnectError (exit 3) with the password masked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ConnectError, LockError } from '../cli/errors.js';
import type { Config } from '../config/load.js';
import { mysqlConnection } from '../config/url.js';
import { acquireFileLock, type HeldLock } from '../../dialects/pglite/file-lock.js';

export interface Connection {
  knex: Knex;
  config: Config;
  /** The PostgreSQL schema or MySQL database in use. */
  namespace: string;
  /** False when the namespace was named but does not exist (yet). */
  namespaceExists: boolean;
  close(): Promise<void>;
}

const PG_NAMESPACE_EXISTS = 'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?) AS "exists"';

/** Knex's own warnings would land on stdout and break --json: they go to the debug log. */
const quietLog = (debug: (t: string) => void) => {
  const say = (m: unknown) => debug(`knex: ${m instanceof Error ? m.message : String(m)}`);
  return { warn: say, error: say, deprecate: say, debug: () => undefined };
};

async function createKnex(config: Config, debug: (t: string) => void): Promise<Knex> {
  const { default: knexFactory } = await import('knex');
  const knex = (c: Knex.Config) => knexFactory({ ...c, log: quietLog(debug) });
  const { target, namespace } = config;
  if (target.engine === 'postgres') {
    return knex({
      client: 'pg',
      connection: { connectionString: target.url, application_name: 'dbkit' },
      pool: { min: 0, max: 4 },
      ...(namespace ? { searchPath: [namespace] } : {}),
    });
  }
  if (target.engine === 'mysql') {
    return knex({
      client: 'mysql2',
      connection: mysqlConnection(target.url, namespace ?? undefined),
      pool: { min: 0, max: 4 },
    });
  }
  const { default: ClientPgLite } = await import('knex-pglite');
  if (target.pgliteDir) fs.mkdirSync(path.dirname(target.pgliteDir), { recursive: true });
  return knex({
    client: ClientPgLite as unknown as Knex.Config['client'],
    dialect: 'postgres',
    connection: target.pgliteDir ? { filename: target.pgliteDir } : {},
    ...(namespace ? { searchPath: [namespace] } : {}),
  } as Knex.Config);
}

/** `.dbkit/` gets a .gitignore of its own, so the embedded database never shows as untracked. */
function ignoreEmbeddedDir(dir: string): void {
  const ignore = path.join(path.dirname(dir), '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errno?: number };
  const msg = e.message || String(err);
  return e.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}

export async function connect(config: Config, debug: (t: string) => void = () => undefined): Promise<Connection> {
  const { target } = config;
  let fileLock: HeldLock | null = null;
  if (target.engine === 'pglite' && target.pgliteDir) {
    fs.mkdirSync(path.dirname(target.pgliteDir), { recursive: true });
    ignoreEmbeddedDir(target.pgliteDir);
    fileLock = await acquireFileLock(`${target.pgliteDir}.lock`, config.lockTimeoutMs);
    if (!fileLock) throw new LockError(`the embedded database ${target.display} is in use by another dbkit process`);
  }
  let knex: Knex | undefined;
  try {
    knex = await createKnex(config, debug);
    let namespace: string;
    let namespaceExists = true;
    if (target.engine === 'mysql') {
      const rows = (await knex.raw('SELECT DATABASE() AS db'))[0] as { db: string | null }[];
      namespace = rows[0]?.db ?? config.namespace ?? '';
    } else if (config.namespace) {
      namespace = config.namespace;
      const res = await knex.raw(PG_NAMESPACE_EXISTS, [namespace]);
      namespaceExists = !!res.rows[0]?.exists;
    } else {
      const res = await knex.raw('SELECT current_schema() AS ns');
      namespace = res.rows[0]?.ns ?? 'public';
    }
    const k = knex;
    return {
      knex: k,
      config,
      namespace,
      namespaceExists,
      async close() {
        await k.destroy();
        await fileLock?.release();
      },
    };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    await fileLock?.release();
    throw new ConnectError(`cannot connect to ${target.display}: ${describe(err)}`, { cause: err });
  }
}
