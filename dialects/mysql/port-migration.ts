/** MySQL's migration area of the engine port (src/port/migration.ts): the modules it needs load on first use. */
import type { MigrationPort } from '../../src/port/migration.js';
import { ident } from './quote.js';

export const mysqlMigration: MigrationPort = {
  async bookkeeping() {
    const d = await import('./bookkeeping.js');
    return { shapes: d.BOOKKEEPING_SHAPES, sql: d.bookkeepingObjectsSql, kindOf: d.kindOf, columnType: d.columnType, markSql: d.markSql };
  },
  // The session is in its database: the table's own name.
  bookkeepingTable: (_namespace, table) => ident(table),
  workProbe: async () => (await import('./running-work.js')).mysqlWorkProbe,
  dataCheck: async () => (await import('./data-check.js')).mysqlProbeDialect,
};
