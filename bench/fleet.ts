/**
 * bench/fleet: `dbkit migrate --targets` at `--concurrency 8` against a
 * sequential shell loop of single `dbkit migrate --url` runs, over the same
 * number of fresh PostgreSQL databases (50 by default), each side on
 * databases of its own, interleaved, median of the runs. Goal (issue 13):
 * the fleet at least 4x faster. Also reported: the fleet at --concurrency 1
 * (in one process, one target at a time: what running in-process saves by
 * itself).
 *
 *   npm run bench:fleet                           # builds, then runs this
 *   node dist/bench/fleet.js --runs 5 --targets 50 --concurrency 8
 *
 * - The server: a throwaway PostgreSQL from the system's binaries with its
 *   stock settings (fsync on; test/support/servers.ts startSystemPostgres),
 *   or DBKIT_BENCH_PG_URL (an admin URL: the bench creates and drops its own
 *   databases there).
 * - Each side of each run gets fresh databases (CREATE DATABASE, outside the
 *   timing); every process's exit code and the fleet's JSON totals are
 *   checked, and every database must end with the same migrations recorded.
 * - The time of a side is the whole thing as a pipeline sees it: spawn to
 *   exit of the one fleet process, or of the `bash` loop.
 *
 * Exits 0 whatever the ratio (it is a report); non-zero when something fails to run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startSystemPostgres, type Server } from '../test/support/servers.js';
import { intOption } from './options.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench -> checkout
const CLI = join(ROOT, 'dist', 'cli', 'dbkit.cjs');
const GOAL = 4;

const RUNS = intOption('--runs', 5);
const TARGETS = intOption('--targets', 50);
const CONCURRENCY = intOption('--concurrency', 8);

async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** `n` fresh databases named <prefix>_<i>, a few at a time. */
async function freshDatabases(admin: string, prefix: string, n: number): Promise<string[]> {
  const names = Array.from({ length: n }, (_, i) => `${prefix}_${String(i).padStart(3, '0')}`);
  for (let i = 0; i < names.length; i += 5) await Promise.all(names.slice(i, i + 5).map((d) => sql(admin, `CREATE DATABASE "${d}"`)));
  return names.map((d) => withDatabase(admin, d));
}

async function dropDatabases(admin: string, urls: string[]): Promise<void> {
  for (let i = 0; i < urls.length; i += 5) {
    await Promise.all(urls.slice(i, i + 5).map((u) => sql(admin, `DROP DATABASE IF EXISTS "${new URL(u).pathname.slice(1)}" WITH (FORCE)`)));
  }
}

interface Ran {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ ms: performance.now() - started, code: code ?? -1, stdout, stderr }));
  });
}

function check(ran: Ran, what: string): Ran {
  if (ran.code !== 0) throw new Error(`${what} exited ${ran.code}:\n${ran.stderr.slice(-2000)}`);
  return ran;
}

async function fleetSide(dir: string, urls: string[], concurrency: number): Promise<number> {
  const file = join(dir, `targets-${concurrency}.json`);
  await writeFile(file, JSON.stringify({ targets: urls.map((url, i) => ({ name: `db-${i}`, url })) }));
  const ran = check(await timed(process.execPath, [CLI, 'migrate', '--targets', file, '--concurrency', String(concurrency), '--json']), `migrate --targets (concurrency ${concurrency})`);
  const totals = (JSON.parse(ran.stdout) as { totals: { applied: number } }).totals;
  if (totals.applied !== urls.length) throw new Error(`migrate --targets applied ${totals.applied} of ${urls.length} targets`);
  return ran.ms;
}

async function loopSide(dir: string, urls: string[]): Promise<number> {
  const list = join(dir, 'urls.txt');
  await writeFile(list, urls.join('\n') + '\n');
  const script = `while read -r u; do node "$DBKIT_CLI" migrate --url "$u" --quiet || exit 1; done < "$DBKIT_URLS"`;
  return check(await timed('bash', ['-c', script], { DBKIT_CLI: CLI, DBKIT_URLS: list }), 'the shell loop').ms;
}

async function recorded(urls: string[]): Promise<Set<number>> {
  const counts = new Set<number>();
  for (const u of urls) counts.add(Number((await sql(u, 'SELECT COUNT(*) AS n FROM dbkit_migrations'))[0]!.n));
  return counts;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  let server: Server | null = null;
  const admin = process.env.DBKIT_BENCH_PG_URL || (server = await startSystemPostgres({ stock: true })).url;
  const dir = await mkdtemp(join(tmpdir(), 'dbkit-bench-fleet-'));
  const sides = { fleet: [] as number[], loop: [] as number[], sequential: [] as number[] };
  try {
    const version = (await sql(admin, 'SHOW server_version'))[0]!.server_version;
    const fsync = (await sql(admin, 'SHOW fsync'))[0]!.fsync;
    console.log(`bench/fleet: ${TARGETS} fresh PostgreSQL ${version} databases per side (fsync ${fsync}${server ? ', stock settings' : ', DBKIT_BENCH_PG_URL'}), agents schema, ${RUNS} runs interleaved`);
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? (['fleet', 'loop', 'sequential'] as const) : (['loop', 'sequential', 'fleet'] as const);
      const line: string[] = [];
      for (const side of order) {
        const urls = await freshDatabases(admin, `bench_fleet_${process.pid}_${run}_${side}`, TARGETS);
        try {
          const ms = side === 'loop' ? await loopSide(dir, urls) : await fleetSide(dir, urls, side === 'fleet' ? CONCURRENCY : 1);
          const counts = await recorded(urls);
          if (counts.size !== 1) throw new Error(`${side}: the databases recorded different numbers of migrations: ${[...counts].join(', ')}`);
          sides[side].push(ms);
          line.push(`${side} ${secs(ms)}`);
        } finally {
          await dropDatabases(admin, urls);
        }
      }
      console.log(`  run ${run + 1}: ${line.join(', ')}`);
    }
    const [fleet, loop, sequential] = [median(sides.fleet), median(sides.loop), median(sides.sequential)];
    const label = (s: string) => s.padEnd(46);
    console.log(`  ${label(`dbkit migrate --targets --concurrency ${CONCURRENCY}`)} median ${secs(fleet)}  min ${secs(Math.min(...sides.fleet))}`);
    console.log(`  ${label('dbkit migrate --targets --concurrency 1')} median ${secs(sequential)}  min ${secs(Math.min(...sides.sequential))}`);
    console.log(`  ${label(`shell loop of ${TARGETS} dbkit migrate --url`)} median ${secs(loop)}  min ${secs(Math.min(...sides.loop))}`);
    console.log(`  ratio shell loop / --targets --concurrency 1 (median): ${(loop / sequential).toFixed(2)}`);
    const ratio = loop / fleet;
    console.log(`  ratio shell loop / --targets --concurrency ${CONCURRENCY} (median): ${ratio.toFixed(2)} (goal >= ${GOAL}: ${ratio >= GOAL ? 'PASS' : 'FAIL'})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await server?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench/fleet: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
