/** The engine port's seed area: the seed lock and the bulk writer (dialects/<d>/port-seed.ts). */
import type { BulkWriter } from './bulk.js';
import type { Releasable } from './lock.js';
import type { Hop } from '../rows/coverage.js';
import type { NativeHandle, Sql } from './sql.js';

export interface SeedLockRequest {
  /** The URL to open the lock's own connection with. */
  url: string;
  /** The PostgreSQL schema or MySQL database being seeded. */
  namespace: string;
  /** The lock's key (an advisory-lock text key on PostgreSQL, a GET_LOCK name on MySQL). */
  name: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once if the lock is held by someone else: who (null when the server will not say). */
  onWait?(holder: string | null): void;
}

export interface SeedPort {
  /** How many connections load at once for a plan of `tables` tables. */
  loadConnections(tables: number): number;
  /** Take the seed lock, or null when it stayed held for timeoutMs (or the signal fired). */
  lock(req: SeedLockRequest): Promise<Releasable | null>;
  /**
   * The bulk writer on an open session's driver handle. `lockTimeoutMs`
   * bounds each chunk's wait for another session's lock on a table.
   */
  writer(native: NativeHandle, namespace: string, debug: (t: string) => void, lockTimeoutMs?: number): Promise<BulkWriter>;
}

/** The SQL seeding and taking a run back need of a dialect (src/seed/target.ts). */
export interface SeedSql {
  /** The load writes explicit integer ids (MySQL): an --append continues after each table's highest. */
  continuesIds?: true;
  /** The base tables of a namespace (`?`: the namespace), as `name`. */
  baseTablesSql: string;
  /** Statements around the set-based foreign-key check after a load (PostgreSQL: a hash anti-join, not a nested loop, on fresh tables). */
  antiJoin?: { before: string; after: string };
  /** One statement that empties all these tables and restarts their ids; absent: table by table with the foreign keys' checks off (MySQL). */
  truncateAll?(qualified: readonly string[]): string;
  /** Where tables are emptied one by one: the statements that turn this session's foreign-key checks off and on again around it (MySQL). */
  foreignKeyChecks?: { off: string; on: string };
  /**
   * Rows of a table that belong to some users, through its path up to users.
   * Absent where every foreign-key column has an index (InnoDB makes one
   * for each): there the engine's own cascades look rows up by index, and
   * deleting the users takes their trees with them (measured alike on
   * MariaDB, 5,020 users, runs taking turns: 29.7 s and 35.0 s that way,
   * 29.9 s and 39.1 s table by table).
   */
  deleteByPath?(namespace: string, table: string, path: readonly Hop[], users: number): string;
  /**
   * Brings the planner's statistics up to date before the deletes (a bulk
   * load leaves PostgreSQL none until autovacuum comes round: with none, it
   * hashes every row of messages for each batch of users instead of
   * following the indexes of the path).
   */
  refreshStatistics?(qualified: string[]): string;
  /**
   * Frees the space of deleted rows, so that a scan of the table reads only
   * the rows left (PostgreSQL: a cascade or check through a column without
   * an index scans the table once per deleted parent row, dead rows
   * included). Run outside a transaction.
   */
  compact?(qualified: string): string;
  /** Where a session may run a transaction with the foreign keys' triggers (checks and cascades) off: whether it may, and the statement. */
  withoutTriggers?: { may(sql: Sql): Promise<boolean>; statement: string };
  /**
   * Where --truncate empties the tables with the foreign keys' checks off
   * (MySQL): the foreign keys of other tables that reference them, which it
   * must refuse to leave dangling. (PostgreSQL's TRUNCATE refuses them itself.)
   */
  foreignReferences?(sql: Sql, namespace: string, tables: readonly string[]): Promise<string[]>;
}
