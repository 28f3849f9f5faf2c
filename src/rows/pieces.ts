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

/** Node's own UTF-8 writer, without Buffer#write's argument checks (callers make room first). */
export type Utf8Buffer = Buffer & { utf8Write(s: string, offset: number): number };

/** Where cell writers put bytes: `ensure(n)` makes room for n more bytes at `pos` of `buf`. */
export interface ByteSink {
  buf: Buffer;
  pos: number;
  ensure(bytes: number): void;
}

/** Bytes written at `pos` of the current buffer; a full buffer becomes a piece. */
export class ByteBuffer implements EncodedRows, ByteSink {
  pieces: Buffer[] = [];
  rows = 0;
  /** The buffer being written (empty until the first write: idle tables cost nothing). */
  buf: Buffer = EMPTY;
  pos = 0;

  constructor(
    readonly format: RowFormat,
    private readonly alloc: Alloc = fresh,
  ) {}

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
