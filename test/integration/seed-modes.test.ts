/**
 * `dbkit seed` refusals and modes on real engines: a non-empty schema, a
 * production marker, no terminal to confirm on, an unmigrated schema;
 * --append; a failure or Ctrl-C mid-load undoing what the run wrote; MySQL
 * without LOCAL INFILE falling back to multi-row INSERTs with the same rows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { bin, dbkit, dbkitSignalled, json } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, mysqlAdminUrl, tableCounts, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});
const tmp = tempDirs('dbkit-seed-');

async function migrated(fresh: (p: string) => Promise<FreshDatabase>, prefix: string, schema?: string): Promise<FreshDatabase> {
  const db = await fresh(prefix);
  cleanups.push(db.drop);
  expect((await dbkit(['migrate', '--url', db.url, '--quiet', ...(schema ? ['--schema', schema] : [])])).code).toBe(0);
  return db;
}

const AGENTS = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];
const CHAT = ['users', 'conversations', 'messages', 'api_calls'];

describe('seed refusals', () => {
  it('refuses a non-empty schema, --truncate without a terminal or --yes, production, an unmigrated schema; none of them changes a row', async () => {
    const db = await migrated(freshPostgres, 'seed_refuse');
    const seeded = await dbkit(['seed', '--url', db.url, '--users', '3', '--seed', '1', '--json']);
    expect(seeded.code).toBe(0);
    const before = await tableCounts(db.url, AGENTS);

    const again = await dbkit(['seed', '--url', db.url, '--users', '3']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^dbkit: .*already holds agents data \(users, sessions.*pass --truncate .* or --append/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);

    const unconfirmed = await dbkit(['seed', '--url', db.url, '--users', '3', '--truncate', '--json']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes to confirm (no terminal to ask on)');
    expect(json<{ error: { exitCode: number } }>(unconfirmed).error.exitCode).toBe(2);

    const both = await dbkit(['seed', '--url', db.url, '--truncate', '--append']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either --truncate or --append');

    const prod = await dbkit(['seed', '--url', db.url, '--append'], { env: { DBKIT_ENV: 'production' } });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toMatch(/marked production .* pass --force/);
    expect(prod.stderr).not.toContain('dbkit-test-pw');

    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ url: db.url, env: 'production' }));
    const prodFile = await dbkit(['seed', '--append', '--users', '2'], { cwd: dir });
    expect(prodFile.code).toBe(2);
    expect(prodFile.stderr).toContain('marked production');

    expect(await tableCounts(db.url, AGENTS)).toEqual(before);

    const forced = await dbkit(['seed', '--append', '--users', '2', '--force', '--json'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(json<{ tables: Record<string, number> }>(forced).tables.users).toBe(2);

    const bare = await freshPostgres('seed_bare');
    cleanups.push(bare.drop);
    const unmigrated = await dbkit(['seed', '--url', bare.url]);
    expect(unmigrated.code).toBe(2);
    expect(unmigrated.stderr).toMatch(/agents is not migrated in public \(missing users, .*\): run dbkit migrate first/);
  }, 90_000);
});

describe('seed settings and output', () => {
  it('takes the user count and per-parent counts from the config file', async () => {
    const db = await migrated(freshPostgres, 'seed_config');
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ url: db.url, seed: { users: 6, agents: { sessionsPerUser: 1, runsPerSession: 1, messagesPerRun: 2 } } }));
    const r = await dbkit(['seed', '--seed', '5', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const { tables } = json<{ tables: Record<string, number> }>(r);
    expect(tables.users).toBe(6);
    expect(tables.sessions).toBeLessThanOrEqual(12); // about 1 a user, never 5
    expect(tables.runs).toBeLessThanOrEqual(tables.sessions! * 2);
    expect(tables.messages).toBeLessThanOrEqual(tables.runs! * 3);
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ url: db.url, seed: { agents: { turnsPerRun: 3 } } }));
    const bad = await dbkit(['seed', '--truncate', '--yes'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown seed count "agents.turnsPerRun" (known: sessionsPerUser, runsPerSession');
  }, 60_000);

  it('generates in the bundled worker thread (dist/cli/seed-worker.cjs), not on the loading thread', async () => {
    const db = await migrated(freshPostgres, 'seed_worker', 'agents');
    const r = await dbkit(['seed', '--url', db.url, '--schema', 'agents', '--users', '2', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('seed: generating in a worker thread (seed-worker.cjs)');
  }, 30_000);

  it('draws a progress bar with rows per second on a terminal, and none with --json', async () => {
    const db = await migrated(freshPostgres, 'seed_tty');
    // util-linux `script` gives the command a real pseudo-terminal.
    const onTty = (args: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn('script', ['-qec', `${process.execPath} ${bin} seed --url '${db.url}' ${args}`, '/dev/null'], { env: { ...process.env, NO_COLOR: '1' } });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('error', reject);
        child.on('close', () => resolve(out));
      });
    const drawn = await onTty('--users 250 --seed 1');
    expect(drawn).toMatch(/\r\[[#.]{24}\] [\d,]+\/250 users +[\d,]+ rows +[\d,]+ rows\/s/);
    expect(drawn).toMatch(/seeded [\d,]+ rows for 250 users/);
    const quiet = await onTty('--users 250 --seed 1 --truncate --yes --json');
    expect(quiet).not.toContain('rows/s');
    expect(JSON.parse(quiet.trim().replace(/^[^{]*/, ''))).toMatchObject({ users: 250 });
  }, 60_000);
});

describe('seed --append', () => {
  it('adds exactly what it reports, new users numbered after the old ones, no global setting twice', async () => {
    const db = await migrated(freshMysql, 'seed_append', 'agents');
    expect((await dbkit(['seed', '--url', db.url, '--schema', 'agents', '--users', '4', '--seed', '7'])).code).toBe(0);
    const before = await tableCounts(db.url, AGENTS);
    const r = await dbkit(['seed', '--url', db.url, '--schema', 'agents', '--users', '3', '--seed', '7', '--append', '--json']);
    expect(r.code).toBe(0);
    const report = json<{ tables: Record<string, number>; mode: string }>(r);
    expect(report.mode).toBe('append');
    const after = await tableCounts(db.url, AGENTS);
    for (const t of AGENTS) expect([t, after[t]! - before[t]!]).toEqual([t, report.tables[t] ?? 0]);
    const names = await adminQuery<{ username: string }>(db.url, 'SELECT username FROM users ORDER BY id');
    expect(names.map((n) => Number(/(\d+)$/.exec(n.username)![1]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const globals = await adminQuery<{ n: unknown }>(db.url, 'SELECT count(*) AS n FROM settings WHERE user_id IS NULL');
    expect(Number(globals[0]!.n)).toBe(5);
  }, 60_000);
});

describe('seed failing or interrupted midway', () => {
  it.each([
    ['PostgreSQL', freshPostgres],
    ['MariaDB', freshMysql],
  ] as const)('%s: a load that fails part-way takes back what it wrote: fresh runs leave the tables empty, --append leaves the old rows', async (_engine, fresh) => {
    const db = await migrated(fresh, 'seed_fail', 'agents');
    const schema = ['--schema', 'agents'];
    // A constraint that user number 150 breaks: a few chunks in, after others were committed.
    await adminQuery(db.url, `ALTER TABLE users ADD CONSTRAINT fails_late CHECK (username NOT LIKE '%150')`);
    const failed = await dbkit(['seed', '--url', db.url, ...schema, '--users', '200', '--seed', '3']);
    expect(failed.code).toBe(5);
    expect(failed.stderr).toMatch(/^dbkit: seeding failed: .*(fails_late|users).*; (the rows it had written were deleted: the tables are empty|nothing was written)\n$/);
    expect(Object.values(await tableCounts(db.url, AGENTS))).toEqual([0, 0, 0, 0, 0, 0, 0]);

    await adminQuery(db.url, `ALTER TABLE users DROP CONSTRAINT fails_late`);
    expect((await dbkit(['seed', '--url', db.url, ...schema, '--users', '5', '--seed', '3'])).code).toBe(0);
    const before = await tableCounts(db.url, AGENTS);
    await adminQuery(db.url, `ALTER TABLE users ADD CONSTRAINT fails_late CHECK (username NOT LIKE '%150')`);
    const appended = await dbkit(['seed', '--url', db.url, ...schema, '--users', '200', '--seed', '3', '--append']);
    expect(appended.code).toBe(5);
    expect(appended.stderr).toMatch(/; (the rows it had written were deleted|nothing was written)\n$/);
    expect(await tableCounts(db.url, AGENTS)).toEqual(before);
  }, 90_000);

  it.each([
    ['PostgreSQL', freshPostgres],
    ['MariaDB', freshMysql],
  ] as const)('%s: Ctrl-C (SIGINT) during a long seed exits 130, leaves the tables empty, and a plain re-run completes', async (_engine, fresh) => {
    const db = await migrated(fresh, 'seed_sigint', 'agents');
    const run = await dbkitSignalled(['seed', '--url', db.url, '--schema', 'agents', '--users', '5000', '--seed', '2', '--verbose'], 'SIGINT', /connection\(s\)/);
    expect(run.signalled).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/dbkit: seed interrupted by SIGINT; (the rows it had written were deleted: the tables are empty|nothing was written)\n/);
    expect(Object.values(await tableCounts(db.url, AGENTS))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const rerun = await dbkit(['seed', '--url', db.url, '--schema', 'agents', '--users', '5', '--seed', '2', '--json']);
    expect(rerun.code).toBe(0);
    expect(json<{ tables: Record<string, number> }>(rerun).tables.users).toBe(5);
  }, 90_000);
});

describe('seed on MySQL without LOCAL INFILE', () => {
  it('falls back to multi-row INSERTs and writes the very same rows', async () => {
    const a = await migrated(freshMysql, 'seed_infile');
    const b = await migrated(freshMysql, 'seed_insert');
    const args = ['--users', '6', '--seed', '11', '--json'];
    const viaLoad = await dbkit(['seed', '--url', a.url, ...args]);
    expect(json<{ method: string }>(viaLoad).method).toBe('load-data');
    const admin = mysqlAdminUrl();
    await adminQuery(admin, 'SET GLOBAL local_infile = 0');
    let viaInsert;
    try {
      viaInsert = await dbkit(['seed', '--url', b.url, ...args, '--verbose']);
    } finally {
      await adminQuery(admin, 'SET GLOBAL local_infile = 1');
    }
    expect(viaInsert.code).toBe(0);
    expect(json<{ method: string }>(viaInsert).method).toBe('insert');
    for (const t of CHAT) {
      const dumpOf = async (url: string) => JSON.stringify(await adminQuery(url, `SELECT * FROM ${t} ORDER BY id`));
      expect(await dumpOf(b.url)).toBe(await dumpOf(a.url));
    }
  }, 60_000);
});
