/**
 * Pipelines get killed: a run killed at any moment must leave a database that
 * the next `dbkit migrate` completes, with no stale lock and nothing doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/dialects.js';
import { diff } from '../../src/diff/differ.js';
import { normalize } from '../../src/schema/normalize.js';
import type { Dialect } from '../../src/schema/model.js';
import { introspected } from '../support/catalog.js';
import { dbkit, dbkitKilledAfter, json } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPostgres } from '../support/databases.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-crash-');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

async function fresh(engine: Dialect) {
  const db = engine === 'postgres' ? await freshPostgres('crash') : await freshMysql('crash');
  cleanups.push(db.drop);
  return db.url;
}

const schemaOf = (engine: Dialect) => (engine === 'postgres' ? 'agents' : 'chat');

async function expectComplete(engine: Dialect, url: string) {
  const r = await dbkit(['migrate', '--url', url, '--lock-timeout', '10']);
  expect(r.code, r.stderr).toBe(0);
  expect((await dbkit(['status', '--check', '--url', url])).code).toBe(0);
  expect(diff(await introspected(engine, url), normalize(expectedVariant(schemaOf(engine), engine)))).toEqual([]);
}

describe.each(['postgres', 'mysql'] as const)('%s', (engine) => {
  it('killed with SIGKILL at 10 random moments, each time a plain next run completes it', async () => {
    // How long a whole run takes here, then kills at random moments within it (process start-up included).
    const t0 = Date.now();
    expect((await dbkit(['migrate', '--url', await fresh(engine), '--quiet'])).code).toBe(0);
    const whole = Date.now() - t0;
    const moments: number[] = [];
    for (let attempt = 0; moments.length < 10 && attempt < 30; attempt++) {
      const ms = Math.round(80 + Math.random() * (whole - 80));
      const url = await fresh(engine);
      const run = await dbkitKilledAfter(['migrate', '--url', url], ms);
      if (run.killed) moments.push(ms);
      try {
        await expectComplete(engine, url);
      } catch (err) {
        throw new Error(`after a SIGKILL at ${ms} ms of a ${whole} ms run: ${(err as Error).message}`);
      }
    }
    expect(moments, `a whole run took ${whole} ms`).toHaveLength(10);
  }, 240_000);

  it("a stale Knex lock row left by a killed run does not block the next run", async () => {
    const url = await fresh(engine);
    const first = await dbkit(['migrate', '--url', url]);
    expect(first.code, first.stderr).toBe(0);
    expect((await dbkit(['rollback', '--steps', '1', '--yes', '--url', url])).code).toBe(0);
    await adminExec(url, 'UPDATE dbkit_migrations_lock SET is_locked = 1');
    await expectComplete(engine, url);
  }, 60_000);
});

/**
 * Migrations of several statements each, made by `dbkit make` (on MySQL a column and its foreign key, an
 * index, a table and its foreign keys; on PostgreSQL the same, the index built CONCURRENTLY outside a
 * transaction): killed at random moments of `migrate` and of `rollback`, a plain re-run finishes.
 */
describe.each(['postgres', 'mysql'] as const)('%s: multi-statement migrations', (engine) => {
  let co: Checkout;
  const base = '20250101000700_create_gallery';
  beforeAll(async () => {
    co = checkout(tmp());
    for (const name of ['add_files_session', 'index_messages_type', 'create_tags']) {
      CHANGES.find((c) => c.name === name)!.edit(co);
      const r = await co.run(['make', name]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  async function atBase(): Promise<string> {
    const url = await fresh(engine);
    const r = await co.run(['migrate', '--url', url, '--schema', 'agents', '--to', base, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    return url;
  }

  async function finishAndCheck(url: string, what: string): Promise<void> {
    const args = ['--url', url, '--schema', 'agents'];
    const status = json<{ migrations: { name: string; interrupted?: { direction: string } }[] }>(await co.run(['status', ...args, '--json']));
    if (status.migrations.some((m) => m.interrupted?.direction === 'down')) {
      const back = await co.run(['rollback', ...args, '--steps', '1', '--yes']);
      expect(back.code, `${what}: finishing the rollback: ${back.stderr}`).toBe(0);
    }
    const r = await co.run(['migrate', ...args, '--lock-timeout', '10']);
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    expect((await co.run(['status', '--check', ...args])).code, what).toBe(0);
    const d = await co.run(['diff', ...args]);
    expect(d.code, `${what}: ${d.stdout}`).toBe(0);
  }

  it('killed with SIGKILL at 4 random moments of migrate and of rollback, a plain re-run completes', async () => {
    const url = await atBase();
    const t0 = Date.now();
    expect((await co.run(['migrate', '--url', url, '--schema', 'agents', '--quiet'])).code).toBe(0);
    const up = Date.now() - t0;
    const t1 = Date.now();
    expect((await co.run(['rollback', '--url', url, '--schema', 'agents', '--steps', '3', '--yes', '--quiet'])).code).toBe(0);
    const down = Date.now() - t1;
    let killed = 0;
    for (let i = 0; i < 4; i++) {
      const rollingBack = i % 2 === 1;
      const target = await atBase();
      if (rollingBack) expect((await co.run(['migrate', '--url', target, '--schema', 'agents', '--quiet'])).code).toBe(0);
      const whole = rollingBack ? down : up;
      const ms = Math.round(80 + Math.random() * Math.max(0, whole - 80));
      const args = rollingBack ? ['rollback', '--steps', '3', '--yes'] : ['migrate'];
      const run = await dbkitKilledAfter([...args, '--url', target, '--schema', 'agents'], ms, { env: { DBKIT_ROOT: co.root } });
      if (run.killed) killed++;
      await finishAndCheck(target, `after a SIGKILL at ${ms} ms of ${args[0]} (a whole run ${whole} ms)`);
    }
    expect(killed, 'runs actually killed').toBeGreaterThan(0);
  }, 600_000);
});

describe('mysql', () => {
  const apiCalls = '20250201000400_create_api_calls';

  it('a table created by a run killed before it was recorded is kept, and the migration recorded without running again', async () => {
    const url = await fresh('mysql');
    const first = await dbkit(['migrate', '--url', url]);
    expect(first.code, first.stderr).toBe(0);
    // What a kill between CREATE TABLE and the bookkeeping leaves: the table, a progress row at its statement, no record.
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    await adminExec(url, `UPDATE dbkit_checksums SET checksum = 'started', step = 0, direction = 'up', owner = 'a killed run' WHERE name = '${apiCalls}'`);
    const status = json<{ counts: Record<string, number>; upToDate: boolean }>(await dbkit(['status', '--url', url, '--json']));
    expect(status.counts.pending).toBe(1);
    const text = await dbkit(['status', '--url', url]);
    expect(text.stdout).toMatch(new RegExp(`pending +${apiCalls} +\\(a run stopped at statement 1 of 1; dbkit migrate resumes it\\)`));
    await adminExec(url, "INSERT INTO users (username, email, password_hash) VALUES ('a', 'a@example.com', 'x')");
    await adminExec(url, "INSERT INTO api_calls (user_id, model_name, api_endpoint) SELECT id, 'm', '/v1' FROM users");
    const resumed = await dbkit(['migrate', '--url', url]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${apiCalls}: statement 1 had taken effect before that run stopped`);
    await expectComplete('mysql', url);
    // Never dropped: the row is still there.
    expect(await adminQuery(url, 'SELECT COUNT(*) AS n FROM api_calls')).toEqual([{ n: 1 }]);
    const rows = await adminQuery(url, `SELECT checksum, step FROM dbkit_checksums WHERE name = '${apiCalls}'`);
    expect(String(rows[0]?.checksum)).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.step).toBeNull();
  }, 60_000);

  it('a started row left by dbkit 0.1.0 (no progress columns) is resumed the same way', async () => {
    const url = await fresh('mysql');
    expect((await dbkit(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    await adminExec(url, 'ALTER TABLE dbkit_checksums DROP COLUMN step, DROP COLUMN direction, DROP COLUMN owner, DROP COLUMN batch');
    await adminExec(url, `UPDATE dbkit_checksums SET checksum = 'started' WHERE name = '${apiCalls}'`);
    await expectComplete('mysql', url);
  }, 60_000);

  it('also when the kill came after the checksum was written, before Knex recorded the migration', async () => {
    const url = await fresh('mysql');
    expect((await dbkit(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    const r = await dbkit(['migrate', '--url', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ recorded: string[]; migrations: unknown[] }>(r)).toMatchObject({ recorded: [apiCalls], migrations: [] });
    await expectComplete('mysql', url);
  }, 60_000);

  it('a table that is neither what the stopped statement makes nor absent stops the run, untouched', async () => {
    const url = await fresh('mysql');
    expect((await dbkit(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    await adminExec(url, `UPDATE dbkit_checksums SET checksum = 'started', step = 0, direction = 'up' WHERE name = '${apiCalls}'`);
    await adminExec(url, 'ALTER TABLE api_calls ADD COLUMN extra INT');
    const r = await dbkit(['migrate', '--url', url]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${apiCalls} stopped at statement 1 of 1 in an earlier run, and the database shows neither`);
    expect(await adminQuery(url, "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'api_calls' AND column_name = 'extra'")).toEqual([{ n: 1 }]);
  }, 60_000);
});
