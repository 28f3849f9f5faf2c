/**
 * Pipelines get killed: a run killed at any moment must leave a database that
 * the next `dbkit migrate` completes, with no stale lock and nothing doubled.
 * (Multi-statement migrations made by `dbkit make`: crash-safety-multi.test.ts.)
 *
 * The runs killed are the built binary's; the runs that set a database up and
 * finish and check it afterwards run the CLI in-process (support/cli.ts: the
 * same run() the binary calls), without a process start each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { diff } from '../../src/diff/differ.js';
import { normal } from '../support/normal.js';
import type { Dialect } from '../../src/schema/model.js';
import { introspected } from '../support/catalog.js';
import { dbkit, dbkitInProcess, dbkitKilledAfter, json } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPostgres } from '../support/databases.js';
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
  const r = await dbkitInProcess(['migrate', '--url', url, '--lock-timeout', '10']);
  expect(r.code, r.stderr).toBe(0);
  expect((await dbkitInProcess(['status', '--check', '--url', url])).code).toBe(0);
  expect(diff(await introspected(engine, url), normal(expectedVariant(schemaOf(engine), engine)))).toEqual([]);
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
    const first = await dbkitInProcess(['migrate', '--url', url]);
    expect(first.code, first.stderr).toBe(0);
    expect((await dbkitInProcess(['rollback', '--steps', '1', '--yes', '--url', url])).code).toBe(0);
    await adminExec(url, 'UPDATE dbkit_migrations_lock SET is_locked = 1');
    await expectComplete(engine, url);
  }, 60_000);
});

describe('mysql', () => {
  const apiCalls = '20250201000400_create_api_calls';

  it('a table created by a run killed before it was recorded is kept, and the migration recorded without running again', async () => {
    const url = await fresh('mysql');
    const first = await dbkitInProcess(['migrate', '--url', url]);
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
    expect((await dbkitInProcess(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    await adminExec(url, 'ALTER TABLE dbkit_checksums DROP COLUMN step, DROP COLUMN direction, DROP COLUMN owner, DROP COLUMN batch');
    await adminExec(url, `UPDATE dbkit_checksums SET checksum = 'started' WHERE name = '${apiCalls}'`);
    await expectComplete('mysql', url);
  }, 60_000);

  it('also when the kill came after the checksum was written, before Knex recorded the migration', async () => {
    const url = await fresh('mysql');
    expect((await dbkitInProcess(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    const r = await dbkit(['migrate', '--url', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ recorded: string[]; migrations: unknown[] }>(r)).toMatchObject({ recorded: [apiCalls], migrations: [] });
    await expectComplete('mysql', url);
  }, 60_000);

  it('a table that is neither what the stopped statement makes nor absent stops the run, untouched', async () => {
    const url = await fresh('mysql');
    expect((await dbkitInProcess(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, `DELETE FROM dbkit_migrations WHERE name = '${apiCalls}'`);
    await adminExec(url, `UPDATE dbkit_checksums SET checksum = 'started', step = 0, direction = 'up' WHERE name = '${apiCalls}'`);
    await adminExec(url, 'ALTER TABLE api_calls ADD COLUMN extra INT');
    const r = await dbkit(['migrate', '--url', url]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`${apiCalls} stopped at statement 1 of 1 in an earlier run, and the database shows neither`);
    expect(await adminQuery(url, "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'api_calls' AND column_name = 'extra'")).toEqual([{ n: 1 }]);
  }, 60_000);
});
