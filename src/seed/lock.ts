/**
 * The seed lock: one `dbkit seed` at a time per namespace. Taken before the
 * schema is checked for rows and held until the run has committed or taken
 * back what it wrote, so a second seed either waits (up to --lock-timeout)
 * and then sees the first one's rows, or gives up with exit 4 naming the
 * holder. The engine's lock comes through a function that can be swapped
 * (a lease where the server's own locks do not span a cluster):
 * - PostgreSQL: a session-level advisory lock on a connection of its own,
 *   keyed on `dbkit_seed:<namespace>` (the migration lock's key is the
 *   namespace alone);
 * - MySQL/MariaDB: GET_LOCK(`dbkit_seed:<database>`) on a connection of its own;
 * - PGlite: nothing more to take: the lock file taken when the database was
 *   opened keeps every other process out for the whole run.
 * The server drops the first two when the process dies: a killed seed never
 * leaves a stale lock.
 */
import { LockError } from '../shared/errors.js';
import type { Engine, Target } from '../config/url.js';
import type { Releasable } from '../port/lock.js';
import type { SeedLockRequest } from '../port/seed.js';
import { engineFor } from '../engines/index.js';

export type EngineLockRequest = Omit<SeedLockRequest, 'name'>;

/** Take the seed lock of a namespace, or null when it stayed held for timeoutMs (or the signal fired). */
export type EngineLock = (req: EngineLockRequest) => Promise<Releasable | null>;

/** The key of a namespace's seed lock (an advisory-lock text key on PostgreSQL, a GET_LOCK name on MySQL, at most 64 characters). */
export const seedLockName = (namespace: string): string => `dbkit_seed:${namespace}`.slice(0, 64);

/** The engine's own seed lock (src/port/seed.ts). */
const portLock = (engine: Engine): EngineLock => (r) => engineFor(engine).seed.lock({ ...r, name: seedLockName(r.namespace) });

const defaultLocks: Record<Engine, EngineLock> = { postgres: portLock('postgres'), mysql: portLock('mysql'), pglite: portLock('pglite') };

const engineLocks: Record<Engine, EngineLock> = { ...defaultLocks };

/** Swap the engine lock `seed` takes (e.g. a lease row on a Galera cluster); returns the previous one. */
export function useSeedEngineLock(engine: Engine, lock: EngineLock): EngineLock {
  const previous = engineLocks[engine];
  engineLocks[engine] = lock;
  return previous;
}

export interface SeedLockOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told once when another run holds the lock and this one starts waiting. */
  onWait?(text: string): void;
}

/**
 * Take the seed lock of `namespace` on `target`; throws LockError (exit 4)
 * naming the holder when it is not free within timeoutMs, and the signal's
 * reason when interrupted while waiting.
 */
export async function acquireSeedLock(target: Target, namespace: string, opts: SeedLockOptions): Promise<Releasable> {
  let heldBy: string | null = null;
  const onWait = (holder: string | null) => {
    heldBy = holder;
    opts.onWait?.(`waiting up to ${opts.timeoutMs / 1000}s for the seed lock of ${namespace}, held by ${holder ?? 'another session'}`);
  };
  if (opts.signal?.aborted) throw opts.signal.reason;
  const lock = await engineLocks[target.engine]({ url: target.url, namespace, timeoutMs: opts.timeoutMs, signal: opts.signal, onWait });
  if (opts.signal?.aborted) {
    await lock?.release();
    throw opts.signal.reason;
  }
  if (!lock) {
    throw new LockError(
      `another dbkit seed is writing to ${namespace} on ${target.display}${heldBy ? ` (seed lock held by ${heldBy})` : ''}; ` +
        `gave up after ${opts.timeoutMs / 1000}s (--lock-timeout)`,
    );
  }
  return lock;
}
