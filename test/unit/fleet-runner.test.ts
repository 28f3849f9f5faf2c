/**
 * The fleet's scheduler (src/fleet/runner.ts), its exit code and its
 * renderers (src/fleet/render.ts), on made-up outcomes: no database.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/fleet/command.js';
import { statusOf, type TargetOutcome } from '../../src/fleet/outcome.js';
import { runPool, type PoolOptions } from '../../src/fleet/runner.js';
import { fleetJson, fleetTotals, renderProgress, renderSummary, renderTargetLine, type FleetReport } from '../../src/fleet/render.js';

const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i + 1}`);

/** A run whose targets take turns on the event loop; `fails` names the failing ones. Records start order and the most running at once. */
function simulated(fails: string[] = []) {
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const run = async (name: string) => {
    started.push(name);
    most = Math.max(most, ++running);
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    running--;
    return { name, failed: fails.includes(name) };
  };
  return { run, started, most: () => most };
}

const opts = (o: Partial<PoolOptions> = {}): PoolOptions => ({ concurrency: 3, canary: new Set(), onError: 'continue', ...o });
const failed = (r: { failed: boolean }) => r.failed;

describe('runPool', () => {
  it('runs every target, never more than --concurrency at once', async () => {
    const s = simulated();
    const out = await runPool(names(10), s.run, failed, opts({ concurrency: 3 }));
    expect(out.results.size).toBe(10);
    expect(out.notStarted).toEqual([]);
    expect(out.stoppedBy).toBeNull();
    expect(s.most()).toBe(3);
    expect(s.started).toEqual(names(10));
  });

  it('runs the canaries first, all of them before any other', async () => {
    const s = simulated();
    const order: string[] = [];
    await runPool(names(6), s.run, failed, opts({ concurrency: 4, canary: new Set(['t5', 't2']) }), { onFinish: (n) => order.push(n) });
    expect(s.started.slice(0, 2)).toEqual(['t2', 't5']);
    expect(order.slice(0, 2).sort()).toEqual(['t2', 't5']);
    expect(s.started.slice(2)).toEqual(['t1', 't3', 't4', 't6']);
  });

  it('starts nothing else when a canary fails (the other canaries included)', async () => {
    const s = simulated(['t1']);
    const out = await runPool(names(5), s.run, failed, opts({ concurrency: 1, canary: new Set(['t1', 't2']) }));
    expect(s.started).toEqual(['t1']);
    expect(out.notStarted).toEqual(['t2', 't3', 't4', 't5']);
    expect(out.stoppedBy).toBe('canary');
  });

  it('--on-error stop starts no new target after a failure; the running ones finish', async () => {
    const s = simulated(['t2']);
    const out = await runPool(names(8), s.run, failed, opts({ concurrency: 2, onError: 'stop' }));
    expect(out.stoppedBy).toBe('error');
    // t1 and t2 ran together; t3 started when t1 finished, before t2's failure was known.
    expect([...out.results.keys()].sort()).toEqual(['t1', 't2', 't3']);
    expect(out.notStarted).toEqual(['t4', 't5', 't6', 't7', 't8']);
  });

  it('--on-error continue runs the rest after a failure', async () => {
    const s = simulated(['t2']);
    const out = await runPool(names(8), s.run, failed, opts({ concurrency: 2 }));
    expect(out.results.size).toBe(8);
    expect(out.stoppedBy).toBeNull();
  });

  it('an aborted signal starts nothing new', async () => {
    const controller = new AbortController();
    const s = simulated();
    const out = await runPool(names(6), s.run, failed, opts({ concurrency: 2, signal: controller.signal }), {
      onFinish: (n) => n === 't1' && controller.abort(),
    });
    expect(out.stoppedBy).toBe('interrupt');
    expect(out.results.has('t1')).toBe(true);
    expect(out.notStarted.length).toBeGreaterThanOrEqual(3);
    expect(s.started.length + out.notStarted.length).toBe(6);
  });
});

const outcome = (o: Partial<TargetOutcome> & Pick<TargetOutcome, 'name' | 'status'>): TargetOutcome => ({
  tags: [],
  url: `postgres://app:****@db:5432/${o.name}`,
  engine: 'postgres',
  schema: 'agents',
  namespace: 'public',
  exitCode: 0,
  ms: 1234,
  warnings: [],
  error: null,
  ...o,
});

describe('the exit code of a fleet run', () => {
  it('is 0 when every target ran clean, skipped ones aside', () => {
    expect(exitCodeOf([outcome({ name: 'a', status: 'applied' }), outcome({ name: 'b', status: 'skipped', exitCode: null })], false)).toBe(0);
  });
  it('is 1 when some failed, found something or never started', () => {
    expect(exitCodeOf([outcome({ name: 'a', status: 'applied' }), outcome({ name: 'b', status: 'failed', exitCode: 3 })], false)).toBe(1);
    expect(exitCodeOf([outcome({ name: 'a', status: 'drift', exitCode: 1 })], false)).toBe(1);
    expect(exitCodeOf([outcome({ name: 'a', status: 'failed', exitCode: 3 }), outcome({ name: 'b', status: 'not started', exitCode: null })], false)).toBe(1);
  });
  it('is 2 when every target failed on a usage error, 130 when interrupted', () => {
    expect(exitCodeOf([outcome({ name: 'a', status: 'failed', exitCode: 2 }), outcome({ name: 'b', status: 'failed', exitCode: 2 })], false)).toBe(2);
    expect(exitCodeOf([outcome({ name: 'a', status: 'applied' })], true)).toBe(130);
  });
});

describe('statusOf', () => {
  it('maps each command\'s document to a status word', () => {
    expect(statusOf('migrate', 0, { migrations: [{ name: 'm' }] })).toBe('applied');
    expect(statusOf('migrate', 0, { migrations: [] })).toBe('up to date');
    expect(statusOf('status', 1, { upToDate: false })).toBe('behind');
    expect(statusOf('diff', 0, { clean: true })).toBe('clean');
    expect(statusOf('check-indexes', 1, { ok: false })).toBe('problems');
    expect(statusOf('diff', 1, null)).toBe('failed');
  });
});

describe('renderers', () => {
  const targets: TargetOutcome[] = [
    outcome({ name: 'tenant-1', status: 'applied', migrations: [{ name: '20250101000100_create_users', ms: 12 }, { name: '20250101000200_create_sessions', ms: 30 }] }),
    outcome({ name: 'tenant-2', status: 'up to date', migrations: [], ms: 80 }),
    outcome({
      name: 'down',
      status: 'failed',
      exitCode: 3,
      ms: 5,
      error: { exitCode: 3, message: 'cannot connect to postgres://app:****@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1' },
    }),
    outcome({ name: 'later', status: 'not started', exitCode: null, ms: null }),
    outcome({ name: 'elsewhere', status: 'skipped', exitCode: null, ms: null }),
  ];
  const report: FleetReport = { command: 'migrate', file: 'fleet.yaml', concurrency: 8, onError: 'stop', canary: [], only: ['tag:eu'], stoppedBy: 'error', ms: 4321, exitCode: 1, targets };

  it('a line per finished target', () => {
    expect(renderTargetLine(targets[0]!, { color: false, nameWidth: 9 })).toBe('tenant-1   applied      2 migrations, 1.23 s');
    expect(renderTargetLine(targets[1]!, { color: false, nameWidth: 9 })).toBe('tenant-2   up to date   0.08 s');
    expect(renderTargetLine(targets[2]!, { color: false, nameWidth: 9 })).toBe(
      'down       failed       exit 3: cannot connect to postgres://app:****@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('findings and warnings indented under the line', () => {
    const drift = outcome({
      name: 'd',
      status: 'drift',
      exitCode: 1,
      result: { clean: false, changes: [{ kind: 'index_missing', table: 'runs', message: 'Index idx_runs_status on runs is missing.' }] },
      warnings: ['warning: 2 migration(s) of agents are pending here (dbkit status): differences may be just that'],
    });
    expect(renderTargetLine(drift, { color: false, nameWidth: 1 }).split('\n')).toEqual([
      'd  drift        1 difference, 1.23 s',
      '    - Index idx_runs_status on runs is missing.',
      '    warning: 2 migration(s) of agents are pending here (dbkit status): differences may be just that',
    ]);
    const behind = outcome({ name: 'b', status: 'behind', result: { upToDate: false, counts: { applied: 3, pending: 4, changed: 1, missing: 0 } } });
    expect(renderTargetLine(behind, { color: false, nameWidth: 1 })).toBe('b  behind       4 pending, 1 changed, 1.23 s');
  });

  it('the summary names the failed and the not started', () => {
    expect(renderSummary(report, { color: false }).split('\n')).toEqual([
      'migrate over 5 targets in 4.32 s (concurrency 8): 1 applied, 1 up to date, 1 failed, 1 skipped, 1 not started',
      'failed: down (exit 3)',
      'stopped after a failure (--on-error stop): 1 not started (later)',
      'a re-run of the same command migrates only what is left',
    ]);
  });

  it('the JSON document: totals and every target in file order', () => {
    const doc = fleetJson(report);
    expect(doc).toMatchObject({ command: 'migrate', ok: false, exitCode: 1, stoppedBy: 'error', only: ['tag:eu'] });
    expect(doc.totals).toEqual({ targets: 5, applied: 1, upToDate: 1, failed: 1, skipped: 1, notStarted: 1, migrations: 2 });
    expect(doc.targets.map((t) => t.name)).toEqual(['tenant-1', 'tenant-2', 'down', 'later', 'elsewhere']);
    expect(fleetTotals({ command: 'diff', targets: [outcome({ name: 'x', status: 'drift' })] })).toEqual({ targets: 1, clean: 0, drift: 1, failed: 0, skipped: 0, notStarted: 0 });
  });

  it('the progress bar', () => {
    expect(renderProgress({ done: 0, total: 60, running: 8, failed: 0, elapsedMs: 500 }, 10)).toBe('[>         ] 0/60  8 running  0.5 s');
    expect(renderProgress({ done: 30, total: 60, running: 8, failed: 2, elapsedMs: 4210 }, 10)).toBe('[=====>    ] 30/60  8 running  2 failed  4.2 s');
    expect(renderProgress({ done: 60, total: 60, running: 0, failed: 0, elapsedMs: 9000 }, 10)).toBe('[==========] 60/60  0 running  9.0 s');
  });
});
