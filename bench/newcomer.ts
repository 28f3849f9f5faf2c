/**
 * bench/newcomer: what a newcomer or a CI job with a fresh checkout pays
 * (issue 22, acceptance 1 and 2).
 *
 *   npm run bench:newcomer                  # builds, then runs this
 *   node dist/bench/newcomer.js [--later 5] [--runs 15] [--ref REF]
 *
 * 1. A fresh clone (`git clone` of this checkout's HEAD, or of --ref REF, an
 *    earlier commit for a figure before; into a temporary directory;
 *    uncommitted changes are not in it), `npm ci` (npm's own cache
 *    of the packages is used), then the README's quick-start command (read
 *    from the README: the line `npm ci && <command>`), timed:
 *    - its first run, against later runs of the same command from the same
 *      state (./.dbkit removed before each; median of --later, default 5).
 *      Goal: first <= 1.5x later. The run straight after the first (the
 *      database there: nothing to do) is printed too;
 *    - the same for `npx dbkit migrate` (npx given a cache of its own, so its
 *      first run links the checkout and runs its `prepare`), for the record;
 *    - wall time, and CPU time (user + system of everything the command
 *      started, from the shell's `times`: it moves less on a shared machine);
 *    - every file under dist/, by content and modification time, before
 *      (after `npm ci`) and after all of it. Goal: no change.
 * 2. The documented pipeline command, `./dbkit status`, against `node
 *    dist/cli/dbkit.cjs status`, on PGlite and on PostgreSQL (a throwaway
 *    server with stock settings, or DBKIT_BENCH_PG_URL), in the clone:
 *    bench/newcomer-pipeline.ts. Goal: <= 1.15x.
 *
 * Every child runs the same Node as this script (its directory first on
 * PATH, so the launcher's `node` is this one). Exits 0 whatever the figures
 * (it is a report); 1 when something fails to run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeChanges, treeHashes } from '../test/support/tree-hash.js';
import { pipelineCommand, PIPELINE_GOAL } from './newcomer-pipeline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';
import { expectCode, runTimed } from './timed-run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench -> checkout
const FIRST_GOAL = 1.5;

/** The README's quick-start command: the first line of its first sh block under "## Quick start", `npm ci && <command>`. */
function quickStartCommand(readme: string): string {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start'));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section);
  const first = block?.[1]!.split('\n').find((l) => l.trim() !== '');
  const m = first && /^npm ci && (.+?)\s*(?:#.*)?$/.exec(first);
  if (!m) throw new Error(`README.md: the quick start's first command is not "npm ci && <command>" (found: ${first ?? 'no sh block under "## Quick start"'})`);
  return m[1]!;
}

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface Sample {
  ms: number;
  /** CPU time (user + system) of the command and everything it started. */
  cpuMs: number;
}
const both = (s: Sample): string => `${secs(s.ms)} (CPU ${secs(s.cpuMs)})`;

/** A shell command, timed whole; its CPU time from the shell's `times` (its children's line, the last). */
async function shTimed(cmd: string, cwd: string): Promise<Sample> {
  const ran = expectCode(await runTimed('sh', ['-c', `${cmd}\ns=$?; times >&2; exit $s`], cwd), cmd, [0]);
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s\s*$/.exec(ran.stderr);
  if (!m) throw new Error(`${cmd}: no CPU times from the shell's times in:\n${ran.stderr.slice(-500)}`);
  const [, um, us, sm, ss] = m.map(Number) as [number, number, number, number, number];
  return { ms: ran.ms, cpuMs: (um * 60 + us + sm * 60 + ss) * 1000 };
}

async function main(cleanups: Array<() => Promise<void>>): Promise<void> {
  const later = intOption('--later', 5);
  const runs = intOption('--runs', 15);
  process.env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  const started = performance.now();
  const ref = stringOption('--ref', 'HEAD');
  const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
  const out: string[] = [];
  const log = (s: string): void => {
    out.push(s);
    process.stderr.write(`${s}\n`);
  };
  log(`bench:newcomer: ${head}${dirty && ref === 'HEAD' ? ' (this checkout has uncommitted changes: the clone has not)' : ''}, Node ${process.version}, npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // 1. A fresh clone and npm ci.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-bench-newcomer-'));
  cleanups.push(async () => fs.rmSync(scratch, { recursive: true, force: true }));
  const clone = path.join(scratch, 'dbkit');
  expectCode(await runTimed('git', ['clone', '--quiet', ROOT, clone], scratch), 'git clone', [0]);
  expectCode(await runTimed('git', ['checkout', '--quiet', head], clone), `git checkout ${head}`, [0]);
  const ci = await shTimed('npm ci --prefer-offline --no-audit --no-fund >/dev/null', clone);
  log(`  npm ci (installs and builds): ${both(ci)}`);
  const dist = path.join(clone, 'dist');
  const afterCi = treeHashes(dist);
  // npx from here on gets a cache of its own (npm ci above used the usual one, for the packages).
  process.env.npm_config_cache = path.join(scratch, 'npm-cache');

  const command = quickStartCommand(fs.readFileSync(path.join(clone, 'README.md'), 'utf8'));
  const fresh = (): void => fs.rmSync(path.join(clone, '.dbkit'), { recursive: true, force: true });
  const firstLater = async (cmd: string): Promise<{ first: Sample; again: Sample; later: Sample }> => {
    fresh();
    const first = await shTimed(cmd, clone);
    const again = await shTimed(cmd, clone);
    const times: Sample[] = [];
    for (let i = 0; i < later; i++) {
      fresh();
      times.push(await shTimed(cmd, clone));
    }
    return { first, again, later: { ms: median(times.map((t) => t.ms)), cpuMs: median(times.map((t) => t.cpuMs)) } };
  };
  const quick = await firstLater(command);
  const quickRatio = quick.first.ms / quick.later.ms;
  const npx = await firstLater('npx dbkit migrate');
  const changes = treeChanges(afterCi, treeHashes(dist));
  const untracked = expectCode(await runTimed('git', ['status', '--porcelain'], clone, { capture: true }), 'git status', [0]).stdout.trim();

  const lines = [
    `newcomer: a fresh clone of ${head}, npm ci (${both(ci)}), then the quick start's \`${command}\``,
    `  first run ${both(quick.first)}; later runs from the same state (no ./.dbkit) ${both(quick.later)} (medians of ${later}); right after the first (nothing to do) ${both(quick.again)}`,
    `  ratio first / later: ${quickRatio.toFixed(2)} (goal <= ${FIRST_GOAL}: ${quickRatio <= FIRST_GOAL ? 'PASS' : 'FAIL'}); CPU ${(quick.first.cpuMs / quick.later.cpuMs).toFixed(2)}`,
    `  npx dbkit migrate (npx's first run links the checkout into its cache and runs its prepare): first ${both(npx.first)}, later ${both(npx.later)}, right after ${both(npx.again)}; ` +
      `ratio first / later ${(npx.first.ms / npx.later.ms).toFixed(2)}, CPU ${(npx.first.cpuMs / npx.later.cpuMs).toFixed(2)}`,
    `  files under dist/ changed after npm ci (${afterCi.size} files, by content and time): ${changes.length === 0 ? 'none: PASS' : `${changes.length}: FAIL\n    ${changes.slice(0, 10).join('\n    ')}`}`,
    `  untracked or changed in the clone: ${untracked ? untracked.split('\n').join(', ') : 'none'}`,
  ];
  for (const l of lines) log(l);

  // 2. The pipeline command.
  if (!fs.existsSync(path.join(clone, 'dbkit'))) {
    log(`pipeline: ${head} has no launcher (./dbkit): not measured`);
    console.log(`\nsummary (bench took ${((performance.now() - started) / 1000).toFixed(0)} s)\n${out.join('\n')}`);
    return;
  }
  log(`pipeline: status, ${runs} rounds interleaved (median wall time of the whole process)`);
  const results = await pipelineCommand(clone, runs, cleanups, log);

  console.log(`\nsummary (bench took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  console.log(out.join('\n'));
  const pass = quickRatio <= FIRST_GOAL && changes.length === 0 && results.every((r) => r.ratio <= PIPELINE_GOAL);
  console.log(`acceptance 1 and 2: ${pass ? 'PASS' : 'FAIL'}`);
}

const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | null = null;
const cleanup = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => process.stderr.write(`bench:newcomer: cleanup: ${String(err)}\n`));
  })());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`bench:newcomer: ${signal}, stopping\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

main(cleanups)
  .catch((err: unknown) => {
    process.stderr.write(`bench:newcomer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
