/** PGlite's seed area of the engine port (src/port/seed.ts). */
import type { SeedPort } from '../../src/port/seed.js';

export const pgliteSeed: SeedPort = {
  // Its one.
  loadConnections: () => 1,
  // The lock file taken when the database was opened keeps every other process out for the whole run.
  lock: async () => ({ release: async () => undefined }),
  // No other session: nothing to bound.
  async writer(native, namespace) {
    if (native.engine !== 'pglite') throw new Error(`a ${native.engine} driver handle given to the PGlite writer`);
    return (await import('./bulk.js')).pgliteWriter(native.db, namespace);
  },
};
