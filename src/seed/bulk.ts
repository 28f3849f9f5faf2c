/**
 * The bulk-load port of the seeder: each engine's fastest way in, one
 * transaction per chunk. Implementations live in dialects/<engine>/bulk.ts
 * and are loaded only by `seed`.
 */
import { SqlError } from '../cli/errors.js';
import type { Sql } from '../db/sql.js';
import type { TextSink } from './encode.js';

/** One table's rows of a chunk, already in COPY / LOAD DATA text form (UTF-8). */
export interface TextRows {
  /** Consecutive pieces of the text; a row may span two pieces. */
  pieces: Buffer[];
  rows: number;
}

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
  load(table: string, columns: readonly string[], data: TextRows): Promise<void>;
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

export const PIECE_SIZE = 256 * 1024;

const WINDOW = 16 * 1024;

/**
 * Rows written straight into UTF-8 buffers of PIECE_SIZE bytes. The buffers
 * live outside the JavaScript heap, so a chunk of text costs the garbage
 * collector nothing (string concatenation would build millions of short-lived
 * rope nodes).
 */
export class TextBuffer implements TextRows, TextSink {
  pieces: Buffer[] = [];
  rows = 0;
  private buf: Buffer;
  private pos = 0;
  /** Lines not yet copied into the buffer: copied 16 K characters at a time (one call, short-lived strings). */
  private pending = '';

  /** `alloc` hands out buffers of at least the size asked (a recycling pool, or fresh ones). */
  constructor(private readonly alloc: (bytes: number) => Buffer = (bytes) => Buffer.allocUnsafeSlow(bytes)) {
    this.buf = alloc(PIECE_SIZE);
  }

  /** One row's text (cells escaped and tab-separated), without its line end. */
  line(s: string): void {
    this.pending += s + '\n';
    this.rows++;
    if (this.pending.length >= WINDOW) this.copy();
  }

  private copy(): void {
    const s = this.pending;
    this.pending = '';
    const room = s.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (room > this.buf.length - this.pos) this.spill(room);
    this.pos += this.buf.write(s, this.pos);
  }

  /** Close the last piece; returns this. */
  flush(): this {
    if (this.pending) this.copy();
    if (this.pos) this.pieces.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    return this;
  }

  private spill(need: number): void {
    if (this.pos) this.pieces.push(this.buf.subarray(0, this.pos));
    this.buf = this.alloc(Math.max(PIECE_SIZE, need));
    this.pos = 0;
  }
}

/** The writer for an open session's engine. */
export async function openWriter(sql: Sql, namespace: string, debug: (t: string) => void): Promise<BulkWriter> {
  const native = sql.native;
  if (!native) throw new SqlError('this connection cannot bulk-load (no driver handle)');
  switch (native.engine) {
    case 'postgres':
      return (await import('../../dialects/postgres/bulk.js')).postgresWriter(native.client, namespace);
    case 'mysql':
      return (await import('../../dialects/mysql/bulk.js')).mysqlWriter(native.conn, namespace, debug);
    case 'pglite':
      return (await import('../../dialects/pglite/bulk.js')).pgliteWriter(native.db, namespace);
  }
}
