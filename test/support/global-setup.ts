/**
 * Vitest globalSetup: ONE throwaway PostgreSQL and ONE throwaway MariaDB
 * server for the whole run (test/support/servers.ts); teardown stops them
 * and deletes their data. The admin URLs reach tests through
 * `inject('dbkitPgUrl' | 'dbkitMysqlUrl')` and through process.env (so CLI
 * child processes can be given them).
 */
import type { TestProject } from 'vitest/node';
import { MYSQL_URL_ENV, PG_URL_ENV, startTestServers } from './servers.js';

export { MYSQL_URL_ENV, PG_URL_ENV, TEST_PASSWORD } from './servers.js';

/** Values handed to tests via `inject()`. */
export interface DbkitProvidedContext {
  /** Admin URL of the PostgreSQL test server (database `postgres`), password included. */
  dbkitPgUrl: string;
  /** Admin URL (no database) of the MariaDB/MySQL test server, password included. */
  dbkitMysqlUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext extends DbkitProvidedContext {}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { pg, mysql, teardown } = await startTestServers();
  process.env[PG_URL_ENV] = pg.url;
  process.env[MYSQL_URL_ENV] = mysql.url;
  project.provide('dbkitPgUrl', pg.url);
  project.provide('dbkitMysqlUrl', mysql.url);
  return teardown;
}
