/**
 * dbkit wait [--timeout S]: until the database accepts connections and
 * answers a query, for pipelines that start the database and the migration
 * together. Exit 0 when it does, 3 when the timeout passes first. A wrong
 * password or a missing database fails at once: waiting would not fix them.
 */
import { ConnectError, UsageError } from '../cli/errors.js';
import { withInterrupts } from '../cli/interrupt.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import { openSession } from '../db/connect.js';
import { renderWait } from '../render/wait.js';
import { configFor } from './shared.js';

export interface WaitOptions {
  timeout?: string;
}

const RETRY_MS = 500;
export const DEFAULT_WAIT_S = 60;

/** Server answers that no amount of waiting changes: authentication failed, no such database. */
const PERMANENT = new Set(['28P01', '28000', '3D000', 'ER_ACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_DBACCESS_DENIED_ERROR']);

const codeOf = (err: unknown): string | undefined => ((err as { cause?: { code?: string } }).cause ?? {}).code;

function timeoutSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT_S;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--timeout must be a number of seconds, got "${value}"`);
  return n;
}

export async function waitCommand(opts: WaitOptions, globals: GlobalOptions, io: Io): Promise<number> {
  const timeout = timeoutSeconds(opts.timeout);
  const config = await configFor(globals, io);
  const started = Date.now();
  const deadline = started + timeout * 1000;
  return withInterrupts('wait', async (signal) => {
    for (let attempts = 1; ; attempts++) {
      try {
        const session = await openSession(config, (t) => io.debug(t));
        try {
          await session.sql.query('SELECT 1');
        } finally {
          await session.close();
        }
        const seconds = (Date.now() - started) / 1000;
        if (io.json) io.emitJson({ url: config.target.display, engine: config.target.engine, ready: true, seconds, attempts });
        else io.out(renderWait(config.target.display, seconds, attempts));
        return 0;
      } catch (err) {
        if (!(err instanceof ConnectError) || PERMANENT.has(codeOf(err) ?? '')) throw err;
        io.debug(`attempt ${attempts}: ${err.message}`);
        if (Date.now() >= deadline) {
          throw new ConnectError(`${config.target.display} did not accept connections within ${timeout}s (${attempts} attempts); last: ${err.message}`, {
            cause: err,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(RETRY_MS, deadline - Date.now()))));
        if (signal.aborted) throw signal.reason;
      }
    }
  });
}
