/** Postgres's seed area of the engine port (src/port/seed.ts): the modules load on first use. */
import type { SeedPort } from '../../src/port/seed.js';

export const postgresSeed: SeedPort = {
  async lock(r) {
    const { acquirePostgresLock } = await import('./lock.js');
    return acquirePostgresLock(r.url, r.name, r.timeoutMs, r.signal, r.onWait);
  },
  async writer(native, namespace, _debug, lockTimeoutMs) {
    if (native.engine !== 'postgres') throw new Error(`a ${native.engine} driver handle given to the PostgreSQL writer`);
    return (await import('./bulk.js')).postgresWriter(native.client, namespace, lockTimeoutMs);
  },
};
