/** MySQL's connect area of the engine port (src/port/connect.ts): the driver modules load when a connection opens. */
import type { ConnectPort } from '../../src/port/connect.js';
import { mysqlExecOn } from './raw-exec.js';

export const mysqlConnect: ConnectPort = {
  embedded: false,
  openSql: async (req) => (await import('./connect.js')).openMysqlSql(req),
  openKnex: async (req, base) => (await import('./connect.js')).openMysqlKnex(req, base),
  // mysql2 answers raw() with [rows, fields].
  execOn: mysqlExecOn,
  knexRows: (result) => (result as [unknown[]])[0],
  namespaceOf: async (sql, configured) => (await import('./connect.js')).mysqlNamespace(sql, configured),
};
