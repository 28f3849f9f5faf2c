/**
 * The fleet's scheduler: at most `concurrency` targets at a time, the canary
 * targets first (if one of them fails, nothing else starts), and after a
 * failure either no new target (`stop`) or the rest as planned
 * (`continue`). An aborted signal (Ctrl-C) starts nothing new; what runs
 * goes on to its own end (each target stops cleanly on the signal itself).
 * No I/O of its own: `run` does the work and must not throw.
 */

export type OnError = 'stop' | 'continue';

export interface PoolOptions {
  concurrency: number;
  /** Names run first, before any other; a failure among them starts nothing else. */
  canary: ReadonlySet<string>;
  onError: OnError;
  /** Aborted: start nothing new. */
  signal?: AbortSignal;
}

export interface PoolHooks<R> {
  onStart?(name: string): void;
  onFinish?(name: string, result: R): void;
}

export type StoppedBy = 'canary' | 'error' | 'interrupt' | null;

export interface PoolResult<R> {
  /** Results by name, for the targets that ran. */
  results: Map<string, R>;
  /** Names that never started, in the order given. */
  notStarted: string[];
  /** Why some never started. */
  stoppedBy: StoppedBy;
}

export async function runPool<R>(
  names: readonly string[],
  run: (name: string) => Promise<R>,
  failed: (result: R) => boolean,
  opts: PoolOptions,
  hooks: PoolHooks<R> = {},
): Promise<PoolResult<R>> {
  const results = new Map<string, R>();
  let stoppedBy: StoppedBy = null;
  const stop = (why: Exclude<StoppedBy, null>) => {
    stoppedBy ??= why;
  };
  const interrupted = () => {
    if (opts.signal?.aborted) stop('interrupt');
    return stoppedBy !== null;
  };

  const phase = async (queue: string[], failureStops: 'canary' | 'error' | null) => {
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        if (interrupted()) {
          queue.unshift(name);
          return;
        }
        hooks.onStart?.(name);
        const result = await run(name);
        results.set(name, result);
        hooks.onFinish?.(name, result);
        if (failureStops && failed(result)) stop(failureStops);
      }
    };
    const width = Math.max(1, Math.min(opts.concurrency, queue.length));
    await Promise.all(Array.from({ length: width }, worker));
  };

  const canary = names.filter((n) => opts.canary.has(n));
  const rest = names.filter((n) => !opts.canary.has(n));
  await phase(canary, 'canary');
  if (!interrupted()) await phase(rest, opts.onError === 'stop' ? 'error' : null);
  interrupted();
  return { results, notStarted: names.filter((n) => !results.has(n)), stoppedBy };
}
