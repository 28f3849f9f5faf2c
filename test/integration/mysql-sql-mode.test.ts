/**
 * dbkit's own sql_mode in every MySQL/MariaDB session (issue 20; issue 19's
 * strict mode), on a MariaDB of this file's own (its GLOBAL sql_mode is
 * changed here, never the suite's shared server's):
 * - a server whose global mode has ANSI_QUOTES: `diff` of a migrated agents
 *   database says no drift (before: MariaDB printed the json_valid CHECKs
 *   with `"` quotes, and diff reported false differences, exit 1);
 * - a server whose global mode is not strict and that refuses LOAD DATA LOCAL
 *   (MySQL 8's default), so that `seed` falls back to INSERT: a value too long
 *   for a column narrowed by hand fails the seed (exit 5, nothing left)
 *   instead of being cut to fit;
 * - each kind of connection dbkit makes (the Knex pool of migrations, the
 *   driver sessions of status/diff/seed and of the lock) runs without
 *   ANSI_QUOTES and with STRICT_ALL_TABLES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { connect, openSession } from '../../src/db/connect.js';
import { dbkit, json } from '../support/cli.js';
import { adminExec, adminQuery, uniqueName, withDatabase } from '../support/databases.js';
import { startSystemMariadb, type Server } from '../support/servers.js';

let server: Server;

beforeAll(async () => {
  server = await startSystemMariadb();
}, 120_000);
afterAll(async () => {
  await server?.stop();
}, 60_000);

/** A new database on this file's server, under the global sql_mode `mode` (new sessions take it). */
async function databaseUnder(mode: string, prefix: string): Promise<string> {
  await adminExec(server.url, `SET GLOBAL sql_mode = '${mode}'`);
  const name = uniqueName(prefix);
  await adminExec(server.url, `CREATE DATABASE \`${name}\``);
  return withDatabase(server.url, name);
}

describe('dbkit sets its own sql_mode on every MySQL session', () => {
  it('a server-global ANSI_QUOTES: diff of a migrated agents database finds no drift', async () => {
    const url = await databaseUnder('ANSI_QUOTES,STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION', 'ansi');
    // The server's own sessions do quote with `"` (what dbkit used to read back).
    expect((await adminQuery<{ m: string }>(url, 'SELECT @@SESSION.sql_mode AS m'))[0]!.m).toContain('ANSI_QUOTES');
    const migrated = await dbkit(['migrate', '--url', url, '--schema', 'agents', '--quiet']);
    expect(migrated.code, migrated.stderr).toBe(0);
    const d = await dbkit(['diff', '--url', url, '--schema', 'agents', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(json<{ changes: unknown[] }>(d).changes).toEqual([]);
    const plain = await dbkit(['diff', '--url', url, '--schema', 'agents']);
    expect(plain.stdout).toContain('agents (mysql): no drift');
  }, 120_000);

  it('a server that is not strict: a value too long fails the seed instead of being cut', async () => {
    const url = await databaseUnder('', 'lax');
    await adminExec(server.url, 'SET GLOBAL local_infile = 0'); // INSERT, as on MySQL 8 by default
    try {
      expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
      // A column narrowed by hand: the seed's nicknames do not fit.
      await adminExec(url, "ALTER TABLE users MODIFY nickname varchar(3) COMMENT 'User nickname'");
      // The server itself would cut the value with a warning in this mode.
      await adminExec(url, "INSERT INTO users (username, email, password_hash, nickname) VALUES ('probe', 'p@x', 'h', 'too long')");
      expect(await adminQuery(url, 'SELECT nickname FROM users')).toEqual([{ nickname: 'too' }]);
      await adminExec(url, 'DELETE FROM users');

      const r = await dbkit(['seed', '--url', url, '--users', '3', '--seed', '1']);
      expect(r.code, r.stdout + r.stderr).toBe(5);
      expect(r.stderr).toMatch(/^dbkit: seeding failed: Data too long for column 'nickname' at row \d+ \(ER_DATA_TOO_LONG\); nothing was written\n$/);
      expect(await adminQuery(url, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
    } finally {
      await adminExec(server.url, 'SET GLOBAL local_infile = 1');
    }
  }, 120_000);

  it('the Knex pool, the driver session and the lock connection: no ANSI_QUOTES, STRICT_ALL_TABLES, the rest of the server mode kept', async () => {
    const url = await databaseUnder('ANSI,NO_BACKSLASH_ESCAPES,ONLY_FULL_GROUP_BY,ERROR_FOR_DIVISION_BY_ZERO', 'modes');
    const config = await loadConfig({ url }, {});
    const modes: string[] = [];
    const conn = await connect(config);
    try {
      // Two pooled connections at once: each made by the pool runs afterCreate.
      const [a, b] = await Promise.all([1, 2].map(() => conn.knex.transaction(async (trx) => (await trx.raw('SELECT @@SESSION.sql_mode AS m, SLEEP(0.2)'))[0][0].m as string)));
      modes.push(a!, b!);
    } finally {
      await conn.close();
    }
    const session = await openSession(config);
    try {
      modes.push((await session.sql.query<{ m: string }>('SELECT @@SESSION.sql_mode AS m'))[0]!.m);
    } finally {
      await session.close();
    }
    // (The lock connection is opened by the same function as the driver session: openMysqlConnection.)
    expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
    for (const m of modes) {
      const list = m.split(',');
      expect(list).not.toContain('ANSI_QUOTES');
      expect(list).not.toContain('ANSI');
      expect(list).not.toContain('NO_BACKSLASH_ESCAPES');
      expect(list).not.toContain('PIPES_AS_CONCAT');
      expect(list).toContain('STRICT_ALL_TABLES');
      expect(list).toEqual(expect.arrayContaining(['ONLY_FULL_GROUP_BY', 'ERROR_FOR_DIVISION_BY_ZERO', 'REAL_AS_FLOAT', 'IGNORE_SPACE']));
    }
    expect(modes).toHaveLength(3);
  }, 120_000);
});
