/** Postgres's connect area of the engine port (src/port/connect.ts): the driver modules load when a connection opens. */
import type { ConnectPort } from '../../src/port/connect.js';
import { postgresExecOn } from './raw-exec.js';

export const postgresConnect: ConnectPort = {
  embedded: false,
  openSql: async (req) => (await import('./connect.js')).openPostgresSql(req),
  openKnex: async (req, base) => (await import('./connect.js')).openPostgresKnex(req, base),
  execOn: postgresExecOn,
  knexRows: (result) => (result as { rows: unknown[] }).rows,
  namespaceOf: async (sql, configured) => (await import('./connect.js')).postgresNamespace(sql, configured),
  async poolerProbe(url) {
    const { openClient } = await import('./lock.js');
    const { probePooler } = await import('./pooler.js');
    const a = await openClient(url);
    try {
      return await probePooler(a, () => openClient(url));
    } finally {
      await a.end().catch(() => undefined);
    }
  },
};
