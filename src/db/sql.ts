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
import { gated, numbered, type ClosableSql, type Query, type Sql } from '../port/sql.js';

export type { ClosableSql, NativeHandle, Sql } from '../port/sql.js';
export { numbered } from '../port/sql.js';
import { resolveTls } from './tls-probe.js';

export { CONNECT_TIMEOUT_MS } from '../config/url.js';

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
