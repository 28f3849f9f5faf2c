/** The engine port's migration area: bookkeeping SQL, running work, data checks (dialects/<d>/port-migration.ts). */
import type { BookkeepingDialect } from './bookkeeping.js';
import type { ProbeDialect } from './data-check.js';
import type { WorkProbe } from './work-probe.js';

export interface MigrationPort {
  /** The bookkeeping tables' shapes and the catalog SQL that reads what holds their names. */
  bookkeeping(): Promise<BookkeepingDialect>;
  /** A bookkeeping table as a migration session names it (PostgreSQL: qualified with the namespace; MySQL: the session's database). */
  bookkeepingTable(namespace: string, table: string): string;
  /** The probe for dbkit's statements still running on the server; null where one process owns the database (PGlite). */
  readonly workProbe: (() => Promise<WorkProbe>) | null;
  /** The data pre-flight's SQL. */
  dataCheck(): Promise<ProbeDialect>;
}
