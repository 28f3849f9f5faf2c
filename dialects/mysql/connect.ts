/**
 * Opening MySQL/MariaDB (src/port/connect.ts): mysql2 itself for SQL, Knex's
 * `mysql2` client for migrations; every session set up the same way
 * (session.ts) with its lock waits bounded by --lock-timeout (lock-wait.ts).
 */
import type { Knex } from 'knex';
import type { KnexBase, OpenRequest } from '../../src/port/connect.js';
import { gated, type ClosableSql, type Query, type Sql } from '../../src/port/sql.js';
import { annotate } from '../../src/connection/driver-errors.js';
import { mysqlConnection } from '../../src/connection/driver-options.js';
import { resolveTls } from '../../src/connection/tls-probe.js';
import { boundLockWaits, pooledLockWaits } from './lock-wait.js';
import { initPooledSession, openMysqlConnection } from './session.js';

/** SQL through mysql2, in the URL's database (or the configured one). */
export async function openMysqlSql(req: OpenRequest): Promise<ClosableSql> {
  await resolveTls('mysql', req.url);
  const conn = await openMysqlConnection(mysqlConnection(req.url, req.namespace ?? undefined));
  try {
    if (req.lockTimeoutMs !== undefined) await boundLockWaits(conn, req.lockTimeoutMs);
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
  const raw: Query = async <T>(sql: string, params: readonly unknown[] = []) => {
    req.debug(`sql: ${sql}`);
    try {
      const [rows] = await conn.query(sql, params as unknown[]);
      return rows as T[];
    } catch (err) {
      throw annotate(err, sql);
    }
  };
  return { ...gated(raw), close: () => conn.end(), native: { engine: 'mysql', conn } };
}

/** Knex on MySQL: a small pool whose every connection is set up as dbkit's sessions are. */
export async function openMysqlKnex(req: OpenRequest, base: KnexBase): Promise<Knex> {
  await resolveTls('mysql', req.url);
  const { default: knexFactory } = await import('knex');
  return knexFactory({
    ...base,
    client: 'mysql2',
    connection: mysqlConnection(req.url, req.namespace ?? undefined),
    // On Galera, every read waits for the cluster's earlier commits (wsrep_sync_wait).
    // Every lock wait bounded by --lock-timeout (lock-wait.ts).
    pool: { min: 0, max: 4, afterCreate: req.lockTimeoutMs !== undefined ? pooledLockWaits(req.lockTimeoutMs, initPooledSession) : initPooledSession },
  });
}

/** The session's database (the URL's or the configured one): it exists, or the connection would have failed. */
export async function mysqlNamespace(sql: Sql, configured: string | null): Promise<{ namespace: string; namespaceExists: boolean }> {
  const [row] = await sql.query<{ db: string | null }>('SELECT DATABASE() AS db');
  return { namespace: row?.db ?? configured ?? '', namespaceExists: true };
}
