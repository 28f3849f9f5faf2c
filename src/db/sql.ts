/**
 * The one query primitive that catalog reading needs: a statement with `?`
 * placeholders in, rows out. `diff`, `check-indexes` and `status` talk to
 * PostgreSQL and MySQL through the drivers directly (no Knex to load, which
 * is most of their start-up time); migrations go through Knex.
 */
import type { Knex } from 'knex';
import type { Engine } from '../config/url.js';
import { engineFor } from '../engines/index.js';
import type { ClosableSql, Sql } from '../port/sql.js';

export type { ClosableSql, NativeHandle, Sql } from '../port/sql.js';
export { numbered } from '../port/sql.js';
export { CONNECT_TIMEOUT_MS } from '../connection/server-url.js';

/** Queries through an existing Knex instance (Knex logs them itself). */
export function knexSql(knex: Knex, engine: Engine): Sql {
  const rows = engineFor(engine).connect.knexRows;
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return rows(await knex.raw(sql, params as Knex.RawBinding[])) as T[];
    },
    transaction: <T>(fn: (sql: Sql) => Promise<T>) => knex.transaction((trx) => fn(knexSql(trx, engine))),
  };
}

export interface DriverSqlOptions {
  /** MySQL: every lock wait of the session bounded by this (--lock-timeout; dialects/mysql/lock-wait.ts). */
  lockWaitMs?: number;
}

/** SQL through a server's driver itself (the benches' and tests' way in; commands open sessions through src/db/connect.ts). */
export function driverSql(
  engine: Exclude<Engine, 'pglite'>,
  url: string,
  database: string | undefined,
  onQuery: (sql: string) => void,
  options: DriverSqlOptions = {},
): Promise<ClosableSql> {
  return engineFor(engine).connect.openSql({
    url,
    display: url,
    namespace: database ?? null,
    lockTimeoutMs: options.lockWaitMs,
    debug: (t) => (t.startsWith('sql: ') ? onQuery(t.slice(5)) : undefined),
  });
}
