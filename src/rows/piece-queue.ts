/**
 * A readable stream fed piece by piece while a run is generated, for one
 * table's single streaming statement (COPY FROM STDIN, LOAD DATA LOCAL).
 * Pieces are copied in: a driver may hold on to a buffer after it has been
 * handed on (node-postgres queues socket writes), while the chunk's own
 * buffers go back to the generator to be written again. `push` waits while
 * more than QUEUE pieces are waiting (backpressure on the generator).
 */
import { Readable } from 'node:stream';

const QUEUE = 8;

export class PieceQueue {
  private readonly readable: Readable;
  private handedOut = false;
  private aborted = false;
  private readonly queue: Buffer[] = [];
  private ended = false;
  private wanting = false;
  private waiting: (() => void)[] = [];
  private failure: { error: unknown } | null = null;

  constructor() {
    this.readable = new Readable({ highWaterMark: 0, read: () => this.feed() });
    // An abort after the driver stopped listening must not become an unhandled 'error'.
    this.readable.on('error', () => undefined);
  }

  private feed(): void {
    this.wanting = false;
    const piece = this.queue.shift();
    this.wake();
    if (piece) this.readable.push(piece);
    else if (this.ended) this.readable.push(null);
    else this.wanting = true;
  }

  /** Queue copies of the pieces; waits while the queue is full. */
  async push(pieces: readonly Buffer[]): Promise<void> {
    for (const p of pieces) this.queue.push(Buffer.from(p));
    if (this.wanting) this.feed();
    while (this.queue.length > QUEUE && !this.failure) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure.error;
  }

  /** No more pieces: the stream ends once the queue is read. */
  end(): void {
    this.ended = true;
    if (this.wanting) this.feed();
  }

  /**
   * Give up: drop what is queued and end the stream with an error. A driver
   * waits for 'end' or 'error' before it finishes the statement (mysql2
   * then sends the empty packet that closes LOAD DATA LOCAL); a plain
   * destroy() would emit neither and leave the statement waiting forever.
   */
  abort(): void {
    this.aborted = true;
    this.queue.length = 0;
    this.fail(new Error('seed aborted'));
    if (this.handedOut && !this.readable.readableEnded && !this.readable.destroyed) this.readable.destroy(new Error('seed aborted'));
  }

  /**
   * The stream, for the driver's file request. Called after an abort (the
   * server asked late), it is a stream that fails as soon as it is read:
   * an error emitted before the driver listens would never reach it.
   */
  stream(): Readable {
    this.handedOut = true;
    if (!this.aborted) return this.readable;
    return new Readable({
      read() {
        this.destroy(new Error('seed aborted'));
      },
    });
  }

  /** The statement failed: wake a waiting push with the error. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.wake();
  }

  /** Every waiting push looks again. */
  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
