/**
 * Open a database for a configuration, prove it works, and resolve the
 * namespace (PostgreSQL schema / MySQL database) to work in. `connect` gives
 * Knex (migrations); `openSession` gives only SQL, through the driver itself
 * where it can (catalog reading). Failures become ConnectError (exit 3) with
 * the password masked.
 */
import type { Knex } from 'knex';
import { ConnectError, UsageError } from '../shared/errors.js';
import type { Config } from '../config/load.js';
import { mysqlConnection, pgConnection } from '../config/url.js';
import { driverSql, knexSql, type ClosableSql, type Sql } from './sql.js';
import { resolveTls } from './tls-probe.js';
import { initPooledSession } from '../../dialects/mysql/session.js';
import { pooledLockWaits } from '../../dialects/mysql/lock-wait.js';
import { knexQueryError } from './driver-errors.js';
import { checkMigrationTopology } from './topology.js';
import type { Embedded } from './pglite.js';

/** PGlite's modules, loaded only for a pglite: URL. */
const pglite = () => import('./pglite.js');

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

/** Knex on a server (the embedded database gets its own: src/db/pglite.ts). */
async function createKnex(config: Config, debug: (t: string) => void): Promise<Knex> {
  const { default: knexFactory } = await import('knex');
  // No bound values written into error messages: the server's words and the statement are kept apart (driver-errors.ts).
  const knex = (c: Knex.Config) => knexFactory({ ...c, compileSqlOnError: false, log: quietLog(debug) });
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
      // Every lock wait bounded by --lock-timeout (dialects/mysql/lock-wait.ts).
      pool: { min: 0, max: 4, afterCreate: pooledLockWaits(config.lockTimeoutMs, initPooledSession) },
    });
  }
  throw new Error(`no Knex client for ${target.engine} here (the embedded database: src/db/pglite.ts)`);
}

/** A server without TLS when the URL requires it: said plainly, and marked so that `wait` does not wait for it. */
const NO_TLS = /^(The server does not support SSL connections|Server does not support secure connection)$/;

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
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

const connectError = (config: Config, err: unknown) =>
  new ConnectError(
    `${config.target.engine === 'pglite' ? 'cannot open the embedded database' : 'cannot connect to'} ${config.target.display}: ${describe(err)}`,
    { cause: err },
  );

/** The embedded database with its namespace resolved (closed again if that fails). */
async function embeddedSession(config: Config, e: Embedded, debug: Debug, withKnex: boolean): Promise<Session & { knex?: Knex }> {
  let knex: Knex | undefined;
  try {
    let sql = e.sql;
    if (withKnex) {
      knex = await (await pglite()).embeddedKnex(e, config, debug);
      knex.on('query', (q: { sql: string }) => debug(`sql: ${q.sql}`));
      knex.on('query-error', knexQueryError);
      // Through Knex's one connection, as the migrations run: never beside an open migration transaction.
      sql = { ...knexSql(knex, 'pglite'), native: e.sql.native };
    }
    const k = knex;
    const close = async () => {
      await k?.destroy().catch(() => undefined);
      await e.close();
    };
    return { knex, sql, config, ...(await resolveNamespace(config, sql)), close };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    await e.close().catch(() => undefined);
    throw connectError(config, err);
  }
}

/** Knex on the configured database (for PGlite: with its lock file held). */
export async function connect(config: Config, debug: Debug = () => undefined): Promise<Connection> {
  if (config.target.engine === 'pglite') {
    return (await embeddedSession(config, await (await pglite()).openEmbedded(config, { debug, knex: true }), debug, true)) as Connection;
  }
  let knex: Knex | undefined;
  try {
    await checkMigrationTopology(config, debug);
    knex = await createKnex(config, debug);
    knex.on('query', (q: { sql: string }) => debug(`sql: ${q.sql}`));
    knex.on('query-error', knexQueryError);
    const sql = knexSql(knex, config.target.engine);
    const k = knex;
    return {
      knex: k,
      sql,
      config,
      debug,
      ...(await resolveNamespace(config, sql)),
      async close() {
        await k.destroy();
      },
    };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    throw err instanceof UsageError ? err : connectError(config, err);
  }
}

/** SQL only, no Knex: the driver itself on PostgreSQL and MySQL, PGlite itself when embedded. */
export async function openSession(config: Config, debug: Debug = () => undefined): Promise<Session> {
  const { target } = config;
  if (target.engine === 'pglite') return embeddedSession(config, await (await pglite()).openEmbedded(config, { debug }), debug, false);
  let sql: ClosableSql | undefined;
  try {
    sql = await driverSql(target.engine, target.url, config.namespace ?? undefined, (q) => debug(`sql: ${q}`), { lockWaitMs: config.lockTimeoutMs });
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
