/** PGlite's connect area of the engine port (src/port/connect.ts): the embedded database, opened in this process with its lock file held. */
import type { ConnectPort } from '../../src/port/connect.js';
import { postgresConnect } from '../postgres/port-connect.js';

export const pgliteConnect: ConnectPort = {
  embedded: true,
  openSql: async (req, opts) => (await import('./embedded.js')).openEmbedded(req, opts),
  async openKnex(req, base, sql) {
    if (!sql) throw new Error('Knex on the embedded database opens on the database openSql opened');
    return (await import('./embedded.js')).embeddedKnex(sql, req, base);
  },
  // knex-pglite's connection answers as node-postgres does.
  execOn: postgresConnect.execOn,
  knexRows: postgresConnect.knexRows,
  namespaceOf: postgresConnect.namespaceOf,
  // In-process: no pooler can sit in between.
};
