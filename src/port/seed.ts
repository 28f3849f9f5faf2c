/** The engine port's seed area: the seed lock and the bulk writer (dialects/<d>/port-seed.ts). */
import type { BulkWriter } from './bulk.js';
import type { Releasable } from './lock.js';
import type { NativeHandle } from './sql.js';

export interface SeedLockRequest {
  /** The URL to open the lock's own connection with. */
  url: string;
  /** The PostgreSQL schema or MySQL database being seeded. */
  namespace: string;
  /** The lock's key (an advisory-lock text key on PostgreSQL, a GET_LOCK name on MySQL). */
  name: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once if the lock is held by someone else: who (null when the server will not say). */
  onWait?(holder: string | null): void;
}

export interface SeedPort {
  /** Take the seed lock, or null when it stayed held for timeoutMs (or the signal fired). */
  lock(req: SeedLockRequest): Promise<Releasable | null>;
  /**
   * The bulk writer on an open session's driver handle. `lockTimeoutMs`
   * bounds each chunk's wait for another session's lock on a table.
   */
  writer(native: NativeHandle, namespace: string, debug: (t: string) => void, lockTimeoutMs?: number): Promise<BulkWriter>;
}
