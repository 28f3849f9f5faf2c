/**
 * The one query primitive that catalog reading needs: a statement with `?`
 * placeholders in, rows out. `diff`, `check-indexes` and `status` talk to
 * PostgreSQL and MySQL through the drivers directly (no Knex to load, which
 * is most of their start-up time); migrations go through Knex.
 */
import type { Knex } from 'knex';
import { mysqlConnection, pgConnection, type Engine } from '../config/url.js';
import { openMysqlConnection } from '../../dialects/mysql/session.js';
import { boundLockWaits } from '../../dialects/mysql/lock-wait.js';
import { annotate } from './driver-errors.js';
import { resolveTls } from './tls-probe.js';

export { CONNECT_TIMEOUT_MS } from '../config/url.js';

export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The driver's own connection, for what plain SQL cannot do (bulk loading). */
  native?: NativeHandle;
  /** `fn` in one transaction on one connection (committed when it returns, rolled back when it throws). */
  transaction?<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** A driver connection: node-postgres client, mysql2 connection, or the PGlite instance. */
export type NativeHandle =
  | { engine: 'postgres'; client: import('pg').Client }
  | { engine: 'mysql'; conn: import('mysql2/promise').Connection }
  | { engine: 'pglite'; db: import('@electric-sql/pglite').PGlite };

export interface ClosableSql extends Sql {
  close(): Promise<void>;
}

type Query = <T>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

/**
 * A driver session's query and transaction: one connection, whose queries
 * the driver runs in the order they are sent. While a transaction runs, the
 * session's other queries (catalog reads running side by side) wait for it
 * to end, so that none of them lands inside it (and fails with it).
 */
function gated(raw: Query): Pick<Sql, 'query' | 'transaction'> {
  let gate: Promise<void> = Promise.resolve();
  const inside: Sql = { query: raw };
  return {
    async query<T>(sql: string, params?: readonly unknown[]) {
      await gate;
      return raw<T>(sql, params);
    },
    async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
      let open!: () => void;
      const mine = new Promise<void>((r) => (open = r));
      const before = gate;
      gate = before.then(() => mine);
      await before;
      try {
        await raw('BEGIN');
        try {
          const out = await fn(inside);
          await raw('COMMIT');
          return out;
        } catch (err) {
          await raw('ROLLBACK').catch(() => undefined);
          throw err;
        }
      } finally {
        open();
      }
    },
  };
}

/** `?` placeholders -> `$1, $2, ...` (catalog SQL has no other question marks). */
export const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** Queries through an existing Knex instance (Knex logs them itself). */
export function knexSql(knex: Knex, engine: Engine): Sql {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const res = await knex.raw(sql, params as Knex.RawBinding[]);
      return (engine === 'mysql' ? res[0] : res.rows) as T[];
    },
    transaction: <T>(fn: (sql: Sql) => Promise<T>) => knex.transaction((trx) => fn(knexSql(trx, engine))),
  };
}

export interface DriverSqlOptions {
  /** MySQL: every lock wait of the session bounded by this (--lock-timeout; dialects/mysql/lock-wait.ts). */
  lockWaitMs?: number;
}

/** node-postgres on Node 20 probes for Cloudflare with `new Response()`, loading undici (~30 ms); Node 21+ answers from `navigator`. */
function skipCloudflareProbe(): void {
  const g = globalThis as { navigator?: unknown };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` },
      configurable: true,
      writable: true,
    });
  }
}

export async function driverSql(
  engine: Exclude<Engine, 'pglite'>,
  url: string,
  database: string | undefined,
  onQuery: (sql: string) => void,
  options: DriverSqlOptions = {},
): Promise<ClosableSql> {
  await resolveTls(engine, url);
  if (engine === 'postgres') {
    skipCloudflareProbe();
    const { default: pg } = await import('pg');
    const client = new pg.Client(pgConnection(url));
    // A session ended by the server while idle (pg_terminate_backend, a restart) must not crash the
    // process: the next query on it fails instead, and the command says what state it left.
    client.on('error', () => undefined);
    await client.connect();
    const raw: Query = async <T>(sql: string, params: readonly unknown[] = []) => {
      onQuery(sql);
      try {
        return (await client.query(numbered(sql), params as unknown[])).rows as T[];
      } catch (err) {
        throw annotate(err, sql);
      }
    };
    return { ...gated(raw), close: () => client.end(), native: { engine: 'postgres', client } };
  }
  const conn = await openMysqlConnection(mysqlConnection(url, database));
  try {
    if (options.lockWaitMs !== undefined) await boundLockWaits(conn, options.lockWaitMs);
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  const raw: Query = async <T>(sql: string, params: readonly unknown[] = []) => {
    onQuery(sql);
    try {
      const [rows] = await conn.query(sql, params as unknown[]);
      return rows as T[];
    } catch (err) {
      throw annotate(err, sql);
    }
  };
  return { ...gated(raw), close: () => conn.end(), native: { engine: 'mysql', conn } };
}
