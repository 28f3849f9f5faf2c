/**
 * Open a database for a configuration, prove it works, and resolve the
 * namespace (PostgreSQL schema / MySQL database) to work in. `connect` gives
 * Knex (migrations); `openSession` gives only SQL, through the driver itself
 * where it can (catalog reading). Failures become ConnectError (exit 3) with
 * the password masked.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { ConnectError, LockError, UsageError } from '../cli/errors.js';
import type { Config } from '../config/load.js';
import { mysqlConnection, pgConnection } from '../config/url.js';
import { driverSql, knexSql, type ClosableSql, type Sql } from './sql.js';
import { resolveTls } from './tls-probe.js';
import { acquireFileLock, fileLockHolder } from '../../dialects/pglite/file-lock.js';
import { initPooledSession } from '../../dialects/mysql/session.js';
import { checkMigrationTopology } from './topology.js';
import type { Releasable } from '../migrate/held-lock.js';

/** An open database: SQL, and where to work in it. */
export interface Session {
  config: Config;
  sql: Sql;
  /** The PostgreSQL schema or MySQL database in use. */
  namespace: string;
  /** False when the namespace was named but does not exist (yet). */
  namespaceExists: boolean;
  close(): Promise<void>;
}

/** A session with Knex, for migrations. */
export interface Connection extends Session {
  knex: Knex;
  /** The --verbose log it was opened with (the lock reports what it found there). */
  debug?: (text: string) => void;
}

type Debug = (t: string) => void;

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
  if (target.engine !== 'pglite') await resolveTls(target.engine, target.url);
  if (target.engine === 'postgres') {
    return knex({
      client: 'pg',
      connection: pgConnection(target.url) as Knex.PgConnectionConfig,
      pool: { min: 0, max: 4 },
      ...(namespace ? { searchPath: [namespace] } : {}),
    });
  }
  if (target.engine === 'mysql') {
    return knex({
      client: 'mysql2',
      connection: mysqlConnection(target.url, namespace ?? undefined),
      // On Galera, every read waits for the cluster's earlier commits (wsrep_sync_wait).
      pool: { min: 0, max: 4, afterCreate: initPooledSession },
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

/**
 * The default `.dbkit/` folder gets a .gitignore of its own, so the embedded
 * database never shows as untracked. A directory named by --url is the
 * user's to place: nothing is written beside it but its lock file.
 */
function ignoreEmbeddedDir(dir: string): void {
  const parent = path.dirname(dir);
  if (path.basename(parent) !== '.dbkit') return;
  const ignore = path.join(parent, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

/** PGlite's file system (Emscripten) throws ErrnoError objects with a number and no message. */
const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'permission denied (EACCES)',
  20: 'a file is in the way (EEXIST)',
  31: 'is a directory (EISDIR)',
  44: 'no such file or directory (ENOENT)',
  54: 'not a directory (ENOTDIR)',
  69: 'read-only file system (EROFS)',
};

/** A server without TLS when the URL requires it: said plainly, and marked so that `wait` does not wait for it. */
const NO_TLS = /^(The server does not support SSL connections|Server does not support secure connection)$/;

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errno?: number; name?: string };
  if (!e.message && e.name === 'ErrnoError') return EMSCRIPTEN_ERRNO[e.errno ?? -1] ?? `file system error ${e.errno}`;
  if (e.message && NO_TLS.test(e.message)) {
    e.code ??= 'DBKIT_NO_TLS';
    return 'the server does not offer TLS, and the URL requires it (sslmode=require or stricter; sslmode=prefer connects without TLS to such a server)';
  }
  const msg = e.message || String(err);
  return e.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}

async function resolveNamespace(config: Config, sql: Sql): Promise<{ namespace: string; namespaceExists: boolean }> {
  if (config.target.engine === 'mysql') {
    const [row] = await sql.query<{ db: string | null }>('SELECT DATABASE() AS db');
    return { namespace: row?.db ?? config.namespace ?? '', namespaceExists: true };
  }
  if (config.namespace) {
    const [row] = await sql.query<{ exists: boolean }>(PG_NAMESPACE_EXISTS, [config.namespace]);
    return { namespace: config.namespace, namespaceExists: !!row?.exists };
  }
  const [row] = await sql.query<{ ns: string | null }>('SELECT current_schema() AS ns');
  return { namespace: row?.ns ?? 'public', namespaceExists: true };
}

/** PGlite is one process's database: take its lock file before opening it. */
async function lockEmbedded(config: Config): Promise<Releasable | null> {
  const { target } = config;
  if (target.engine !== 'pglite' || !target.pgliteDir) return null;
  let lock: Releasable | null;
  try {
    fs.mkdirSync(path.dirname(target.pgliteDir), { recursive: true });
    ignoreEmbeddedDir(target.pgliteDir);
    lock = await acquireFileLock(`${target.pgliteDir}.lock`, config.lockTimeoutMs);
  } catch (err) {
    // Not a directory dbkit can create and write in (a file in the way, a read-only place, no permission).
    throw new ConnectError(`cannot open the embedded database ${target.display}: ${describe(err)}`, { cause: err });
  }
  if (!lock) {
    const pid = fileLockHolder(`${target.pgliteDir}.lock`);
    throw new LockError(`the embedded database ${target.display} is in use by another dbkit process${pid ? ` (pid ${pid})` : ''}; gave up after ${config.lockTimeoutMs / 1000}s (--lock-timeout)`);
  }
  return lock;
}

const connectError = (config: Config, err: unknown) =>
  new ConnectError(
    `${config.target.engine === 'pglite' ? 'cannot open the embedded database' : 'cannot connect to'} ${config.target.display}: ${describe(err)}`,
    { cause: err },
  );

/** Knex on the configured database (and, for PGlite, its lock file). */
export async function connect(config: Config, debug: Debug = () => undefined): Promise<Connection> {
  const fileLock = await lockEmbedded(config);
  let knex: Knex | undefined;
  try {
    await checkMigrationTopology(config, debug);
    knex = await createKnex(config, debug);
    knex.on('query', (q: { sql: string }) => debug(`sql: ${q.sql}`));
    const sql = knexSql(knex, config.target.engine);
    if (config.target.engine === 'pglite') {
      sql.native = { engine: 'pglite', db: (knex.client as { pglite: import('@electric-sql/pglite').PGlite }).pglite };
    }
    const k = knex;
    return {
      knex: k,
      sql,
      config,
      debug,
      ...(await resolveNamespace(config, sql)),
      async close() {
        await k.destroy();
        await fileLock?.release();
      },
    };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    await fileLock?.release();
    throw err instanceof UsageError ? err : connectError(config, err);
  }
}

/** SQL only: the driver itself on PostgreSQL and MySQL, Knex on PGlite. */
export async function openSession(config: Config, debug: Debug = () => undefined): Promise<Session> {
  const { target } = config;
  if (target.engine === 'pglite') return connect(config, debug);
  let sql: ClosableSql | undefined;
  try {
    sql = await driverSql(target.engine, target.url, config.namespace ?? undefined, (q) => debug(`sql: ${q}`));
    const s = sql;
    return { sql: s, config, ...(await resolveNamespace(config, s)), close: () => s.close() };
  } catch (err) {
    await sql?.close().catch(() => undefined);
    throw connectError(config, err);
  }
}

/** Whether the configured database answers: open a session, run SELECT 1, close it (throws ConnectError). */
export async function pingDatabase(config: Config, debug: Debug = () => undefined): Promise<void> {
  const session = await openSession(config, debug);
  try {
    await session.sql.query('SELECT 1');
  } finally {
    await session.close();
  }
}
