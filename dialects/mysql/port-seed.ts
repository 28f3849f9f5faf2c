/** MySQL's seed area of the engine port (src/port/seed.ts): the modules load on first use. */
import type { SeedPort } from '../../src/port/seed.js';

export const mysqlSeed: SeedPort = {
  // One per table, each streaming its table (load-stream.ts; without LOCAL INFILE they load chunks).
  loadConnections: (tables) => tables,
  async lock(r) {
    const { acquireMysqlLock } = await import('./lock.js');
    return acquireMysqlLock(r.url, r.namespace, r.timeoutMs, r.signal, r.onWait, { name: r.name });
  },
  // Lock waits are bounded on the session when it opens (lock-wait.ts).
  async writer(native, namespace, debug) {
    if (native.engine !== 'mysql') throw new Error(`a ${native.engine} driver handle given to the MySQL writer`);
    return (await import('./bulk.js')).mysqlWriter(native.conn, namespace, debug);
  },
};
