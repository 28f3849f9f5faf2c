/** Postgres's migration area of the engine port (src/port/migration.ts): the modules it needs load on first use. */
import type { MigrationPort } from '../../src/port/migration.js';
import { lockTablesSql, postgresLockWaits } from './lock-wait.js';
import { ident } from './quote.js';

export const postgresMigration: MigrationPort = {
  async bookkeeping() {
    const d = await import('./bookkeeping.js');
    return { shapes: d.BOOKKEEPING_SHAPES, query: (namespace, names) => ({ sql: d.bookkeepingObjectsSql(names.length), params: [namespace, ...names] }), kindOf: d.kindOf, columnType: (t) => t, markSql: d.markSql };
  },
  bookkeepingTable: (namespace, table) => `${ident(namespace)}.${ident(table)}`,
  workProbe: async () => (await import('./running-work.js')).postgresWorkProbe,
  async lock(r) {
    const { acquirePostgresLock } = await import('./lock.js');
    return acquirePostgresLock(r.url, r.namespace, r.timeoutMs, r.signal, r.onWait, {
      onProbe: (p) => r.debug(`pooler probe: ${p.evidence}${p.pooled ? ' (transaction pooler: the lock holds its transaction open; no statement is cancelled by pid)' : ''}`),
    });
  },
  // No lease on PostgreSQL: the advisory lock ends with its holder's session.
  forceLock: async (url, namespace) => ({ leaseCleared: null, heldBy: await (await import('./lock.js')).postgresLockHolder(url, namespace) }),
  lockWaits: postgresLockWaits,
  lockTablesSql,
  dataCheck: async () => (await import('./data-check.js')).postgresProbeDialect,
};
