/**
 * Where generated rows go: byte buffers of PIECE_SIZE, outside the
 * JavaScript heap, in the format the engine's bulk loader reads. A chunk
 * costs the garbage collector nothing once encoded, and its buffers cross to
 * the loading thread without a copy (and come back to be reused).
 */

export const PIECE_SIZE = 256 * 1024;

/**
 * How rows are encoded: `text` is the tab-separated form that PostgreSQL's
 * COPY and MySQL's LOAD DATA both read; `binary` is PostgreSQL's binary COPY
 * format (dialects/postgres/copy-binary.ts).
 */
export type RowFormat = 'text' | 'binary';

/** One table's rows of a chunk, encoded. */
export interface EncodedRows {
  format: RowFormat;
  /** Consecutive pieces of the data; a row may span two pieces. */
  pieces: Buffer[];
  rows: number;
}

/** Hands out buffers of at least the size asked (a recycling pool, or fresh ones). */
export type Alloc = (bytes: number) => Buffer;

const fresh: Alloc = (bytes) => Buffer.allocUnsafeSlow(bytes);
const EMPTY = Buffer.alloc(0);

/** Bytes written at `pos` of the current buffer; a full buffer becomes a piece. */
export class ByteBuffer implements EncodedRows {
  readonly format: RowFormat = 'binary';
  pieces: Buffer[] = [];
  rows = 0;
  /** The buffer being written (empty until the first write: idle tables cost nothing). */
  buf: Buffer = EMPTY;
  pos = 0;

  constructor(private readonly alloc: Alloc = fresh) {}

  /** Make room for `bytes` more bytes at `pos` (in a new buffer when this one is short). */
  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos) this.pieces.push(this.buf.subarray(0, this.pos));
    this.buf = this.alloc(Math.max(PIECE_SIZE, bytes));
    this.pos = 0;
  }

  /** Close the last piece; returns this. */
  flush(): this {
    if (this.pos) this.pieces.push(this.buf.subarray(0, this.pos));
    this.buf = EMPTY;
    this.pos = 0;
    return this;
  }
}

const WINDOW = 16 * 1024;

/**
 * Text rows in UTF-8. Lines are gathered into a string and copied 16 K
 * characters at a time (one call, short-lived strings), not one call per
 * line.
 */
export class TextBuffer implements EncodedRows {
  readonly format: RowFormat = 'text';
  private readonly bytes: ByteBuffer;
  private pending = '';

  constructor(alloc: Alloc = fresh) {
    this.bytes = new ByteBuffer(alloc);
  }

  get pieces(): Buffer[] {
    return this.bytes.pieces;
  }

  get rows(): number {
    return this.bytes.rows;
  }

  /** One row's text (cells escaped and tab-separated), without its line end. */
  line(s: string): void {
    this.pending += s + '\n';
    this.bytes.rows++;
    if (this.pending.length >= WINDOW) this.copy();
  }

  private copy(): void {
    const s = this.pending;
    this.pending = '';
    this.bytes.ensure(s.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
    this.bytes.pos += this.bytes.buf.write(s, this.bytes.pos);
  }

  /** Close the last piece; returns this. */
  flush(): this {
    if (this.pending) this.copy();
    this.bytes.flush();
    return this;
  }
}
