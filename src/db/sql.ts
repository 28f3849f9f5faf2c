/**
 * The one query primitive that catalog reading needs: a statement with `?`
 * placeholders in, rows out. `diff`, `check-indexes` and `status` talk to
 * PostgreSQL and MySQL through the drivers directly (no Knex to load, which
 * is most of their start-up time); migrations go through Knex.
 */
import type { Knex } from 'knex';
import { mysqlConnection, pgConnection, type Engine } from '../config/url.js';
import { openMysqlConnection } from '../../dialects/mysql/session.js';
import { resolveTls } from './tls-probe.js';

export { CONNECT_TIMEOUT_MS } from '../config/url.js';

export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** The driver's own connection, for what plain SQL cannot do (bulk loading). */
  native?: NativeHandle;
}

/** A driver connection: node-postgres client, mysql2 connection, or the PGlite instance. */
export type NativeHandle =
  | { engine: 'postgres'; client: import('pg').Client }
  | { engine: 'mysql'; conn: import('mysql2/promise').Connection }
  | { engine: 'pglite'; db: import('@electric-sql/pglite').PGlite };

export interface ClosableSql extends Sql {
  close(): Promise<void>;
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
  };
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
    return {
      async query<T>(sql: string, params: readonly unknown[] = []) {
        onQuery(sql);
        return (await client.query(numbered(sql), params as unknown[])).rows as T[];
      },
      close: () => client.end(),
      native: { engine: 'postgres', client },
    };
  }
  const conn = await openMysqlConnection(mysqlConnection(url, database));
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      onQuery(sql);
      const [rows] = await conn.query(sql, params as unknown[]);
      return rows as T[];
    },
    close: () => conn.end(),
    native: { engine: 'mysql', conn },
  };
}
