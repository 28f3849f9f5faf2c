/**
 * Ctrl-C during a seed that has committed rows (issue 20): the take-back
 * deletes exactly the run's rows, children before parents through each
 * table's path up to the run's users (src/seed/undo.ts), and nothing else:
 * an earlier run's users and rows, and a user someone else wrote, are left
 * as they were, value for value. On PostgreSQL and PGlite the deletes run
 * with the foreign keys' triggers off and are checked before they commit;
 * a row someone else wrote that points at the run's rows sends them back to
 * deleting with the triggers on (the schema's ON DELETE CASCADE then takes
 * that row too). MariaDB here refuses LOCAL INFILE (a throwaway server of
 * the test's own: a server-wide setting), so that rows commit chunk by
 * chunk and an interrupt has something to take back. How long it takes is
 * bench/seed-undo's business, not this test's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, dbkitSignalled } from '../support/cli.js';
import { adminQuery, dumpTables, freshPglite, freshPostgres, openAdmin, uniqueName, withDatabase, type FreshDatabase } from '../support/databases.js';
import { startSystemMariadb, type Server } from '../support/servers.js';

const TABLES = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];
const cleanups: (() => Promise<void>)[] = [];
let mariadb: Server | undefined;

beforeAll(async () => {
  mariadb = await startSystemMariadb();
  await adminQuery(mariadb.url, 'SET GLOBAL local_infile = 0');
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  await mariadb?.stop();
});

async function freshOwnMariadb(prefix: string): Promise<FreshDatabase> {
  const name = uniqueName(prefix);
  await adminQuery(mariadb!.url, `CREATE DATABASE \`${name}\``);
  return { url: withDatabase(mariadb!.url, name), name, drop: async () => void (await adminQuery(mariadb!.url, `DROP DATABASE IF EXISTS \`${name}\``)) };
}

async function dump(url: string): Promise<string> {
  const admin = await openAdmin(url);
  try {
    return await dumpTables(admin, TABLES);
  } finally {
    await admin.close();
  }
}

const ENGINES = [
  ['PostgreSQL', () => freshPostgres('seed_takeback')],
  ['MariaDB (no LOCAL INFILE)', () => freshOwnMariadb('seed_takeback')],
  ['PGlite', () => freshPglite('seed_takeback')],
] as const;

describe.concurrent.each(ENGINES)('%s: Ctrl-C after rows were committed', (engine, fresh) => {
  it('takes back exactly the run\'s rows: the earlier run\'s and someone else\'s stay, value for value', async () => {
    const db = await fresh();
    cleanups.push(db.drop);
    const on = ['--url', db.url, '--schema', 'agents'];
    expect((await dbkit(['migrate', ...on, '--quiet'])).code).toBe(0);
    const earlier = await dbkit(['seed', ...on, '--users', '12', '--seed', '1', '--quiet']);
    expect(earlier.code, earlier.stderr).toBe(0);
    // A user someone else wrote, with a session.
    await adminQuery(db.url, "INSERT INTO users (username, email, password_hash) VALUES ('app_user', 'app@example.com', 'x')");
    const [app] = await adminQuery<{ id: unknown }>(db.url, "SELECT id FROM users WHERE username = 'app_user'");
    await adminQuery(db.url, engine === 'MariaDB (no LOCAL INFILE)' ? 'INSERT INTO sessions (user_id, title) VALUES (?, ?)' : 'INSERT INTO sessions (user_id, title) VALUES ($1, $2)', [app!.id, 'kept']);
    const before = await dump(db.url);

    const r = await dbkitSignalled([...['seed', ...on], '--append', '--users', '4000', '--seed', '2', '--verbose'], 'SIGINT', /seed: rows of \d+ users committed/, 120_000);
    expect(r.signalled).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/\ndbkit: seed interrupted by SIGINT; the rows it had written were deleted\n/);
    if (engine !== 'MariaDB (no LOCAL INFILE)') expect(r.stderr).toMatch(/seed: took back the run's rows, triggers off, foreign keys checked/);
    expect(await dump(db.url)).toBe(before);
  }, 300_000);
});

describe('PostgreSQL: a row someone else wrote during the run points at one of its rows', () => {
  it('the triggers-off transaction is rolled back and the deletes run with the triggers on: the schema\'s cascade takes that row, nothing else changes', async () => {
    const db = await freshPostgres('seed_takeback_ref');
    cleanups.push(db.drop);
    const on = ['--url', db.url, '--schema', 'agents'];
    expect((await dbkit(['migrate', ...on, '--quiet'])).code).toBe(0);
    expect((await dbkit(['seed', ...on, '--users', '5', '--seed', '1', '--quiet'])).code).toBe(0);
    const before = await dump(db.url);
    const [earlierUser] = await adminQuery<{ id: string }>(db.url, 'SELECT id FROM users ORDER BY username LIMIT 1');
    let pointed = false;
    // Once the run has committed rows: a gallery entry of an earlier user that points at one of the run's runs.
    const r = await dbkitSignalled([...['seed', ...on], '--append', '--users', '4000', '--seed', '2', '--verbose'], 'SIGINT', async () => {
      if (pointed) return true;
      const [count] = await adminQuery<{ n: string }>(db.url, 'SELECT count(*) AS n FROM users');
      if (Number(count!.n) <= 5) return false;
      // The run's keys sort after the earlier run's (version-7 UUIDs, later days for --append).
      const [run] = await adminQuery<{ id: string }>(db.url, 'SELECT id FROM runs ORDER BY id DESC LIMIT 1');
      await adminQuery(db.url, 'INSERT INTO gallery (user_id, run_id, title) VALUES ($1, $2, $3)', [earlierUser!.id, run!.id, 'points at the run']);
      pointed = true;
      return true;
    }, 120_000);
    expect(pointed).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/rows written by someone else point at rows of this run \(gallery\.run_id -> runs\): deleting again with the foreign keys' triggers on/);
    expect(r.stderr).toMatch(/\ndbkit: seed interrupted by SIGINT; the rows it had written were deleted\n/);
    expect(await dump(db.url)).toBe(before);
  }, 300_000);
});

describe('PostgreSQL: a role that may not switch triggers off (it owns the tables it migrated)', () => {
  it('deletes with the triggers on, compacts gallery before its runs go (no index on gallery.run_id), and takes back exactly the run\'s rows', async () => {
    const db = await freshPostgres('seed_takeback_role');
    cleanups.push(db.drop);
    const role = `${db.name}_seeder`.slice(0, 63);
    await adminQuery(db.url, `CREATE ROLE "${role}" LOGIN PASSWORD 'Seeder-Pw-2291'`);
    cleanups.push(async () => void (await adminQuery(new URL('/postgres', db.url).toString(), `DROP ROLE IF EXISTS "${role}"`)));
    await adminQuery(db.url, `GRANT CONNECT, CREATE ON DATABASE "${db.name}" TO "${role}"`);
    await adminQuery(db.url, `GRANT USAGE, CREATE ON SCHEMA public TO "${role}"`);
    const u = new URL(db.url);
    u.username = role;
    u.password = 'Seeder-Pw-2291';
    const on = ['--url', u.toString(), '--schema', 'agents'];
    const m = await dbkit(['migrate', ...on, '--quiet']);
    expect(m.code, m.stderr).toBe(0);
    expect((await dbkit(['seed', ...on, '--users', '8', '--seed', '1', '--quiet'])).code).toBe(0);
    const before = await dump(db.url);
    const r = await dbkitSignalled(['seed', ...on, '--append', '--users', '4000', '--seed', '2', '--verbose'], 'SIGINT', /seed: rows of \d+ users committed/, 120_000);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).not.toMatch(/SET LOCAL session_replication_role/);
    expect(r.stderr).toMatch(/sql: VACUUM \(SKIP_LOCKED\) "public"\."gallery"\n(.*\n)*sql: DELETE FROM "public"\."runs"/);
    expect(r.stderr).toMatch(/seed: took back the run's rows \(\d+ ms\)/);
    expect(r.stderr).toMatch(/\ndbkit: seed interrupted by SIGINT; the rows it had written were deleted\n/);
    expect(await dump(db.url)).toBe(before);
  }, 300_000);
});
