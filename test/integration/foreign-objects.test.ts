/**
 * dbkit never drops, alters or empties an object it did not create (issue 11,
 * acceptance 2; issue 12): a foreign `users` table (empty, and with rows)
 * survives any number of `migrate` runs untouched, each refusing with exit 5
 * and a line naming it, before anything runs (no bookkeeping table either).
 * A foreign table further down the list is named with the migration that
 * would create it, not blamed on the first migration.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';

const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

const TABLES = {
  postgres: "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  mysql: 'SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
};
const COLUMNS = {
  postgres: "SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position",
  mysql: "SELECT column_name AS c, column_type AS t FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'users' ORDER BY ordinal_position",
};

describe.each([
  ['postgres', freshPostgres, 'agents', '20250101000100_create_users'],
  ['mysql', freshMysql, 'chat', '20250201000100_create_users'],
] as const)('%s: a users table dbkit did not create', (engine, fresh, schema, migration) => {
  it.each([
    ['empty', ''],
    ['with rows', "INSERT INTO users (id, name) VALUES (1, 'kept'), (2, 'also kept')"],
  ])('%s: survives three migrate runs untouched, each exiting 5 naming it', async (_what, rows) => {
    const db = await fresh('foreign');
    dbs.push(db);
    await adminExec(db.url, 'CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))');
    if (rows) await adminExec(db.url, rows);
    const before = {
      tables: await adminQuery(db.url, TABLES[engine]),
      columns: await adminQuery(db.url, COLUMNS[engine]),
      rows: await adminQuery(db.url, 'SELECT * FROM users ORDER BY id'),
    };
    for (let run = 0; run < 3; run++) {
      const r = await dbkit(['migrate', '--url', db.url, '--schema', schema]);
      expect(r.code, r.stderr).toBe(5);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('dbkit:'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`table users (${migration} would create it) already exists`);
      expect(lines[0]).toContain('dbkit did not create it; nothing was run');
    }
    expect(await adminQuery(db.url, TABLES[engine])).toEqual(before.tables);
    expect(await adminQuery(db.url, COLUMNS[engine])).toEqual(before.columns);
    expect(await adminQuery(db.url, 'SELECT * FROM users ORDER BY id')).toEqual(before.rows);
    // status reads, and says what is pending; it does not fail on the foreign table.
    expect((await dbkit(['status', '--url', db.url, '--schema', schema])).code).toBe(0);
  }, 120_000);
});

describe('postgres: a foreign non-empty messages table', () => {
  it('is named with create_messages, before create_users runs', async () => {
    const db = await freshPostgres('foreign_msgs');
    dbs.push(db);
    await adminExec(db.url, "CREATE TABLE messages (id INT, body TEXT); INSERT INTO messages VALUES (1, 'x')");
    const r = await dbkit(['migrate', '--url', db.url, '--schema', 'agents']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('table messages (20250101000400_create_messages would create it) already exists in public');
    expect(r.stderr).not.toContain('create_users');
    expect(await adminQuery(db.url, TABLES.postgres)).toEqual([{ t: 'messages' }]);
  }, 60_000);
});
