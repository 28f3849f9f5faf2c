/** Postgres's migration area of the engine port (src/port/migration.ts): the modules it needs load on first use. */
import type { MigrationPort } from '../../src/port/migration.js';
import { ident } from './quote.js';

export const postgresMigration: MigrationPort = {
  async bookkeeping() {
    const d = await import('./bookkeeping.js');
    return { shapes: d.BOOKKEEPING_SHAPES, sql: d.bookkeepingObjectsSql, kindOf: d.kindOf, columnType: (t) => t, markSql: d.markSql };
  },
  bookkeepingTable: (namespace, table) => `${ident(namespace)}.${ident(table)}`,
  workProbe: async () => (await import('./running-work.js')).postgresWorkProbe,
  dataCheck: async () => (await import('./data-check.js')).postgresProbeDialect,
};
