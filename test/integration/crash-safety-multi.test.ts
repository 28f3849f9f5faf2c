/**
 * Pipelines get killed (the rest: crash-safety.test.ts): migrations of several
 * statements each, made by `dbkit make` (on MySQL a column and its foreign
 * key, an index, a table and its foreign keys; on PostgreSQL the same, the
 * index built CONCURRENTLY outside a transaction), killed at random moments
 * of `migrate` and of `rollback`: a plain re-run finishes.
 *
 * The runs killed, and the runs that time them, are the built binary's; the
 * runs that set a database up and finish and check it afterwards run the CLI
 * in-process (support/cli.ts: the same run() the binary calls) on the
 * checkout: a file of its own, as the runtime reads one project root per
 * process (DBKIT_ROOT, set here before the first in-process run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkitInProcess, dbkitKilledAfter, json } from '../support/cli.js';
import { checkout, CHANGES, type Checkout } from '../support/checkout.js';
import { freshMysql, freshPostgres } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-crash-multi-');
const base = '20250101000700_create_gallery';
let co: Checkout;
const root = process.env.DBKIT_ROOT;
const cleanups: (() => Promise<void>)[] = [];

/** One checkout for both engines: the three migrations made once. */
beforeAll(async () => {
  co = checkout(tmp());
  for (const name of ['add_files_session', 'index_messages_type', 'create_tags']) {
    CHANGES.find((c) => c.name === name)!.edit(co);
    const r = await co.run(['make', name]);
    expect(r.code, r.stderr).toBe(0);
  }
  process.env.DBKIT_ROOT = co.root;
}, 120_000);

afterAll(async () => {
  if (root === undefined) delete process.env.DBKIT_ROOT;
  else process.env.DBKIT_ROOT = root;
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

describe.each(['postgres', 'mysql'] as const)('%s: multi-statement migrations', (engine) => {
  async function atBase(): Promise<string> {
    const db = engine === 'postgres' ? await freshPostgres('crash') : await freshMysql('crash');
    cleanups.push(db.drop);
    const r = await dbkitInProcess(['migrate', '--url', db.url, '--schema', 'agents', '--to', base, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    return db.url;
  }

  async function finishAndCheck(url: string, what: string): Promise<void> {
    const args = ['--url', url, '--schema', 'agents'];
    const status = json<{ migrations: { name: string; interrupted?: { direction: string } }[] }>(await dbkitInProcess(['status', ...args, '--json']));
    if (status.migrations.some((m) => m.interrupted?.direction === 'down')) {
      const back = await dbkitInProcess(['rollback', ...args, '--steps', '1', '--yes']);
      expect(back.code, `${what}: finishing the rollback: ${back.stderr}`).toBe(0);
    }
    const r = await dbkitInProcess(['migrate', ...args, '--lock-timeout', '10']);
    expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    expect((await dbkitInProcess(['status', '--check', ...args])).code, what).toBe(0);
    const d = await dbkitInProcess(['diff', ...args]);
    expect(d.code, `${what}: ${d.stdout}`).toBe(0);
  }

  it('killed with SIGKILL at 4 random moments of migrate and of rollback, a plain re-run completes', async () => {
    const url = await atBase();
    // How long whole runs of the binary take here: the kills fall within them (process start-up included).
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
      if (rollingBack) expect((await dbkitInProcess(['migrate', '--url', target, '--schema', 'agents', '--quiet'])).code).toBe(0);
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
