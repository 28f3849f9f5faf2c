/**
 * Schema evolution (issue 12, acceptance 2): in a temporary checkout, each
 * change is made by `dbkit make` alone (a nullable column; a NOT NULL column
 * with a default on a table with rows; a wider varchar; an index on an
 * existing table with rows; a new foreign key; a declared column rename; a
 * label appended to chat messages.role; a new table with foreign keys; a
 * dropped column, --allow-data-loss, which `migrate` refuses over the
 * seeded values until it is given --allow-data-loss too; agents messages is grown to 100,000+
 * rows first, so the index is built on a large table). On real PostgreSQL, MariaDB and PGlite,
 * after each change a seeded existing database and a fresh one are migrated
 * (PGlite: the fresh one at the last change, the SQL being PostgreSQL's):
 * `diff` is clean on both (against the definition as of that migration) and
 * no row is lost. Then the existing database is rolled back step by step to
 * the start, `diff --at` clean against each earlier definition, no row lost.
 *
 * `make` and `check` run the built binary (they bundle the checkout's
 * TypeScript sources); migrate, diff, status and rollback run the CLI
 * in-process (support/cli.ts: the same run() the binary calls), some 140
 * process starts fewer, on PGlite each also a compile of the engine less.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, dbkitInProcess, json } from '../support/cli.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { freshMysql, freshPglite, freshPostgres, openAdmin, tableCounts, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-evolution-');
let co: Checkout;
/** The migration each change made, by change name. */
const made = new Map<string, string>();
const BASE = { agents: '20250101000700_create_gallery', chat: '20250201000400_create_api_calls' } as const;
const TABLES = {
  agents: ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'],
  chat: ['users', 'conversations', 'messages', 'api_calls'],
};

beforeAll(async () => {
  co = checkout(tmp());
  for (const change of CHANGES) {
    change.edit(co);
    const r = await co.run(['make', change.name, '--schema', change.schema, '--json', ...(change.flags ?? [])]);
    expect(r.code, `make ${change.name}: ${r.stderr}`).toBe(0);
    const doc = json<{ name: string; changes: string[] }>(r);
    expect(doc.changes.length, change.name).toBeGreaterThan(0);
    made.set(change.name, doc.name);
  }
  // The in-process runs below work on the checkout, as `co.run` does.
  process.env.DBKIT_ROOT = co.root;
}, 600_000);

// Beside the engines' runs, not before them (its PGlite replays of both schemas take a while).
it.concurrent('the checkout is consistent: sums, snapshot = definition, replay (dbkit check)', async () => {
  const check = await co.run(['check']);
  expect(check.code, check.stdout).toBe(0);
}, 600_000);

const dbs: FreshDatabase[] = [];
const root = process.env.DBKIT_ROOT;
afterAll(async () => {
  if (root === undefined) delete process.env.DBKIT_ROOT;
  else process.env.DBKIT_ROOT = root;
  for (const db of dbs) await db.drop().catch(() => undefined);
});

type Fresh = (prefix?: string) => Promise<FreshDatabase>;

/** Rows in agents `messages` before the change that indexes it ("an index on a large existing table"). */
const LARGE = 100_000;

/** Copies the seeded messages into themselves until the table holds at least LARGE rows. */
async function growMessages(url: string, engine: 'postgres' | 'mysql' | 'pglite'): Promise<void> {
  const q = (name: string) => (engine === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const columns = ['run_id', 'sender', 'content', 'message_type', 'metadata', 'timestamp'].map(q).join(', ');
  const admin = await openAdmin(url);
  try {
    for (;;) {
      const [row] = await admin.query<{ n: unknown }>('SELECT count(*) AS n FROM messages');
      const n = Number(row!.n);
      expect(n).toBeGreaterThan(0);
      if (n >= LARGE) return;
      await admin.query(`INSERT INTO messages (${columns}) SELECT ${columns} FROM messages`);
    }
  } finally {
    await admin.close();
  }
}

// Concurrent: the three engines' runs (and `check`) wait on their servers side by side.
describe.concurrent.each([
  ['postgres', freshPostgres as Fresh],
  ['mysql', freshMysql as Fresh],
  ['pglite', freshPglite as Fresh],
] as const)('%s', (engine, fresh) => {
  // PGlite runs the PostgreSQL SQL checked step by step above, and each of its processes costs a
  // second of CPU (the WebAssembly engine): there a fresh database is migrated at the last step
  // only, and rows are counted at the ends; the existing database still goes through every step.
  const everyStep = engine !== 'pglite';
  for (const schema of ['agents', 'chat'] as const) {
    it(`${schema}: every change on a seeded database and a fresh one, then back step by step`, async () => {
      const steps = CHANGES.filter((c) => c.schema === schema).map((c) => made.get(c.name)!);
      const existing = await fresh(`evo_${schema}`);
      dbs.push(existing);
      const on = (url: string) => ['--url', url, '--schema', schema];
      const ok = async (args: string[], what: string) => {
        const r = await dbkitInProcess(args);
        expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(0);
        // Nothing else works on these databases: no statement may wait for a lock (an index built
        // CONCURRENTLY once waited for the run's own idle lock transaction).
        expect(r.stderr, what).not.toMatch(/waited \d+s for a lock/);
        return r;
      };
      await ok(['migrate', ...on(existing.url), '--to', BASE[schema], '--quiet'], 'migrate to the base');
      // Seeded as the base release seeds it (this repository's build: its newest migration is the base);
      // the checkout's seed follows the newest definition, which this database does not have yet.
      const seeded = await dbkit(['seed', ...on(existing.url), '--users', '4', '--seed', '5', '--quiet'], { env: { DBKIT_ROOT: undefined } });
      expect(seeded.code, `seed: ${seeded.stderr}`).toBe(0);
      if (schema === 'agents') await growMessages(existing.url, engine);
      const rows = await tableCounts(existing.url, TABLES[schema]);
      expect(rows.users).toBe(4);
      if (schema === 'agents') expect(rows.messages).toBeGreaterThanOrEqual(LARGE);

      for (const step of steps) {
        const drops = step.endsWith('_drop_sessions_config');
        if (drops) {
          // The column holds the seeded configs: the live pre-flight refuses to lose them until the run allows it.
          const refused = await dbkitInProcess(['migrate', ...on(existing.url), '--to', step, '--quiet']);
          expect(refused.code, refused.stderr).toBe(9);
          expect(refused.stderr).toMatch(/rows? with a value in sessions\.config, lost with the column; pass --allow-data-loss/);
        }
        await ok(['migrate', ...on(existing.url), '--to', step, '--quiet', ...(drops ? ['--allow-data-loss'] : [])], `migrate ${step}`);
        await ok(['diff', ...on(existing.url), '--at', step], `diff --at ${step} (existing)`);
        const last = step === steps.at(-1);
        if (everyStep || last) expect(await tableCounts(existing.url, TABLES[schema]), `rows after ${step}`).toEqual(rows);
        if (!everyStep && !last) continue;
        const blank = await fresh(`evo_fresh`);
        await ok(['migrate', ...on(blank.url), '--to', step, '--quiet'], `migrate a fresh database to ${step}`);
        await ok(['diff', ...on(blank.url), '--at', step], `diff --at ${step} (fresh)`);
        await blank.drop();
      }
      if (schema === 'agents') {
        const admin = await openAdmin(existing.url);
        try {
          const active = await admin.query<{ n: unknown }>("SELECT count(*) AS n FROM sessions WHERE status = 'active'");
          expect(Number(active[0]!.n)).toBe(rows.sessions);
        } finally {
          await admin.close();
        }
      }
      const status = await dbkitInProcess(['status', '--check', ...on(existing.url)]);
      expect(status.code, status.stdout).toBe(0);

      // Back to the start, one migration at a time.
      const order = [BASE[schema], ...steps];
      for (let i = order.length - 1; i >= 1; i--) {
        const back = ['rollback', ...on(existing.url), '--steps', '1', '--yes', '--quiet'];
        const first = await dbkitInProcess(back);
        if (order[i]!.endsWith('_drop_sessions_config')) {
          // Its down brings the column back, not its values: refused without --force.
          expect(first.code, first.stderr).toBe(2);
          expect(first.stderr).toContain('drops column sessions.config (its values are lost)');
          await ok([...back, '--force'], `rollback --force ${order[i]}`);
        } else {
          expect(first.code, `rollback ${order[i]}: ${first.stderr}`).toBe(0);
        }
        await ok(['diff', ...on(existing.url), '--at', order[i - 1]!], `diff --at ${order[i - 1]} after rolling back ${order[i]}`);
        if (everyStep || i === 1) expect(await tableCounts(existing.url, TABLES[schema]), `rows after rolling back ${order[i]}`).toEqual(rows);
      }
    }, 3_600_000);
  }
});
