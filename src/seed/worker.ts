/**
 * The seeding worker thread: generates chunks (src/seed/generate.ts) and
 * posts them to the loading thread, their bytes transferred, not copied.
 * It stays at most AHEAD chunks in front of the loaders (the main thread
 * sends a credit for each chunk it takes), and the loading thread sends the
 * buffers of loaded chunks back to be written again: memory stays bounded
 * and flat however many users are seeded.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PIECE_SIZE } from '../rows/pieces.js';
import { generateChunks, type GenerateSpec } from './generate.js';

/** Chunks generated ahead of the loaders: one keeps them busy (the server is the slower side), more only holds memory. */
export const AHEAD = 1;

async function main(): Promise<void> {
  const port = parentPort!;
  let credits = AHEAD;
  let wake: (() => void) | null = null;
  const free: ArrayBuffer[] = [];
  port.on('message', (m: { credit?: true; recycle?: ArrayBuffer[] }) => {
    if (m.recycle) free.push(...m.recycle.filter((b) => b.byteLength === PIECE_SIZE));
    if (m.credit) {
      credits++;
      wake?.();
    }
  });
  const alloc = (bytes: number): Buffer => (bytes <= PIECE_SIZE && free.length ? Buffer.from(free.pop()!) : Buffer.allocUnsafeSlow(Math.max(bytes, PIECE_SIZE)));
  for await (const chunk of generateChunks(workerData as GenerateSpec, alloc)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const transfer = chunk.tables.flatMap((t) => t.data.pieces.map((p) => p.buffer as ArrayBuffer));
    port.postMessage({ chunk }, transfer);
  }
  port.postMessage({ done: true });
}

main().catch((err: unknown) => {
  // Errors are sent as text: not every error survives the structured clone of an 'error' event.
  parentPort!.postMessage({ failed: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
