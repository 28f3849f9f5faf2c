/** Postgres's seed area of the engine port (src/port/seed.ts): the modules load on first use. */
import type { SeedPort } from '../../src/port/seed.js';

import { availableParallelism } from 'node:os';

export const postgresSeed: SeedPort = {
  // Chunks over three or four connections (streaming per table measured slower here).
  loadConnections: () => Math.min(4, Math.max(3, availableParallelism())),
  async lock(r) {
    const { acquirePostgresLock } = await import('./lock.js');
    return acquirePostgresLock(r.url, r.name, r.timeoutMs, r.signal, r.onWait);
  },
  async writer(native, namespace, _debug, lockTimeoutMs) {
    if (native.engine !== 'postgres') throw new Error(`a ${native.engine} driver handle given to the PostgreSQL writer`);
    return (await import('./bulk.js')).postgresWriter(native.client, namespace, lockTimeoutMs);
  },
};
