/**
 * Pipelines get killed: a run killed at any moment must leave a database that
 * the next `dbkit migrate` completes, with no stale lock and nothing doubled.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/dialects.js';
import { diff } from '../../src/diff/differ.js';
import { normalize } from '../../src/schema/normalize.js';
import type { Dialect } from '../../src/schema/model.js';
import { introspected } from '../support/catalog.js';
import { dbkit, dbkitKilledAfter, json } from '../support/cli.js';
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

describe('mysql', () => {
  it('a table created by a run killed before Knex recorded the migration is dropped and made again', async () => {
    const url = await fresh('mysql');
    const first = await dbkit(['migrate', '--url', url]);
    expect(first.code, first.stderr).toBe(0);
    // What a kill between CREATE TABLE and Knex's bookkeeping leaves: the table, a started marker, no record.
    await adminExec(url, "DELETE FROM dbkit_migrations WHERE name = '20250201000400_create_api_calls'");
    await adminExec(url, "UPDATE dbkit_checksums SET checksum = 'started' WHERE name = '20250201000400_create_api_calls'");
    const status = json<{ counts: Record<string, number> }>(await dbkit(['status', '--url', url, '--json']));
    expect(status.counts.pending).toBe(1);
    await expectComplete('mysql', url);
    const rows = await adminQuery(url, "SELECT checksum FROM dbkit_checksums WHERE name = '20250201000400_create_api_calls'");
    expect(String(rows[0]?.checksum)).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('also when the kill came after the checksum was written, before Knex recorded the migration', async () => {
    const url = await fresh('mysql');
    expect((await dbkit(['migrate', '--url', url])).code).toBe(0);
    await adminExec(url, "DELETE FROM dbkit_migrations WHERE name = '20250201000400_create_api_calls'");
    await expectComplete('mysql', url);
  }, 60_000);

  it('but never drops a table that has rows', async () => {
    const url = await fresh('mysql');
    const first = await dbkit(['migrate', '--url', url]);
    expect(first.code, first.stderr).toBe(0);
    await adminExec(url, "INSERT INTO users (username, email, password_hash) VALUES ('a', 'a@example.com', 'x')");
    await adminExec(url, "INSERT INTO api_calls (user_id, model_name, api_endpoint) SELECT id, 'm', '/v1' FROM users");
    await adminExec(url, "DELETE FROM dbkit_migrations WHERE name = '20250201000400_create_api_calls'");
    await adminExec(url, "UPDATE dbkit_checksums SET checksum = 'started' WHERE name = '20250201000400_create_api_calls'");
    const r = await dbkit(['migrate', '--url', url]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/has rows/);
    expect(await adminQuery(url, 'SELECT COUNT(*) AS n FROM api_calls')).toEqual([{ n: 1 }]);
  }, 60_000);
});
