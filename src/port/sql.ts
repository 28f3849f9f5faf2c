/**
 * The query primitive both sides of the port speak: a statement with `?`
 * placeholders in, rows out; the driver's own handle for what plain SQL
 * cannot do; a one-connection transaction. The engines implement it
 * (dialects/<d>/), the core only uses it.
 */
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

export type Query = <T>(sql: string, params?: readonly unknown[]) => Promise<T[]>;

/**
 * A driver session's query and transaction: one connection, whose queries
 * the driver runs in the order they are sent. While a transaction runs, the
 * session's other queries (catalog reads running side by side) wait for it
 * to end, so that none of them lands inside it (and fails with it).
 */
export function gated(raw: Query): Pick<Sql, 'query' | 'transaction'> {
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

export type Row = Record<string, unknown>;
export interface Result {
  rows: Row[];
  /** Rows inserted, updated or deleted. */
  affected: number;
}
/**
 * One statement in, its rows out. Without params the text goes to the server
 * as it is; with params, placeholders are the driver's (`$1` on PostgreSQL,
 * `?` on MySQL: what Knex's toSQL().toNative() gives).
 */
export type Exec = (sql: string, params?: readonly unknown[]) => Promise<Result>;
