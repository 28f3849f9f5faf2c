/**
 * dbkit wait [--timeout S]: until the database accepts connections and
 * answers a query, for pipelines that start the database and the migration
 * together. Exit 0 when it does, 3 when the timeout passes first. A wrong
 * password or a missing database fails at once: waiting would not fix them.
 */
import { ConnectError, UsageError } from '../shared/errors.js';
import { withInterrupts } from '../shared/interrupt.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { readSeconds, SECONDS_FORMAT } from '../config/seconds.js';
import { pingDatabase } from '../db/connect.js';
import { renderWait } from '../render/wait.js';
import { configFor } from './shared.js';

export interface WaitOptions {
  timeout?: string;
}

const RETRY_MS = 500;
export const DEFAULT_WAIT_S = 60;

/** Answers that no amount of waiting changes: authentication failed, no such database, TLS required but not offered or not trusted. */
const PERMANENT = new Set([
  ...['28P01', '28000', '3D000', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR'],
  ...['DBKIT_NO_TLS', 'HANDSHAKE_NO_SSL_SUPPORT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED'],
]);

const codeOf = (err: unknown): string | undefined => ((err as { cause?: { code?: string } }).cause ?? {}).code;

function timeoutSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_S;
  const n = readSeconds(value);
  if (n === null) throw new UsageError(`--timeout must be a number of seconds (${SECONDS_FORMAT}), got "${value}"`);
  return n;
}

export async function waitCommand(opts: WaitOptions, globals: GlobalOptions, io: Io): Promise<number> {
  const timeout = timeoutSeconds(opts.timeout);
  const config = await configFor(globals, io);
  const started = Date.now();
  const deadline = started + timeout * 1000;
  return withInterrupts('wait', async (signal) => {
    const aborted = new Promise<'abort'>((resolve) => signal.addEventListener('abort', () => resolve('abort'), { once: true }));
    for (let attempts = 1; ; attempts++) {
      const attempt = pingDatabase(config, (t) => io.debug(t));
      attempt.catch(() => undefined);
      // An attempt may hang up to the connect timeout: neither --timeout nor Ctrl-C waits for it.
      const outcome = await Promise.race([attempt.then(() => 'ok' as const), sleepFor(deadline - Date.now()), aborted]).catch((err: unknown) => err);
      if (outcome === 'abort') throw signal.reason;
      if (outcome === 'ok') {
        const seconds = (Date.now() - started) / 1000;
        if (io.json) io.emitJson({ url: config.target.display, engine: config.target.engine, ready: true, seconds, attempts });
        else io.out(renderWait(config.target.display, seconds, attempts));
        return 0;
      }
      if (outcome === 'timeout') throw timedOut(config.target.display, timeout, attempts, 'the last attempt was still connecting');
      const err = outcome;
      if (!(err instanceof ConnectError) || PERMANENT.has(codeOf(err) ?? '')) throw err;
      io.debug(`attempt ${attempts}: ${err.message}`);
      if (Date.now() >= deadline) throw timedOut(config.target.display, timeout, attempts, err.message, err);
      if ((await Promise.race([sleepFor(Math.min(RETRY_MS, deadline - Date.now())), aborted])) === 'abort') throw signal.reason;
    }
  });
}

/** Node's timers hold at most 2^31-1 ms (24.8 days): a longer wait is slept in pieces, not fired at once with a TimeoutOverflowWarning. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const sleepFor = (ms: number): Promise<'timeout'> =>
  ms > MAX_TIMER_MS
    ? new Promise((resolve) => setTimeout(() => resolve(sleepFor(ms - MAX_TIMER_MS)), MAX_TIMER_MS))
    : new Promise((resolve) => setTimeout(() => resolve('timeout'), Math.max(0, ms)));

const timedOut = (display: string, timeout: number, attempts: number, last: string, cause?: unknown) =>
  new ConnectError(`${display} did not accept connections within ${timeout}s (${attempts} attempt${attempts === 1 ? '' : 's'}); last: ${last}`, { cause });
