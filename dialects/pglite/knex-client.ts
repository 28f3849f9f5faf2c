/**
 * Knex on an open PGlite instance: Knex's own PostgreSQL client with the
 * one connection being PGlite. (knex-pglite does the same, but loads a second,
 * CommonJS copy of PGlite and opens the database itself, without the
 * start-up settings of open.ts.)
 */
import type { Knex } from 'knex';
import type { PGlite, Results } from '@electric-sql/pglite';

type KnexClient = new (config: Knex.Config) => object;

interface QueryObject {
  sql?: string;
  bindings?: unknown[];
  method?: string;
  response?: unknown;
}

const COMMAND: Record<string, string> = { first: 'SELECT', pluck: 'SELECT', select: 'SELECT', del: 'DELETE', update: 'UPDATE', insert: 'INSERT' };

type KnexModules = [{ default: (config: Knex.Config) => Knex }, { default: KnexClient }];
let modules: Promise<KnexModules> | null = null;

/** Start loading Knex and its PostgreSQL client (while the database opens). */
export function loadKnexModules(): Promise<KnexModules> {
  modules ??= Promise.all([
    import('knex') as Promise<KnexModules[0]>,
    // @ts-expect-error Knex ships no types for its dialect modules.
    import('knex/lib/dialects/postgres/index.js') as Promise<{ default: KnexClient }>,
  ]);
  return modules;
}

export async function pgliteKnex(db: PGlite, config: Omit<Knex.Config, 'client' | 'connection'>): Promise<Knex> {
  const [{ default: knexFactory }, { default: ClientPg }] = await loadKnexModules();

  class ClientPglite extends (ClientPg as unknown as KnexClient) {
    /** The driver is the open instance: nothing to load. */
    _driver(): unknown {
      return {};
    }
    async _acquireOnlyConnection(): Promise<PGlite> {
      await db.waitReady;
      return db;
    }
    /** Closing the one connection closes the database: the caller closes it after knex.destroy(). */
    async destroyRawConnection(): Promise<void> {}
    async setSchemaSearchPath(connection: PGlite, searchPath?: string | string[]): Promise<boolean> {
      const p = searchPath ?? (this as unknown as { searchPath?: string | string[] }).searchPath;
      if (!p) return true;
      const list = (Array.isArray(p) ? p : [p]).map((s) => `"${s.replace(/"/g, '""')}"`).join(',');
      await connection.query(`SET search_path TO ${list}`);
      return true;
    }
    async checkVersion(connection: PGlite): Promise<string> {
      const r = await connection.query<{ version: string }>('SELECT version()');
      return /^PostgreSQL (\S+)/.exec(r.rows[0]!.version)![1]!;
    }
    async _query(connection: PGlite, obj: QueryObject): Promise<QueryObject> {
      if (!obj.sql) throw new Error('The query is empty');
      obj.response = await connection.query(obj.sql, obj.bindings as unknown[]);
      return obj;
    }
    processResponse(obj: QueryObject, runner: unknown): unknown {
      const res = obj.response as Results;
      const command = COMMAND[obj.method ?? ''] ?? (obj.method ?? '').toUpperCase();
      const response = { ...res, rowCount: res.affectedRows ?? 0, command };
      return (ClientPg.prototype as unknown as { processResponse(o: object, r: unknown): unknown }).processResponse.call(
        this,
        { ...obj, response },
        runner,
      );
    }
  }

  return knexFactory({
    ...config,
    client: ClientPglite as unknown as Knex.Config['client'],
    // A placeholder: Knex makes a pool only when there is a connection setting.
    connection: {},
    pool: { min: 1, max: 1 },
  });
}
