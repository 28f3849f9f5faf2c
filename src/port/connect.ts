/**
 * The engine port's connection area (dialects/<d>/port-connect.ts): how an
 * engine is opened for SQL (the driver itself, for catalog reads) and for
 * Knex (migrations), which namespace a session works in, and what sits
 * between dbkit and the server. src/db/connect.ts drives it; the driver
 * modules load only when a connection is opened.
 */
import type { Knex } from 'knex';
import type { ClosableSql, Exec, Sql } from './sql.js';

/** What opening a database needs to know (from the configuration). */
export interface OpenRequest {
  /** The URL as given (never printed: `display`). */
  url: string;
  display: string;
  /** The namespace configured (--namespace), or null for the URL's own. */
  namespace: string | null;
  /** --lock-timeout: every lock wait of a session bounded by it where the engine bounds sessions (MySQL), and the embedded database's lock file. */
  lockTimeoutMs?: number;
  /** PGlite: the data directory, or null for pglite:memory. */
  pgliteDir?: string | null;
  debug(text: string): void;
}

/** Knex's options that do not depend on the engine (logging, error text). */
export type KnexBase = Omit<Knex.Config, 'client' | 'connection' | 'pool'>;

/** What sits between dbkit and the server: a transaction pooler keeps no session state. */
export interface PoolerProbe {
  pooled: boolean;
  /** What the probe saw, for --verbose and messages. */
  evidence: string;
}

export interface ConnectPort {
  /** The database runs in this process (PGlite): opening it takes its lock file, and Knex runs on the connection `openSql` opened. */
  readonly embedded: boolean;
  /** SQL only, through the driver itself. `knex`: Knex will be wanted too (its modules load meanwhile). */
  openSql(req: OpenRequest, opts?: { knex?: boolean }): Promise<ClosableSql>;
  /** Knex: on a server a pool of its own; embedded, on the database `sql` holds open. */
  openKnex(req: OpenRequest, base: KnexBase, sql?: ClosableSql): Promise<Knex>;
  /** Statements on a driver connection Knex acquired (the run's own session: settings, the pid an interrupt cancels). */
  execOn(connection: unknown): Exec;
  /** The rows of a Knex raw() result. */
  knexRows(result: unknown): unknown[];
  /** The namespace a session works in, and whether it exists (yet). */
  namespaceOf(sql: Sql, configured: string | null): Promise<{ namespace: string; namespaceExists: boolean }>;
  /** Before Knex opens on a server: whether a transaction pooler sits in between (PostgreSQL); absent where none can. */
  poolerProbe?(url: string): Promise<PoolerProbe>;
}
