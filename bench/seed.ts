/**
 * bench/seed: the whole `dbkit seed` process against Knex `batchInsert`
 * (chunks of 1000) and against the raw bulk path (COPY / LOAD DATA) of the
 * same pre-generated rows, on PostgreSQL (agents) and MariaDB (chat), all in
 * one run; then peak memory of `dbkit seed` at 10x the users against 1x.
 *
 *   npm run bench:seed                                # builds, then runs this
 *   node dist/bench/seed.js --users 400 --runs 9 --memory-factor 10 [--only postgres|mariadb] [--settings stock|tuned|both] [--compare REF]
 *
 * Servers (test/support/servers.ts), throwaway, started here: the system's
 * PostgreSQL (initdb/postgres from /usr/lib/postgresql/<n>/bin) and MariaDB
 * (mariadbd). The headline figures are on their STOCK settings, as a
 * developer's or a CI service's server has them (PostgreSQL: fsync,
 * synchronous_commit and full_page_writes on; MariaDB: a redo log flush per
 * commit, the doublewrite buffer, default buffer pool and redo log); the
 * second set on the TUNED throwaway settings the test suite uses (PostgreSQL
 * without fsync, synchronous commits and full-page writes; MariaDB without
 * the per-commit flush and the doublewrite buffer). DBKIT_BENCH_PG_URL /
 * DBKIT_BENCH_MYSQL_URL: bench an existing server instead (its settings as
 * they are: one set of figures). All methods run against the same server.
 *
 * Goals (issue 4): PostgreSQL batchInsert/seed >= 2.5 and COPY/seed >= 0.7
 * (raw COPY both as text and in the binary format dbkit writes);
 * MariaDB batchInsert/seed >= 1.5; peak RSS at 10x <= 1.5x that at 1x.
 * Exits 0 whatever the ratios (it is a report); 1 when something fails to run.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driverSql } from '../src/db/sql.js';
import { seedPassword } from '../src/seed/generate.js';
import { hashPassword } from '../src/seed/password.js';
import { SeedTarget } from '../src/seed/target.js';
import type { Dialect } from '../src/schema/model.js';
import { generators } from '../seeds/index.js';
import { startMariadbServer, startSystemPostgres, type Server } from '../test/support/servers.js';
import { pregenerate, timeBatchInsert, timeRawBulk, type TableRows } from './seed-baselines.js';
import { describeProfiles, profiled, serverProbe, type Profile, type ServerProbe } from './seed-profile.js';
import { baselineCli } from './baseline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'dbkit.cjs');
const PROBE = join(ROOT, 'dist', 'bench', 'rss-probe.js');
const DB = 'dbkit_bench_seed';
const SEED = 20261123;

interface Engine {
  label: string;
  adminUrl: string;
  dialect: Dialect;
  schema: string;
  url: string;
  namespace: string;
  goals: { batch: number; raw?: number };
}

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function dbkit(args: string[], preload = false, cli = CLI): Promise<Proc> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn(process.execPath, [...(preload ? ['--import', PROBE] : []), cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, seconds: (performance.now() - start) / 1000 }));
  });
}

async function must(args: string[], preload = false, cli = CLI): Promise<Proc> {
  const p = await dbkit(args, preload, cli);
  if (p.code !== 0) throw new Error(`dbkit ${args.join(' ')} exited ${p.code}: ${p.stderr.trim()}`);
  return p;
}

async function prepare(adminUrl: string, dialect: Dialect, schema: string): Promise<{ url: string; namespace: string }> {
  const admin = await driverSql(dialect === 'postgres' ? 'postgres' : 'mysql', adminUrl, undefined, () => undefined);
  try {
    const q = dialect === 'postgres' ? '"' : '`';
    await admin.query(`DROP DATABASE IF EXISTS ${q}${DB}${q}`);
    await admin.query(`CREATE DATABASE ${q}${DB}${q}`);
  } finally {
    await admin.close();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${DB}`;
  await must(['migrate', '--url', u.href, '--schema', schema, '--quiet']);
  return { url: u.href, namespace: dialect === 'postgres' ? 'public' : DB };
}

async function truncate(e: Engine): Promise<void> {
  const sql = await driverSql(e.dialect === 'postgres' ? 'postgres' : 'mysql', e.url, undefined, () => undefined);
  try {
    await new SeedTarget(sql, e.dialect, e.namespace, generators[e.schema]!.tables.map((t) => t.name)).truncate();
  } finally {
    await sql.close();
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function seedProcess(e: Engine, users: number, preload = false, empty = true, cli = CLI): Promise<{ seconds: number; rows: number; how: string; rssKb: number }> {
  if (empty) await truncate(e);
  const p = await must(['seed', '--url', e.url, '--schema', e.schema, '--users', String(users), '--seed', String(SEED), '--json'], preload, cli);
  const rss = /dbkit-bench-maxrss-kb=(\d+)/.exec(p.stderr);
  const report = JSON.parse(p.stdout) as { rows: number; method: string; foreignKeys: string };
  return { seconds: p.seconds, rows: report.rows, how: `${report.method}, foreign keys ${report.foreignKeys}`, rssKb: rss ? Number(rss[1]) : NaN };
}

async function benchEngine(e: Engine, users: number, runs: number, memoryFactor: number, before: { ref: string; cli: string } | null): Promise<void> {
  const tables: TableRows[] = await pregenerate(e.schema, e.dialect, users, SEED);
  const expected = tables.reduce((n, t) => n + t.rows.length, 0);
  console.log(`\n${e.label}: ${e.schema} schema, ${fmt(users)} users = ${fmt(expected)} rows, ${runs} runs interleaved (median)`);
  const binary = e.dialect === 'postgres';
  const probe: ServerProbe = await serverProbe(e.dialect, e.adminUrl);
  const profiles = { seed: [] as Profile[], batch: [] as Profile[], raw: [] as Profile[], rawBinary: [] as Profile[], before: [] as Profile[] };
  let how = '';
  try {
    await seedProcess(e, Math.min(users, 20)); // warm-up: caches, JIT of the server
    for (let r = 0; r < runs; r++) {
      await truncate(e);
      profiles.seed.push(
        await profiled(probe, 'child', async () => {
          const s = await seedProcess(e, users, false, false);
          if (s.rows !== expected) throw new Error(`dbkit seed wrote ${s.rows} rows, the pre-generated set has ${expected}: not the same rows`);
          how = s.how;
          return s.seconds;
        }),
      );
      if (before) {
        await truncate(e);
        profiles.before.push(await profiled(probe, 'child', async () => (await seedProcess(e, users, false, false, before.cli)).seconds));
      }
      await truncate(e);
      profiles.batch.push(await profiled(probe, 'self', () => timeBatchInsert(e.dialect, e.url, tables)));
      await truncate(e);
      profiles.raw.push(await profiled(probe, 'self', () => timeRawBulk(e.dialect, e.url, e.namespace, tables)));
      if (binary) {
        await truncate(e);
        profiles.rawBinary.push(await profiled(probe, 'self', () => timeRawBulk(e.dialect, e.url, e.namespace, tables, 'binary')));
      }
    }
  } finally {
    await probe.close();
  }
  const times = (ps: Profile[]) => ps.map((p) => p.wall);
  const [seed, batch, raw] = [median(times(profiles.seed)), median(times(profiles.batch)), median(times(profiles.raw))];
  const rawName = e.dialect === 'postgres' ? 'raw COPY FROM STDIN' : 'raw LOAD DATA LOCAL INFILE';
  const runsOf = (ps: Profile[]) => `runs ${times(ps).map((t) => t.toFixed(2)).join(', ')}`;
  console.log(`  dbkit seed (whole process)        ${seed.toFixed(2)} s  (${fmt(Math.round(expected / seed))} rows/s; ${how}; ${runsOf(profiles.seed)})`);
  console.log(`  Knex batchInsert, 1000 per chunk  ${batch.toFixed(2)} s  (${runsOf(profiles.batch)})`);
  console.log(`  ${rawName.padEnd(32)} ${raw.toFixed(2)} s  (pre-generated, pre-encoded as text; ${runsOf(profiles.raw)})`);
  if (binary) console.log(`  ${'raw COPY FROM STDIN, binary'.padEnd(32)} ${median(times(profiles.rawBinary)).toFixed(2)} s  (pre-generated, pre-encoded as dbkit does; ${runsOf(profiles.rawBinary)})`);
  if (before) {
    const old = median(times(profiles.before));
    console.log(`  ${before.ref} dbkit seed (same rounds)     ${old.toFixed(2)} s  (${runsOf(profiles.before)}); this build / ${before.ref}: ${(seed / old).toFixed(2)} (no slower: ${seed <= old ? 'yes' : 'NO'})`);
  }
  console.log(`  ratio batchInsert / dbkit seed: ${(batch / seed).toFixed(2)} (goal >= ${e.goals.batch}: ${verdict(batch / seed >= e.goals.batch)})`);
  const rawGoal = e.goals.raw;
  const goal = (ratio: number) => (rawGoal ? ` (goal >= ${rawGoal}: ${verdict(ratio >= rawGoal)})` : '');
  console.log(`  ratio ${rawName} / dbkit seed: ${(raw / seed).toFixed(2)}${goal(raw / seed)}`);
  if (binary) console.log(`  ratio raw COPY FROM STDIN, binary / dbkit seed: ${(median(times(profiles.rawBinary)) / seed).toFixed(2)}${goal(median(times(profiles.rawBinary)) / seed)}`);
  console.log('  where the time goes (medians; client CPU: the dbkit process, or this one for the baselines):');
  console.log(`    dbkit seed     ${describeProfiles(profiles.seed)}`);
  console.log(`    batchInsert    ${describeProfiles(profiles.batch)}`);
  console.log(`    raw text       ${describeProfiles(profiles.raw)}`);
  if (binary) console.log(`    raw binary     ${describeProfiles(profiles.rawBinary)}`);

  const hashStart = performance.now();
  for (let n = 1; n <= users; n++) {
    const { password, salt } = seedPassword(SEED, n);
    await hashPassword(password, salt);
  }
  const hashing = (performance.now() - hashStart) / 1000;
  console.log(`  password hashing: ${(hashing * 1000).toFixed(0)} ms of CPU for ${fmt(users)} users, one after another (${((hashing / seed) * 100).toFixed(0)}% of dbkit seed's time; it runs on the thread pool meanwhile)`);

  if (memoryFactor > 1) {
    const one = await seedProcess(e, users, true);
    const many = await seedProcess(e, users * memoryFactor, true);
    const ratio = many.rssKb / one.rssKb;
    console.log(
      `  peak RSS of dbkit seed: ${fmt(users)} users ${(one.rssKb / 1024).toFixed(0)} MB; ${fmt(users * memoryFactor)} users ` +
        `(${fmt(many.rows)} rows, ${many.seconds.toFixed(1)} s) ${(many.rssKb / 1024).toFixed(0)} MB: ratio ${ratio.toFixed(2)} (goal <= 1.5: ${verdict(ratio <= 1.5)})`,
    );
  }
}

type Settings = 'stock' | 'tuned';

/** The servers of one set of settings: started here, or the ones the environment names. */
async function serversFor(settings: Settings, only: string | undefined): Promise<{ pg?: Server; mysql?: Server; stop(): Promise<void> }> {
  const started: Server[] = [];
  const given = (env: string): Server | undefined => (process.env[env] ? { url: process.env[env]!, description: `the server in ${env}`, stop: async () => undefined } : undefined);
  const track = async (s: Promise<Server>) => {
    const server = await s;
    started.push(server);
    return server;
  };
  const stop = async () => void (await Promise.allSettled(started.map((s) => s.stop())));
  try {
    const pg = only === 'mariadb' ? undefined : (given('DBKIT_BENCH_PG_URL') ?? (await track(startSystemPostgres({ stock: settings === 'stock' }))));
    const mysql = only === 'postgres' ? undefined : (given('DBKIT_BENCH_MYSQL_URL') ?? (await track(startMariadbServer(settings === 'stock' ? { stock: true } : { mariadbDefaults: true }))));
    return { pg, mysql, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(): Promise<void> {
  const users = intOption('--users', 400);
  const runs = intOption('--runs', 9);
  const memoryFactor = intOption('--memory-factor', 10);
  // --compare REF: that build's `dbkit seed` in the same rounds (built once into bench/.work/).
  const ref = stringOption('--compare', null);
  const before = ref ? { ref, cli: baselineCli(ROOT, ref) } : null;
  const argv = process.argv.slice(2);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'postgres' && only !== 'mariadb') throw new Error(`--only takes postgres or mariadb, got "${only}"`);
  const which = argv.includes('--settings') ? argv[argv.indexOf('--settings') + 1] : 'both';
  if (which !== 'stock' && which !== 'tuned' && which !== 'both') throw new Error(`--settings takes stock, tuned or both, got "${which}"`);
  const external = !!(process.env.DBKIT_BENCH_PG_URL || process.env.DBKIT_BENCH_MYSQL_URL);
  const sets: Settings[] = external ? ['stock'] : which === 'both' ? ['stock', 'tuned'] : [which];
  for (const settings of sets) {
    const servers = await serversFor(settings, only);
    try {
      const title = external ? 'servers from DBKIT_BENCH_PG_URL / DBKIT_BENCH_MYSQL_URL, settings as they are' : settings === 'stock' ? 'STOCK server settings (headline)' : 'TUNED throwaway settings';
      console.log(`\n=== ${title}: ${[servers.pg, servers.mysql].filter(Boolean).map((s) => s!.description).join('; ')}`);
      if (servers.pg) {
        const pg = await prepare(servers.pg.url, 'postgres', 'agents');
        await benchEngine({ label: 'PostgreSQL', adminUrl: servers.pg.url, dialect: 'postgres', schema: 'agents', ...pg, goals: { batch: 2.5, raw: 0.7 } }, users, runs, memoryFactor, before);
      }
      if (servers.mysql) {
        const my = await prepare(servers.mysql.url, 'mysql', 'chat');
        await benchEngine({ label: 'MariaDB', adminUrl: servers.mysql.url, dialect: 'mysql', schema: 'chat', ...my, goals: { batch: 1.5 } }, users, runs, memoryFactor, before);
      }
    } finally {
      await servers.stop();
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench/seed failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
