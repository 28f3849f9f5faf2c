/**
 * The bulk-load port of the seeder: each engine's fastest way in, one
 * transaction per chunk (or one statement per table for the whole run).
 * Implemented in dialects/<engine>/bulk.ts; chosen per session by
 * src/seed/bulk.ts. Its own file, so that neither side imports the other.
 */
import type { EncodedRows } from '../rows/pieces.js';

/** One table's rows for the whole run, as one streaming statement in a transaction of its own. */
export interface TableStream {
  /** Queue the pieces (copied: the chunk's buffers are reused as soon as this resolves); waits while the stream is full. */
  push(pieces: readonly Buffer[]): Promise<void>;
  /** Finish the statement and check that `rows` rows went in (not committed yet). */
  finish(rows: number): Promise<void>;
  /** Commit: called once every table's stream has finished. */
  commit(): Promise<void>;
  /** Stop and roll back. */
  abort(): Promise<void>;
}

export interface BulkWriter {
  /** How rows go in: `copy`, `load-data`, `insert` (multi-row, sized to max_allowed_packet), `pglite-copy`. */
  method: string;
  /**
   * True when this session skips the engine's per-row foreign-key checks in
   * its transactions (PostgreSQL, where the role may): the caller then checks
   * every foreign key once, set-based, after loading.
   */
  readonly skipsForeignKeyChecks: boolean;
  /** Start a transaction. */
  begin(): Promise<void>;
  /** Write rows into a table of the namespace. */
  load(table: string, columns: readonly string[], data: EncodedRows): Promise<void>;
  /**
   * Where the engine loads fastest one table per connection (MySQL's LOAD
   * DATA), a stream for the whole run into `table`, checks of foreign keys
   * off: the seeder then loads table by table over as many connections, and
   * checks the foreign keys afterwards.
   */
  openTableStream?(table: string, columns: readonly string[]): Promise<TableStream>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}
