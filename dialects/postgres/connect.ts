/**
 * Opening PostgreSQL (src/port/connect.ts): node-postgres itself for SQL,
 * Knex's `pg` client for migrations, the schema a session works in.
 */
import type { Knex } from 'knex';
import type { KnexBase, OpenRequest } from '../../src/port/connect.js';
import { gated, numbered, type ClosableSql, type Query, type Sql } from '../../src/port/sql.js';
import { annotate } from '../../src/connection/driver-errors.js';
import { pgConnection } from '../../src/connection/driver-options.js';
import { resolveTls } from '../../src/connection/tls-probe.js';

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

/** SQL through node-postgres, `?` placeholders as everywhere else. */
export async function openPostgresSql(req: OpenRequest): Promise<ClosableSql> {
  await resolveTls('postgres', req.url);
  skipCloudflareProbe();
  const { default: pg } = await import('pg');
  const client = new pg.Client(pgConnection(req.url));
  // A session ended by the server while idle (pg_terminate_backend, a restart) must not crash the
  // process: the next query on it fails instead, and the command says what state it left.
  client.on('error', () => undefined);
  await client.connect();
  const raw: Query = async <T>(sql: string, params: readonly unknown[] = []) => {
    req.debug(`sql: ${sql}`);
    try {
      return (await client.query(numbered(sql), params as unknown[])).rows as T[];
    } catch (err) {
      throw annotate(err, sql);
    }
  };
  return { ...gated(raw), close: () => client.end(), native: { engine: 'postgres', client } };
}

/** Knex on PostgreSQL: a small pool, searching the configured schema first. */
export async function openPostgresKnex(req: OpenRequest, base: KnexBase): Promise<Knex> {
  await resolveTls('postgres', req.url);
  const { default: knexFactory } = await import('knex');
  return knexFactory({
    ...base,
    client: 'pg',
    connection: pgConnection(req.url) as Knex.PgConnectionConfig,
    pool: { min: 0, max: 4 },
    ...(req.namespace ? { searchPath: [req.namespace] } : {}),
  });
}

const NAMESPACE_EXISTS = 'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?) AS "exists"';

/** The configured schema and whether it exists, or the session's current schema. */
export async function postgresNamespace(sql: Sql, configured: string | null): Promise<{ namespace: string; namespaceExists: boolean }> {
  if (configured) {
    const [row] = await sql.query<{ exists: boolean }>(NAMESPACE_EXISTS, [configured]);
    return { namespace: configured, namespaceExists: !!row?.exists };
  }
  const [row] = await sql.query<{ ns: string | null }>('SELECT current_schema() AS ns');
  return { namespace: row?.ns ?? 'public', namespaceExists: true };
}
