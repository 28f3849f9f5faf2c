/**
 * bench/embedded: the embedded database's start (issue 14) against dbkit
 * v0.1.0, side by side in the same run. Goals: the first `dbkit migrate`
 * with no configuration (a new ./.dbkit/pglite) <= 0.4x v0.1.0's time, and a
 * command on an existing PGlite database <= 0.6x.
 *
 *   npm run bench:embedded                  # builds, then runs this
 *   node dist/bench/embedded.js --runs 7 --ref v0.1.0
 *
 * - Builds the baseline from the git tag (`git archive <ref>` into
 *   bench/.work/<ref>/, node_modules symlinked to this checkout's, `npm run
 *   build`); a later run reuses that build while the tag points at the same
 *   commit.
 * - Each round, in fresh temporary directories, for the baseline and this
 *   build alternately (which goes first alternates too): `dbkit migrate`
 *   with no configuration; then, on the database it made, `dbkit status` and
 *   `dbkit migrate` (nothing to do); and `dbkit migrate --url pglite:memory`.
 *   Whole processes, wall time; CPU time (all threads, user + system) beside
 *   it, from a preloaded exit hook, since on a shared machine it moves less.
 * - Prints medians, the ratios of medians with PASS/FAIL, then where the time
 *   goes (bench/embedded-phases.ts: each phase in a process of its own).
 *
 * Exits 0 whatever the ratios (it is a report); 1 when a command fails.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportPhases } from './embedded-phases.js';
import { baselineCli } from './baseline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench -> checkout
const WORK = path.join(ROOT, 'bench', '.work');
const CLI = path.join(ROOT, 'dist', 'cli', 'dbkit.cjs');

interface Sample {
  wall: number;
  cpu: number;
}

/** Preloaded into every measured process: its CPU time (all threads) on stderr at exit. */
function cpuProbe(): string {
  const file = path.join(WORK, 'cpu-probe.cjs');
  fs.mkdirSync(WORK, { recursive: true });
  fs.writeFileSync(
    file,
    "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeSync(2, '\\ndbkit-bench-cpu-us=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });\n",
  );
  return file;
}

function run(cli: string, args: string[], cwd: string, probe: string): Sample {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', probe, cli, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const stderr = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cli} ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${stderr.trim()}`);
  const cpu = Number(/dbkit-bench-cpu-us=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1000;
  return { wall, cpu };
}

const CASES = [
  { key: 'first', label: 'first dbkit migrate (new ./.dbkit)', goal: 0.4 },
  { key: 'status', label: 'dbkit status (existing database)', goal: 0.6 },
  { key: 'again', label: 'dbkit migrate (existing, up to date)', goal: 0.6 },
  { key: 'memory', label: 'dbkit migrate --url pglite:memory', goal: null },
] as const;
type CaseKey = (typeof CASES)[number]['key'];

function main(): void {
  const runs = intOption('--runs', 7);
  const ref = stringOption('--ref', 'v0.1.0');
  if (!fs.existsSync(CLI)) throw new Error('no dist/cli/dbkit.cjs: run npm run build first');
  const builds = [
    { name: ref, cli: baselineCli(ROOT, ref) },
    { name: 'this build', cli: CLI },
  ];
  const probe = cpuProbe();
  const samples = builds.map(() => new Map<CaseKey, Sample[]>(CASES.map((c) => [c.key, []])));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-bench-embedded-'));
  try {
    for (let round = 0; round <= runs; round++) {
      const order = round % 2 ? [1, 0] : [0, 1];
      const dirs = order.map((b) => fs.mkdtempSync(path.join(scratch, `r${round}-b${b}-`)));
      const steps: [CaseKey, string[], (i: number) => string][] = [
        ['first', ['migrate'], (i) => dirs[i]!],
        ['status', ['status'], (i) => dirs[i]!],
        ['again', ['migrate'], (i) => dirs[i]!],
        ['memory', ['migrate', '--url', 'pglite:memory'], (i) => dirs[i]!],
      ];
      for (const [key, args, cwd] of steps) {
        order.forEach((b, i) => {
          const s = run(builds[b]!.cli, args, cwd(i), probe);
          if (round > 0) samples[b]!.get(key)!.push(s); // round 0 warms the file cache
        });
      }
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      if (round > 0) process.stderr.write(`round ${round}/${runs} done\n`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  console.log(`embedded PGlite start, ${runs} rounds interleaved (median wall / median CPU of all threads), Node ${process.version}, ${os.cpus().length} cores`);
  console.log(`  ${''.padEnd(40)} ${ref.padStart(17)}  ${'this build'.padStart(17)}`);
  for (const c of CASES) {
    const cells = builds.map((_, b) => {
      const xs = samples[b]!.get(c.key)!;
      return `${median(xs.map((s) => s.wall)).toFixed(0).padStart(6)} ms ${median(xs.map((s) => s.cpu)).toFixed(0).padStart(6)} ms`;
    });
    console.log(`  ${c.label.padEnd(40)} ${cells[0]}  ${cells[1]}`);
  }
  for (const c of CASES) {
    const [old, cur] = builds.map((_, b) => samples[b]!.get(c.key)!);
    const ratio = median(cur!.map((s) => s.wall)) / median(old!.map((s) => s.wall));
    const cpuRatio = median(cur!.map((s) => s.cpu)) / median(old!.map((s) => s.cpu));
    const verdict = c.goal === null ? '' : ` (goal <= ${c.goal}: ${ratio <= c.goal ? 'PASS' : 'FAIL'})`;
    console.log(`  ratio ${c.label} / ${ref}: ${ratio.toFixed(2)}${verdict}; CPU ${cpuRatio.toFixed(2)}`);
  }
  if (!process.argv.includes('--no-phases')) reportPhases();
}

main();
