/**
 * bench/startup: wall time of `dbkit --help` and `dbkit sql` (offline, no
 * database) against a bare `node -e 0` and against `knex --help`, all
 * spawned from here one after another, interleaved, in the same run; prints
 * medians and ratios. Goal (issue 6): `dbkit --help` <= 1.3x bare Node.
 * Also `dbkit make --dry-run` of the whole agents definition into an empty
 * migrations folder (every table, from nothing: the largest change make can
 * plan). Goal (issue 12): under a second.
 *
 *   npm run bench:startup                   # builds, then runs this
 *   node dist/bench/startup.js --runs 40 [--compare REF]
 *
 * --compare REF (a tag or commit, e.g. the previous release) also times that
 * build's `dbkit --help` and `dbkit sql` in the same interleaved rounds
 * (built once into bench/.work/, bench/baseline.ts) and prints its ratios
 * beside these: "no slower than before" measured, not remembered.
 *
 * Exits 0 whatever the ratios (it is a report); 1 when a command fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baselineCli } from './baseline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'dbkit.cjs');
const KNEX_CLI = join(dirname(createRequire(import.meta.url).resolve('knex/package.json')), 'bin', 'cli.js');

/** A checkout with the definition and no migrations: `make` plans the whole schema. */
const MAKE_ROOT = mkdtempSync(join(tmpdir(), 'dbkit-bench-make-'));
cpSync(join(ROOT, 'src', 'schema'), join(MAKE_ROOT, 'src', 'schema'), { recursive: true });
mkdirSync(join(MAKE_ROOT, 'migrations'));
process.on('exit', () => rmSync(MAKE_ROOT, { recursive: true, force: true }));

const CASES: { label: string; args: string[]; env?: Record<string, string> }[] = [
  { label: 'node -e 0 (bare Node)', args: ['-e', '0'] },
  { label: 'dbkit --help', args: [CLI, '--help'] },
  { label: 'dbkit sql', args: [CLI, 'sql'] },
  { label: 'knex --help', args: [KNEX_CLI, '--help'] },
  { label: 'dbkit make --dry-run', args: [CLI, 'make', 'everything', '--schema', 'agents', '--dry-run'], env: { DBKIT_ROOT: MAKE_ROOT } },
];

function time(args: string[], env: Record<string, string> = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

function main(): void {
  const runs = intOption('--runs', 30);
  const ref = stringOption('--compare', null);
  const before = ref ? baselineCli(ROOT, ref) : null;
  const cases = before
    ? [...CASES, { label: `${ref} dbkit --help`, args: [before, '--help'] }, { label: `${ref} dbkit sql`, args: [before, 'sql'] }]
    : CASES;
  const samples = cases.map(() => [] as number[]);
  for (const c of cases) time(c.args, c.env); // warm the file cache
  for (let r = 0; r < runs; r++) cases.forEach((c, i) => samples[i]!.push(time(c.args, c.env)));
  const med = samples.map(median);
  console.log(`start-up, ${runs} runs each, interleaved (median / min), Node ${process.version}`);
  cases.forEach((c, i) => console.log(`  ${c.label.padEnd(24)} ${med[i]!.toFixed(1).padStart(6)} ms  ${Math.min(...samples[i]!).toFixed(1).padStart(6)} ms`));
  const [bare, help, sql, knex, make, oldHelp, oldSql] = med as [number, number, number, number, number, number?, number?];
  const ratio = help / bare;
  console.log(`  ratio dbkit --help / node -e 0: ${ratio.toFixed(2)} (goal <= 1.3: ${ratio <= 1.3 ? 'PASS' : 'FAIL'})`);
  console.log(`  ratio dbkit sql / node -e 0: ${(sql / bare).toFixed(2)}`);
  if (oldHelp !== undefined && oldSql !== undefined) {
    console.log(`  ${ref}: ratio dbkit --help / node -e 0: ${(oldHelp / bare).toFixed(2)}; dbkit sql / node -e 0: ${(oldSql / bare).toFixed(2)}`);
    console.log(`  this build / ${ref}: dbkit --help ${(help / oldHelp).toFixed(2)}, dbkit sql ${(sql / oldSql).toFixed(2)} (no slower: ${help <= oldHelp && sql <= oldSql ? 'yes' : 'NO'})`);
  }
  console.log(`  ratio knex --help / node -e 0: ${(knex / bare).toFixed(2)}`);
  console.log(`  dbkit make --dry-run of the whole agents definition: ${make.toFixed(0)} ms (goal < 1000 ms: ${make < 1000 ? 'PASS' : 'FAIL'})`);
}

main();
