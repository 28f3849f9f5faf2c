/**
 * A sprint of fourteen schema changes (issue 19, acceptance 5;
 * test/support/sprint.ts), on PostgreSQL, MariaDB and PGlite side by side:
 * after each change is made by `dbkit make` in a throwaway checkout, each
 * engine's database of that schema (seeded at the base release, and again
 * after every change) is migrated, `dbkit diff` is clean, `dbkit seed
 * --append` adds users to it, and every foreign key of the database stays
 * inside one user's data (test/support/same-user.ts: each row followed up to
 * users). The seed must follow every change: no table left out after a
 * rename, the reference column without a foreign key filled with the same
 * user's sessions (so that its foreign key, added next, holds).
 *
 * `make` runs the built binary (it bundles the checkout's TypeScript), each
 * change while the engines work on the one before; migrate, diff and seed run
 * in-process (support/cli.ts), on a copy of the checkout's migrations as of
 * that change (DBKIT_ROOT: the seed plans from the newest snapshot there).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dbkitInProcess, json, type CliResult } from '../support/cli.js';
import { checkout, type Checkout } from '../support/checkout.js';
import { adminQuery, freshMysql, freshPglite, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';
import { sameUserCheck } from '../support/same-user.js';
import { SPRINT, type SprintChange } from '../support/sprint.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-sprint-');
const dbs: FreshDatabase[] = [];
const root = process.env.DBKIT_ROOT;
afterAll(async () => {
  if (root === undefined) delete process.env.DBKIT_ROOT;
  else process.env.DBKIT_ROOT = root;
  await Promise.all(dbs.map((db) => db.drop().catch(() => undefined)));
});

/**
 * The flags `make` needs for a change, in one place: --allow-data-loss for
 * changes that drop data or can fail on existing rows (a foreign key over an
 * existing table among them), --allow-blocking for those that copy or
 * rewrite a table on some engine, where this build's make has that gate.
 */
function makeFlags(change: SprintChange, gates: { allowBlocking: boolean }): string[] {
  return [...(change.dataLoss ? ['--allow-data-loss'] : []), ...(change.blocking && gates.allowBlocking ? ['--allow-blocking'] : [])];
}

/** The checkout's migrations as of now, copied to a folder of their own (a DBKIT_ROOT). */
function frozenRoot(co: Checkout, name: string): string {
  const dir = path.join(path.dirname(co.root), 'steps', name);
  fs.cpSync(path.join(co.root, 'migrations'), path.join(dir, 'migrations'), { recursive: true });
  return dir;
}

type Engine = 'postgres' | 'mysql' | 'pglite';
const FRESH: Record<Engine, (prefix: string) => Promise<FreshDatabase>> = { postgres: freshPostgres, mysql: freshMysql, pglite: freshPglite };
const ENGINES: Engine[] = ['postgres', 'mysql', 'pglite'];

async function ok(args: string[], what: string): Promise<CliResult> {
  const r = await dbkitInProcess(args);
  expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(0);
  return r;
}

interface SeedJson {
  users: number;
  tables: Record<string, number>;
  skipped: { table: string; reason: string }[];
}

/** Seed `users` more users, and check that every foreign key stays inside one user's data. */
async function seedAndCheck(engine: Engine, url: string, schema: string, args: string[], what: string): Promise<SeedJson> {
  const seeded = json<SeedJson>(await ok(['seed', '--url', url, '--schema', schema, '--json', ...args], `${engine} ${what}: seed`));
  expect(seeded.skipped, `${engine} ${what}: tables left out`).toEqual([]);
  for (const [table, n] of Object.entries(seeded.tables)) expect(n, `${engine} ${what}: rows seeded into ${table}`).toBeGreaterThan(0);
  const report = await sameUserCheck(url);
  expect(report.violations, `${engine} ${what}`).toEqual([]);
  expect(report.foreignKeys.length).toBeGreaterThanOrEqual(schema === 'agents' ? 7 : 6);
  for (const table of Object.keys(seeded.tables)) expect(report.owned[table] ?? 1, `${engine} ${what}: rows of ${table} that reach a user`).toBeGreaterThan(0);
  return seeded;
}

it('fourteen changes on both schemas: made, migrated, diff clean, seeded after each, every foreign key inside one user, on PostgreSQL, MariaDB and PGlite', async () => {
  const co = checkout(tmp());
  const gates = { allowBlocking: (await co.run(['make', '--help'])).stdout.includes('--allow-blocking') };

  // `make` for one change after another, each while the engines work on the one before.
  let chain: Promise<unknown> = Promise.resolve();
  const made = SPRINT.map((change, i) => {
    const step = chain.then(async () => {
      change.edit(co);
      const r = await co.run(['make', change.name, '--schema', change.schema, '--json', ...makeFlags(change, gates)]);
      expect(r.code, `make ${change.name}: ${r.stderr}`).toBe(0);
      expect(json<{ changes: string[] }>(r).changes.length, change.name).toBeGreaterThan(0);
      return frozenRoot(co, String(i + 1));
    });
    chain = step;
    step.catch(() => undefined); // awaited below, in order
    return step;
  });

  // Each engine: a database per schema at the base release, seeded by it.
  process.env.DBKIT_ROOT = frozenRoot(co, '0');
  const databases = await Promise.all(
    ENGINES.map(async (engine) => {
      const pair = { agents: await FRESH[engine]('sprint_agents'), chat: await FRESH[engine]('sprint_chat') };
      dbs.push(pair.agents, pair.chat);
      for (const schema of ['agents', 'chat'] as const) {
        await ok(['migrate', '--url', pair[schema].url, '--schema', schema, '--quiet'], `${engine} ${schema}: migrate to the base`);
        await seedAndCheck(engine, pair[schema].url, schema, ['--users', '3', '--seed', '1'], `${schema} at the base`);
      }
      return { engine, ...pair };
    }),
  );

  let users = { agents: 3, chat: 3 };
  for (const [i, change] of SPRINT.entries()) {
    process.env.DBKIT_ROOT = await made[i]!;
    const what = `after ${change.name}`;
    await Promise.all(
      databases.map(async (d) => {
        const url = d[change.schema].url;
        const on = ['--url', url, '--schema', change.schema];
        await ok(['migrate', ...on, '--quiet', ...(change.dropsValues ? ['--allow-data-loss'] : [])], `${d.engine}: migrate ${change.name}`);
        await ok(['diff', ...on], `${d.engine}: diff ${what}`);
        const seeded = await seedAndCheck(d.engine, url, change.schema, ['--append', '--users', '2', '--seed', String(10 + i)], what);
        expect(seeded.users).toBe(2);
        const [row] = await adminQuery<{ n: unknown }>(url, 'SELECT count(*) AS n FROM users');
        expect(Number(row!.n), `${d.engine} ${what}: users`).toBe(users[change.schema] + 2);
        if (change.name === 'add_users_bio_files_session') {
          // The reference column without a foreign key points at sessions of the file's own user (its foreign key comes next).
          const [soft] = await adminQuery<{ filled: unknown; foreign: unknown }>(
            url,
            `SELECT count(f.session_id) AS filled, count(CASE WHEN s.id IS NULL OR s.user_id <> r.user_id THEN 1 END) AS ${d.engine === 'mysql' ? '`foreign`' : '"foreign"'}
               FROM files f JOIN runs r ON r.id = f.run_id LEFT JOIN sessions s ON s.id = f.session_id WHERE f.session_id IS NOT NULL`,
          );
          expect(Number(soft!.filled), `${d.engine}: files.session_id filled`).toBeGreaterThan(0);
          expect(Number(soft!.foreign), `${d.engine}: files.session_id of another user, or of no session`).toBe(0);
        }
      }),
    );
    users = { ...users, [change.schema]: users[change.schema] + 2 };
  }

  // The check itself finds a row that points into another user's data.
  const mysql = databases.find((d) => d.engine === 'mysql')!;
  const admin = await openAdmin(mysql.chat.url);
  try {
    await admin.query(
      'UPDATE messages SET user_id = (SELECT MIN(id) FROM users) WHERE id = (SELECT id FROM (SELECT MAX(m.id) AS id FROM messages m WHERE m.user_id <> (SELECT MIN(id) FROM users)) x)',
    );
  } finally {
    await admin.close();
  }
  expect((await sameUserCheck(mysql.chat.url)).violations).toContainEqual(expect.stringMatching(/^messages \d+ reaches users \d+, \d+$/));
}, 900_000);
