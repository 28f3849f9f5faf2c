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
import { engineFor } from '../engines/index.js';
import type { OpenRequest } from '../port/connect.js';
import type { Engine } from '../port/engine.js';
import { knexSql, type ClosableSql, type Sql } from './sql.js';
import { knexQueryError } from '../connection/driver-errors.js';
import { checkMigrationTopology } from './topology.js';

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

/** Knex's own warnings would land on stdout and break --json: they go to the debug log. */
const quietLog = (debug: (t: string) => void) => {
  const say = (m: unknown) => debug(`knex: ${m instanceof Error ? m.message : String(m)}`);
  return { warn: say, error: say, deprecate: say, debug: () => undefined };
};

/** What the engine needs to open the configured database. */
const openRequest = (config: Config, debug: Debug): OpenRequest => ({
  url: config.target.url,
  display: config.target.display,
  namespace: config.namespace ?? null,
  lockTimeoutMs: config.lockTimeoutMs,
  pgliteDir: config.target.pgliteDir,
  debug,
});

/** Knex options every engine shares: no bound values written into error messages (driver-errors.ts), its warnings to the debug log. */
const knexBase = (debug: Debug) => ({ compileSqlOnError: false, log: quietLog(debug) });

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

const resolveNamespace = (engine: Engine, config: Config, sql: Sql) => engine.connect.namespaceOf(sql, config.namespace ?? null);

const connectError = (engine: Engine, config: Config, err: unknown) =>
  new ConnectError(`${engine.connect.embedded ? 'cannot open the embedded database' : 'cannot connect to'} ${config.target.display}: ${describe(err)}`, { cause: err });

/** The embedded database with its namespace resolved (closed again if that fails). */
async function embeddedSession(engine: Engine, config: Config, debug: Debug, withKnex: boolean): Promise<Session & { knex?: Knex }> {
  const req = openRequest(config, debug);
  const e = await engine.connect.openSql(req, { knex: withKnex });
  let knex: Knex | undefined;
  try {
    let sql: Sql = e;
    if (withKnex) {
      knex = await engine.connect.openKnex(req, knexBase(debug), e);
      knex.on('query', (q: { sql: string }) => debug(`sql: ${q.sql}`));
      knex.on('query-error', knexQueryError);
      // Through Knex's one connection, as the migrations run: never beside an open migration transaction.
      sql = { ...knexSql(knex, engine.name), native: e.native };
    }
    const k = knex;
    const close = async () => {
      await k?.destroy().catch(() => undefined);
      await e.close();
    };
    return { knex, sql, config, ...(await resolveNamespace(engine, config, sql)), close };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    await e.close().catch(() => undefined);
    throw connectError(engine, config, err);
  }
}

/** Knex on the configured database (for PGlite: with its lock file held). */
export async function connect(config: Config, debug: Debug = () => undefined): Promise<Connection> {
  const engine = engineFor(config.target.engine);
  if (engine.connect.embedded) return (await embeddedSession(engine, config, debug, true)) as Connection;
  let knex: Knex | undefined;
  try {
    await checkMigrationTopology(config, debug);
    knex = await engine.connect.openKnex(openRequest(config, debug), knexBase(debug));
    knex.on('query', (q: { sql: string }) => debug(`sql: ${q.sql}`));
    knex.on('query-error', knexQueryError);
    const sql = knexSql(knex, engine.name);
    const k = knex;
    return {
      knex: k,
      sql,
      config,
      debug,
      ...(await resolveNamespace(engine, config, sql)),
      async close() {
        await k.destroy();
      },
    };
  } catch (err) {
    await knex?.destroy().catch(() => undefined);
    throw err instanceof UsageError ? err : connectError(engine, config, err);
  }
}

/** SQL only, no Knex: the driver itself on PostgreSQL and MySQL, PGlite itself when embedded. */
export async function openSession(config: Config, debug: Debug = () => undefined): Promise<Session> {
  const engine = engineFor(config.target.engine);
  if (engine.connect.embedded) return embeddedSession(engine, config, debug, false);
  let sql: ClosableSql | undefined;
  try {
    sql = await engine.connect.openSql(openRequest(config, debug));
    const s = sql;
    return { sql: s, config, ...(await resolveNamespace(engine, config, s)), close: () => s.close() };
  } catch (err) {
    await sql?.close().catch(() => undefined);
    throw connectError(engine, config, err);
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
