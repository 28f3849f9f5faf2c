/** MySQL's migration area of the engine port (src/port/migration.ts): the modules it needs load on first use. */
import type { MigrationPort } from '../../src/port/migration.js';
import { mysqlLockWaits } from './lock-wait.js';
import { ident } from './quote.js';

export const mysqlMigration: MigrationPort = {
  async bookkeeping() {
    const d = await import('./bookkeeping.js');
    return { shapes: d.BOOKKEEPING_SHAPES, query: (namespace, names) => ({ sql: d.bookkeepingObjectsSql(names.length), params: [namespace, ...names, namespace, ...names] }), kindOf: d.kindOf, columnType: d.columnType, markSql: d.markSql };
  },
  // The session is in its database: the table's own name.
  bookkeepingTable: (_namespace, table) => ident(table),
  workProbe: async () => (await import('./running-work.js')).mysqlWorkProbe,
  async lock(r) {
    const { acquireMysqlLock } = await import('./lock.js');
    return acquireMysqlLock(r.url, r.namespace, r.timeoutMs, r.signal, r.onWait, {
      leaseTtlMs: r.leaseTtlMs,
      display: r.display,
      onGalera: (g) => r.debug(`Galera node ${g.nodeName || '?'}: ${g.state}, ${g.status} component of ${g.clusterSize}, ${g.osuMethod}; taking the lease`),
    });
  },
  async forceLock(url, namespace) {
    const { clearMysqlLease, mysqlLockHolder } = await import('./lock.js');
    const now = await mysqlLockHolder(url, namespace);
    if (now.lease) return { leaseCleared: await clearMysqlLease(url, namespace), heldBy: null };
    return { leaseCleared: null, heldBy: now.holder };
  },
  lockWaits: mysqlLockWaits,
  onlineRunner: async (target) => (await import('./online-runner.js')).ptOscRunner(target),
  dataCheck: async () => (await import('./data-check.js')).mysqlProbeDialect,
};
