/**
 * SIGINT (Ctrl-C) and SIGTERM during long work: instead of dying mid-write,
 * the work sees an aborted signal, stops at its next safe point, rolls back
 * and releases what it holds; the entry point then exits 130. A second
 * signal while stopping exits at once (the database's own rollback of a
 * dropped connection still applies).
 */
import { InterruptedError } from './errors.js';

export async function withInterrupts<T>(what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new InterruptedError(`${what} interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
