/** The engine port's migration area: bookkeeping SQL, running work, data checks (dialects/<d>/port-migration.ts). */
import type { BookkeepingDialect } from './bookkeeping.js';
import type { ProbeDialect } from './data-check.js';
import type { HeldLock } from './lock.js';
import type { LockWaits } from './lock-wait.js';
import type { Sql } from './sql.js';
import type { WorkProbe } from './work-probe.js';

export interface OnlineRun {
  /** The run resumes at this statement: an earlier run of dbkit's was at it when it stopped. */
  resumed: boolean;
  signal?: AbortSignal;
  note(text: string): void;
}

/** Runs a statement marked blocking without blocking writes (pt-online-schema-change). */
export interface OnlineRunner {
  name: string;
  run(sql: string, run: OnlineRun): Promise<void>;
}

/** Where an online runner works: the migration connection's URL (never printed), namespace and SQL. */
export interface OnlineTarget {
  url: string;
  namespace: string;
  sql: Sql;
}

export interface MigrationLockRequest {
  /** The URL to open the lock's own connection with (never printed: `display`). */
  url: string;
  display: string;
  namespace: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once if another run holds the lock: who (null when the server will not say). */
  onWait(holder: string | null): void;
  /** Details for --verbose (pooler probe, Galera node). */
  debug(text: string): void;
  /** Galera: how long a lease lives without its heartbeat. */
  leaseTtlMs?: number;
}

/** What `dbkit unlock --force` found: a lease it deleted, or who holds a live lock. */
export interface ForcedLock {
  leaseCleared: string | null;
  heldBy: string | null;
}

export interface MigrationPort {
  /** The bookkeeping tables' shapes and the catalog SQL that reads what holds their names. */
  bookkeeping(): Promise<BookkeepingDialect>;
  /** A bookkeeping table as a migration session names it (PostgreSQL: qualified with the namespace; MySQL: the session's database). */
  bookkeepingTable(namespace: string, table: string): string;
  /** The probe for dbkit's statements still running on the server; null where one process owns the database (PGlite). */
  readonly workProbe: (() => Promise<WorkProbe>) | null;
  /** Take the migration lock of a namespace, or null when it stayed held for timeoutMs (or the signal fired). */
  lock(req: MigrationLockRequest): Promise<HeldLock | null>;
  /** unlock --force: delete a lease (a cluster's lock that outlives its holder) now, or say who holds the live lock. */
  forceLock(url: string, namespace: string): Promise<ForcedLock>;
  /** How the bookkeeping's lock waits are bounded and explained on a server; null where no other session exists (PGlite). */
  readonly lockWaits: LockWaits | null;
  /** Before the bookkeeping is taken over: the statement that takes and releases the locks other sessions could hold on these tables (PostgreSQL), if any. */
  lockTablesSql?(namespace: string, tables: readonly string[]): string;
  /** `--online pt-osc`'s runner; absent where the engine has none (PostgreSQL: its rewrites are refused by make unless --allow-blocking). */
  onlineRunner?(target: OnlineTarget): Promise<OnlineRunner>;
  /** The data pre-flight's SQL. */
  dataCheck(): Promise<ProbeDialect>;
}
