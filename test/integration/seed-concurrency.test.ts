/**
 * Concurrent `dbkit seed` runs on one schema (issue 11): the seed lock
 * serialises them, the emptiness check happens under it, a failing run
 * takes back only the rows it wrote (by key), and every run either exits 0
 * or refuses with a documented code. Afterwards the schema holds exactly
 * the rows the successful runs reported, on PostgreSQL, MariaDB and PGlite.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, dbkitInProcess, json, startDbkit, type CliResult } from '../support/cli.js';
import { adminQuery, freshMysql, freshPglite, freshPostgres, openAdmin, tableCounts, type FreshDatabase } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

const TABLES: Record<string, string[]> = {
  agents: ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'],
  chat: ['users', 'conversations', 'messages', 'api_calls'],
};

/** Foreign keys of each schema (child.column -> parent), to look for orphans. */
const KEYS: Record<string, [string, string, string][]> = {
  agents: [
    ['sessions', 'user_id', 'users'], ['runs', 'session_id', 'sessions'], ['runs', 'user_id', 'users'], ['messages', 'run_id', 'runs'],
    ['files', 'run_id', 'runs'], ['settings', 'user_id', 'users'], ['gallery', 'user_id', 'users'], ['gallery', 'run_id', 'runs'],
  ],
  chat: [
    ['conversations', 'user_id', 'users'], ['messages', 'conversation_id', 'conversations'], ['messages', 'user_id', 'users'],
    ['api_calls', 'user_id', 'users'], ['api_calls', 'conversation_id', 'conversations'], ['api_calls', 'message_id', 'messages'],
  ],
};

interface Report {
  users: number;
  firstUser: number;
  mode: string;
  rows: number;
  tables: Record<string, number>;
}

interface Engine {
  name: string;
  fresh: (prefix: string) => Promise<FreshDatabase>;
  schema: string;
}

/** Users per ordinary run: at most 8 x 5 = 40 users, so no ordinary run reaches user 99. */
const USERS = 5;
/** Users of the run made to fail: any 100 consecutive user numbers hold one ending in 99. */
const FAILING_USERS = 100;

const ENGINES: Engine[] = [
  { name: 'PostgreSQL', fresh: freshPostgres, schema: 'agents' },
  { name: 'MariaDB', fresh: freshMysql, schema: 'chat' },
  { name: 'PGlite', fresh: freshPglite, schema: 'agents' },
];

/** A fresh database, migrated in-process (set-up: the seeds under test run the binary). */
async function migrated(e: Engine, prefix: string): Promise<FreshDatabase> {
  const db = await e.fresh(prefix);
  cleanups.push(db.drop);
  const m = await dbkitInProcess(['migrate', '--url', db.url, '--schema', e.schema, '--quiet']);
  expect(m.code, m.stderr).toBe(0);
  return db;
}

/** The ordinal each username ends with, and the number of orphaned rows, in one admin session. */
async function inspect(url: string, schema: string): Promise<{ ordinals: number[]; orphans: number }> {
  const admin = await openAdmin(url);
  try {
    const names = await admin.query<{ username: string }>('SELECT username FROM users');
    let orphans = 0;
    for (const [child, column, parent] of KEYS[schema]!) {
      const sql = `SELECT count(*) AS n FROM ${child} c LEFT JOIN ${parent} p ON p.id = c.${column} WHERE c.${column} IS NOT NULL AND p.id IS NULL`;
      orphans += Number((await admin.query<{ n: unknown }>(sql))[0]!.n);
    }
    return { ordinals: names.map((n) => Number(/(\d+)$/.exec(n.username)![1])).sort((a, b) => a - b), orphans };
  } finally {
    await admin.close();
  }
}

const seedArgs = (db: FreshDatabase, e: Engine, users: number, seed: number, extra: string[] = []) => [
  'seed', '--url', db.url, '--schema', e.schema, '--users', String(users), '--seed', String(seed), '--json', '--lock-timeout', '600', ...extra,
];

describe.each(ENGINES)('concurrent seeds on $name', (e) => {
  it.each([2, 4, 8])('%i runs at once: each exits 0 or refuses (2: not empty; 5: its own failure, taken back); the schema holds exactly what the successful runs reported', async (n) => {
    const db = await migrated(e, `seed_conc${n}`);
    // User numbers ending in 99 break a constraint: only the big run reaches one (on PostgreSQL and PGlite after committing some of its users).
    await adminQuery(db.url, `ALTER TABLE users ADD CONSTRAINT no_99 CHECK (username NOT LIKE '%99')`);
    // Half fresh runs (the same seed twice: the case of issue 11), half --append; with 4 or more, one run that fails late.
    const runs = Array.from({ length: n }, (_, i) => seedArgs(db, e, USERS, i < 2 ? 7 : 100 + i, i % 2 ? ['--append'] : []));
    if (n >= 4) runs[n - 1] = seedArgs(db, e, FAILING_USERS, 999, ['--append']);
    const results: CliResult[] = await Promise.all(runs.map((args) => dbkit(args)));

    const reports: Report[] = [];
    results.forEach((r, i) => {
      const failing = n >= 4 && i === n - 1;
      if (failing) {
        expect(r.code, r.stderr).toBe(5);
        // Either it committed users and took them back, or LOAD DATA refused the batch before any commit.
        expect(r.stderr).toMatch(/no_99|CHECK|constraint/i);
        expect(r.stderr).toMatch(/; (the rows it had written were deleted|nothing was written)\n$/);
        return;
      }
      if (r.code === 0) return void reports.push(json<Report>(r));
      // Only a fresh run may be refused, and only because another run's rows came first.
      expect(r.code, r.stderr).toBe(2);
      expect(runs[i]).not.toContain('--append');
      expect(r.stderr).toMatch(/already holds .* data .*pass --truncate .* or --append/);
    });
    expect(reports.length).toBeGreaterThanOrEqual(Math.ceil(n / 2) - (n >= 4 ? 1 : 0));

    const tables = TABLES[e.schema]!;
    const expected = Object.fromEntries(tables.map((t) => [t, reports.reduce((sum, r) => sum + (r.tables[t] ?? 0), 0)]));
    expect(await tableCounts(db.url, tables)).toEqual(expected);
    const { ordinals, orphans } = await inspect(db.url, e.schema);
    expect(orphans).toBe(0);
    // Every successful run's users are there, each once: 1..total with no gap and no duplicate.
    const reported = reports.flatMap((r) => Array.from({ length: r.users }, (_, k) => r.firstUser + k)).sort((a, b) => a - b);
    expect(ordinals).toEqual(reported);
    expect(ordinals).toEqual(Array.from({ length: ordinals.length }, (_, k) => k + 1));
  }, 900_000);

  it('gives up with exit 4 after --lock-timeout, naming the run that holds the lock, and writes nothing', async () => {
    const db = await migrated(e, 'seed_locked');
    // On PGlite the lock file taken at open keeps the second run out: a shorter run holds it long enough.
    const holder = startDbkit(seedArgs(db, e, e.name === 'PGlite' ? 500 : 3000, 1, ['--verbose']));
    await holder.waitFor(/seed: holding the seed lock/);
    const second = await dbkit(seedArgs(db, e, 2, 2, ['--append', '--lock-timeout', '0']));
    holder.child.kill('SIGINT');
    const first = await holder.done;
    expect(second.code, second.stderr).toBe(4);
    expect(second.stderr).toMatch(
      e.name === 'PostgreSQL'
        ? /another dbkit seed is writing to public on .*seed lock held by dbkit on \S+ \(pid \d+\), PostgreSQL session \d+/
        : e.name === 'MariaDB'
          ? /another dbkit seed is writing to \w+ on .*seed lock held by MySQL connection \d+/
          : /the embedded database .* is in use by another dbkit process \(pid \d+\)/,
    );
    expect(json<{ error: { exitCode: number } }>(second).error.exitCode).toBe(4);
    // The first run was interrupted: it says what it took back, and the tables show it.
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/dbkit: seed interrupted by SIGINT; (the rows it had written were deleted: the tables are empty|nothing was written)\n/);
    expect(Object.values(await tableCounts(db.url, TABLES[e.schema]!)).every((c) => c === 0)).toBe(true);
  }, 600_000);
});
