/**
 * `--targets` through the built CLI on a small fleet: a failing canary starts
 * nothing else, --on-error stop against continue, usage errors (exit 2, nothing
 * run), a repeated --url refused, --verbose lines per target, the progress
 * bar on a real terminal; no password in any output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetOutcome } from '../../src/fleet/outcome.js';
import { bin, dbkit, dbkitSignalled, json, repoRoot, type CliResult } from '../support/cli.js';
import { adminQuery, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { onPty } from '../support/pty.js';
import { freePort, TEST_PASSWORD } from '../support/servers.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-fleet-cli-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const d of dbs) await d.drop().catch(() => undefined);
});

interface FleetDoc {
  exitCode: number;
  stoppedBy: string | null;
  totals: Record<string, number>;
  targets: TargetOutcome[];
}
const statuses = (r: CliResult) => Object.fromEntries(json<FleetDoc>(r).targets.map((t) => [t.name, t.status]));
const clean = (...runs: CliResult[]) => {
  for (const r of runs) expect(r.stdout + r.stderr).not.toContain(TEST_PASSWORD);
};
const migrated = async (d: FreshDatabase) =>
  (await adminQuery(d.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'dbkit_migrations'")).length > 0;

describe('a small fleet', () => {
  let dir: string;
  let a: FreshDatabase, b: FreshDatabase, c: FreshDatabase;
  let down: string;
  const write = (name: string, doc: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(doc, null, 2));
    return file;
  };

  beforeAll(async () => {
    dir = tmp();
    [a, b, c] = await Promise.all([freshPostgres('fleet_a'), freshPostgres('fleet_b'), freshPostgres('fleet_c')]);
    dbs.push(a, b, c);
    down = `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${await freePort()}/gone`;
  }, 120_000);

  it('a canary that fails starts nothing else', async () => {
    const file = write('canary.json', { targets: [{ name: 'a', url: a.url }, { name: 'b', url: b.url }, { name: 'down', url: down, tags: ['canary'] }] });
    const r = await dbkit(['migrate', '--targets', file, '--canary', 'tag:canary', '--json']);
    clean(r);
    expect(r.code).toBe(1);
    expect(statuses(r)).toEqual({ a: 'not started', b: 'not started', down: 'failed' });
    expect(json<FleetDoc>(r).stoppedBy).toBe('canary');
    expect(await migrated(a)).toBe(false);
    expect(await migrated(b)).toBe(false);

    const human = await dbkit(['migrate', '--targets', file, '--canary', 'down']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('a canary failed, so nothing else was started: 2 not started (a, b)');
    // A canary that names no target is a usage error: nothing runs.
    const typo = await dbkit(['migrate', '--targets', file, '--canary', 'dwon']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('dbkit: --canary dwon: no target is named dwon (use tag:<tag> for a tag)\n');
  }, 120_000);

  it('--on-error stop starts nothing after a failure; continue goes on', async () => {
    const file = write('on-error.json', { targets: [{ name: 'down', url: down }, { name: 'a', url: a.url }, { name: 'b', url: b.url }] });
    const stop = await dbkit(['migrate', '--targets', file, '--concurrency', '1', '--on-error', 'stop', '--json']);
    clean(stop);
    expect(stop.code).toBe(1);
    expect(statuses(stop)).toEqual({ down: 'failed', a: 'not started', b: 'not started' });
    expect(json<FleetDoc>(stop).stoppedBy).toBe('error');
    expect(await migrated(a)).toBe(false);

    const go = await dbkit(['migrate', '--targets', file, '--concurrency', '1', '--on-error', 'continue', '--json']);
    clean(go);
    expect(go.code).toBe(1);
    expect(statuses(go)).toEqual({ down: 'failed', a: 'applied', b: 'applied' });
    expect(json<FleetDoc>(go).totals).toMatchObject({ applied: 2, failed: 1, notStarted: 0 });
    expect(await migrated(a)).toBe(true);
  }, 180_000);

  it('--verbose: each target\'s lines, prefixed with its name, and still no password', async () => {
    const file = write('verbose.json', { targets: [{ name: 'a', url: a.url }, { name: 'down', url: down }] });
    const r = await dbkit(['status', '--targets', file, '--verbose']);
    clean(r);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\[a\] sql: /m);
    expect(r.stderr).toMatch(/^\[down\] ConnectError: cannot connect to postgres:\/\//m);
    expect(r.stdout).toMatch(/^a +up to date +/m);
    expect(r.stdout).toMatch(/^down +failed +exit 3: cannot connect to /m);
  }, 120_000);

  it('usage errors exit 2 and run nothing', async () => {
    const ok = write('ok.json', { targets: [{ name: 'c', url: c.url }] });
    const cases: [string[], RegExp][] = [
      [['migrate', '--targets', ok, '--url', c.url], /^dbkit: --url and --targets do not go together/],
      [['migrate', '--targets', ok, '--dry-run'], /^dbkit: --targets: --dry-run prints one database's SQL/],
      [['diff', '--targets', ok, '--sql'], /^dbkit: --targets: --sql writes one database's fix script/],
      [['migrate', '--targets', ok, '--concurrency', '0'], /^dbkit: --concurrency must be a whole number from 1 to 64/],
      [['migrate', '--targets', ok, '--on-error', 'maybe'], /^dbkit: option '--on-error <mode>' argument 'maybe' is invalid/],
      [['migrate', '--targets', path.join(dir, 'missing.yaml')], /^dbkit: cannot read targets file .*missing\.yaml: no such file/],
      [['migrate', '--targets', write('env.json', { targets: [{ name: 'x', urlEnv: 'DBKIT_FLEET_NOT_SET' }] })], /^dbkit: no target has a URL: environment variable DBKIT_FLEET_NOT_SET is not set/],
      [['migrate', '--targets', write('twice.json', { targets: [{ name: 'x', url: c.url }, { name: 'y', url: c.url.replace(TEST_PASSWORD, 'other') }] })], /^dbkit: targets x and y are the same database and namespace/],
      [['migrate', '--targets', write('bad.json', { targets: [{ name: 'x', url: c.url, pasword: TEST_PASSWORD }] })], /^dbkit: targets file .*bad\.json, target x: unknown key "pasword"/],
      [['status', '--targets', ok, '--only', 'tag:none'], /^dbkit: --only tag:none: no target has the tag none/],
    ];
    for (const [args, message] of cases) {
      const r = await dbkit(args);
      clean(r);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(await migrated(c)).toBe(false);
  }, 120_000);

  it('a repeated --url is a usage error that points to --targets, in every form', async () => {
    for (const args of [
      ['migrate', '--url', a.url, '--url', b.url],
      [`--url=${a.url}`, 'status', '--url', b.url],
      ['diff', '--url', a.url, `--url=${b.url}`, '--json'],
    ]) {
      const r = await dbkit(args);
      clean(r);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('dbkit: --url given more than once: dbkit works on one database per --url; for several, list them in a targets file and pass --targets FILE\n');
    }
    const asJson = await dbkit(['migrate', '--url', a.url, '--url', b.url, '--json']);
    expect(json(asJson)).toEqual({ error: { exitCode: 2, message: expect.stringContaining('--targets FILE') } });
  }, 60_000);

  it('Ctrl-C starts no new target, stops the running one cleanly, exits 130; a re-run finishes', async () => {
    const [x, y, z] = await Promise.all([freshPostgres('fleet_x'), freshPostgres('fleet_y'), freshPostgres('fleet_z')]);
    dbs.push(x, y, z);
    const file = write('interrupt.json', { targets: [{ name: 'x', url: x.url }, { name: 'y', url: y.url }, { name: 'z', url: z.url }] });
    const r = await dbkitSignalled(['migrate', '--targets', file, '--concurrency', '1', '--verbose', '--json'], 'SIGINT', /^\[x\] sql: /m, 30_000);
    clean(r);
    expect(r.signalled).toBe(true);
    expect(r.code, r.stderr).toBe(130);
    const doc = json<FleetDoc>(r);
    expect(doc.stoppedBy).toBe('interrupt');
    const [first, ...rest] = doc.targets;
    // x was stopped as a single migrate stops on Ctrl-C (or had just finished); y and z never started.
    if (first!.status === 'failed') expect(first!.error).toMatchObject({ exitCode: 130, message: expect.stringMatching(/interrupted by SIGINT/) });
    else expect(first!.status).toBe('applied');
    expect(rest.map((t) => t.status)).toEqual(['not started', 'not started']);
    expect(await migrated(y)).toBe(false);
    expect(await migrated(z)).toBe(false);
    // No lock left behind: the re-run finishes at once.
    const again = await dbkit(['migrate', '--targets', file, '--lock-timeout', '5', '--json']);
    expect(again.code, again.stdout).toBe(0);
    expect(json<FleetDoc>(again).totals).toMatchObject({ failed: 0, notStarted: 0 });
  }, 120_000);

  it('on a terminal: a line per target as it finishes, below a progress bar', async () => {
    const file = write('tty.json', { targets: [{ name: 'a', url: a.url }, { name: 'b', url: b.url }, { name: 'c', url: c.url }] });
    const r = await onPty(`node ${bin} status --targets ${file} --concurrency 2`, [], { cwd: repoRoot, env: { NO_COLOR: '1', DATABASE_URL: '' }, timeoutMs: 60_000, keepEscapes: true });
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain(TEST_PASSWORD);
    expect(r.screen).toMatch(/\r\[[=> ]{24}\] \d\/3 {2}\d running/);
    expect(r.screen).toMatch(/\[={24}\] 3\/3 {2}0 running/);
    const text = r.screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').split(/\r?\n|\r/);
    // a and b were migrated by the tests above, c never.
    expect(text).toEqual(expect.arrayContaining([expect.stringMatching(/^a +up to date +\d/), expect.stringMatching(/^c +behind +\d+ pending/)]));
    expect(text).toContainEqual(expect.stringMatching(/^status over 3 targets in .*: 2 up to date, 1 behind$/));
  }, 120_000);
});
