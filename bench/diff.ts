/**
 * bench/diff: how long `dbkit diff` takes on a PostgreSQL database with 500
 * tables, against `pg_dump --schema-only` on the same database in the same
 * run (docs/benchmarks.md: timing goals are ratios against a baseline measured in
 * the same run, never timed tests). Goal: ratio <= 1.0 on a server with its
 * stock settings.
 *
 *   npm run bench:diff                      # builds, then runs this
 *   node dist/bench/diff.js --runs 11 --tables 500 [--settings stock|tuned|stock,tuned] [--compare REF]
 *
 * - Starts a throwaway PostgreSQL from the system's binaries (test/support/servers.ts)
 *   twice, one after the other: first with its stock settings (what a developer's
 *   or a CI service container's server runs: the headline figure), then with the
 *   test suite's tuned throwaway settings (fsync, synchronous_commit and
 *   full_page_writes off: the second line). Or uses DBKIT_BENCH_PG_URL (an admin
 *   URL: the bench creates and drops its own databases there) with the pg_dump on PATH.
 * - On each, builds two databases (bench/diff-database.ts): "big" = the agents
 *   schema (dbkit migrate) + N generated tables; "small" = agents + 3 such tables.
 * - Times the whole process each way (`dbkit diff` and `dbkit diff --json` vs
 *   `pg_dump --schema-only`, stdout to /dev/null): a warm-up, then --runs rounds
 *   (default 11, or DBKIT_BENCH_RUNS), interleaved; prints median/min/max and the
 *   ratio of medians. Each round also times `node -e ''` and `dbkit --version`
 *   (start-up floors) and one `dbkit diff --verbose`, whose log lines, time-stamped
 *   as they arrive, split the CLI's time into start-up / connect / introspect / rest / exit.
 * - Checks that dbkit issues the same number of SQL statements (`sql:` lines of
 *   --verbose) on both databases, i.e. the catalog reads do not grow with the
 *   number of tables: fails otherwise.
 * - --compare REF (a tag or commit: the previous release) times that build's
 *   `dbkit diff` and `--json` in the same rounds too (bench/baseline.ts) and
 *   prints its ratios beside these.
 * - Then dbkit diff's phases in this process with the same compiled modules
 *   (warm: no start-up, no module loading).
 *
 * Exits 0 whatever the ratio (it is a report); non-zero when something fails to run.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findExecutable, startSystemPostgres, type Server } from '../test/support/servers.js';
import { createTables, databaseStats, dbUrl, tableName, withClient } from './diff-database.js';
import { inProcessDiff, PHASES, type Phase } from './diff-phases.js';
import { expectCode, runTimed, type Ran } from './timed-run.js';
import { baselineCli } from './baseline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench -> checkout
const CLI = join(ROOT, 'dist', 'cli', 'dbkit.cjs'); // the bundled CLI, as installed
const SMALL_TABLES = 3;

/** --compare: an earlier build, run side by side. */
interface Baseline {
  ref: string;
  cli: string;
}

// -------------------------------------------------------------- statistics

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(7) + ' ms';
const WIDTH = 78;

// -------------------------------------------------------------------- main

interface Setup {
  label: string;
  /** What the settings are, for the report. */
  settings: string | null;
  adminUrl: string;
  pgDump: string;
  server: (Server & { binDir: string }) | null;
}

const pgDumpMajor = async (pgDump: string, cwd: string): Promise<number> => {
  const ran = expectCode(await runTimed(pgDump, ['--version'], cwd, { capture: true }), `${pgDump} --version`, [0]);
  const m = /(\d+)(?:\.\d+)?/.exec(ran.stdout.replace(/^[^)]*\)/, ''));
  if (!m) throw new Error(`cannot read the version of ${pgDump}: ${ran.stdout}`);
  return Number(m[1]);
};

const SETTINGS = {
  stock: { label: 'stock settings', settings: 'its defaults: fsync, synchronous_commit, full_page_writes on' },
  tuned: { label: 'tuned settings', settings: 'fsync, synchronous_commit, full_page_writes off (the test suite\'s)' },
} as const;
type SettingsName = keyof typeof SETTINGS;

function settingsOption(): SettingsName[] {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === '--settings' || a.startsWith('--settings='));
  const raw = i < 0 ? 'stock,tuned' : argv[i]!.includes('=') ? argv[i]!.slice('--settings='.length) : (argv[i + 1] ?? '');
  const names = raw.split(',').filter(Boolean);
  for (const n of names) if (!(n in SETTINGS)) throw new Error(`--settings takes stock, tuned or stock,tuned; got "${raw}"`);
  return names as SettingsName[];
}

/** A throwaway server with these settings, and a pg_dump of its major version. */
async function startServer(name: SettingsName, cleanups: Array<() => Promise<void>>): Promise<Setup> {
  const server = await startSystemPostgres({ stock: name === 'stock' });
  cleanups.push(() => server.stop());
  // Next to the server binary: /usr/bin/pg_dump may be a version-picking wrapper script (Debian's pg_wrapper).
  const pgDump = existsSync(join(server.binDir, 'pg_dump')) ? join(server.binDir, 'pg_dump') : findExecutable(['pg_dump']);
  if (!pgDump) throw new Error(`no pg_dump next to ${server.binDir}/postgres nor on PATH`);
  return { ...SETTINGS[name], adminUrl: server.url, pgDump, server };
}

/** Build the databases on one server and measure; cleanups are this server's. */
interface Ratios {
  ratio: number;
  jsonRatio: number;
  /** With --compare: the earlier build's. */
  before?: { ratio: number; jsonRatio: number };
}

async function measure(setup: Setup, runs: number, tableCount: number, cwd: string, cleanups: Array<() => Promise<void>>, before: Baseline | null): Promise<Ratios> {
  // Cleanups run last-in first-out: the databases are dropped before the admin connection closes.
  const admin = new pg.Client({ connectionString: setup.adminUrl });
  admin.on('error', () => undefined); // a server going away mid-run surfaces as a failed query instead
  await admin.connect();
  cleanups.push(() => admin.end());
  const serverVersion = (await admin.query<{ v: string; n: string }>("SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n")).rows[0]!;
  const serverMajor = Math.floor(Number(serverVersion.n) / 10000);
  const dumpMajor = await pgDumpMajor(setup.pgDump, cwd);
  if (dumpMajor !== serverMajor) {
    process.stderr.write(`warning: ${setup.pgDump} is version ${dumpMajor}, the server is ${serverVersion.v}: the baseline is not like for like\n`);
  }
  const big = `dbkit_bench_${process.pid}_big`;
  const small = `dbkit_bench_${process.pid}_small`;
  cleanups.push(async () => {
    if (setup.server) return; // the whole server goes
    for (const db of [big, small]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });
  for (const db of [big, small]) {
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
  }
  const bigUrl = dbUrl(setup.adminUrl, big);
  const smallUrl = dbUrl(setup.adminUrl, small);
  const where = setup.server ? setup.server.description : 'DBKIT_BENCH_PG_URL';
  process.stderr.write(`bench:diff: ${setup.label}: ${where}\n`);

  // The agents schema (dbkit migrate) plus generated tables.
  const started = performance.now();
  let t = started;
  for (const url of [bigUrl, smallUrl]) {
    expectCode(await runTimed(process.execPath, [CLI, 'migrate', '--url', url, '--schema', 'agents', '--quiet'], cwd), 'dbkit migrate', [0]);
  }
  await createTables(bigUrl, tableCount);
  await createTables(smallUrl, SMALL_TABLES);
  // Catalog statistics as autovacuum would soon have them on a real database (both sides' plans depend on them).
  for (const url of [bigUrl, smallUrl]) await withClient(url, (c) => c.query('ANALYZE'));
  const stats = await databaseStats(bigUrl);
  const setupMs = performance.now() - t;

  // Warm-up, which also checks what dbkit diff reports and what pg_dump dumps.
  const dbkitArgs = [CLI, 'diff', '--url', bigUrl, '--json'];
  const dumpArgs = ['--schema-only', '-d', bigUrl];
  const check = expectCode(await runTimed(process.execPath, dbkitArgs, cwd, { capture: true }), 'dbkit diff', [1]);
  const doc = JSON.parse(check.stdout) as { changes: Array<{ kind: string; table: string | null }> };
  const generated = new Set(Array.from({ length: tableCount }, (_, i) => tableName(i)));
  const isGeneratedExtra = (c: { kind: string; table: string | null }): boolean => c.kind === 'table_extra' && c.table !== null && generated.has(c.table);
  const extraGenerated = doc.changes.filter(isGeneratedExtra).length;
  const others = doc.changes.filter((c) => !isGeneratedExtra(c));
  if (extraGenerated !== tableCount) throw new Error(`dbkit diff reported ${extraGenerated} of the ${tableCount} generated tables as extra`);
  const dumpCheck = expectCode(await runTimed(setup.pgDump, dumpArgs, cwd, { capture: true }), 'pg_dump --schema-only', [0]);
  const dumpedTables = (dumpCheck.stdout.match(/^CREATE TABLE /gm) ?? []).length;
  const dumpBytes = Buffer.byteLength(dumpCheck.stdout);

  // Start-up baselines, warmed up too.
  const nodeArgs = ['-e', ''];
  const versionArgs = [CLI, '--version'];
  expectCode(await runTimed(process.execPath, nodeArgs, cwd), 'node -e ""', [0]);
  expectCode(await runTimed(process.execPath, versionArgs, cwd), 'dbkit --version', [0]);

  // Where the CLI's time goes: `dbkit diff --verbose`, its log lines time-stamped as they arrive.
  // These runs also count the SQL statements (`sql: ...` lines), which must not grow with the tables.
  const sqlLines = (ran: Ran): number => ran.stderr.split('\n').filter((l) => l.startsWith('sql: ')).length;
  const verboseArgs = (url: string): string[] => [CLI, 'diff', '--url', url, '--json', '--verbose'];
  const smallSql = sqlLines(expectCode(await runTimed(process.execPath, verboseArgs(smallUrl), cwd), 'dbkit diff --verbose', [1]));
  const bigSqlCounts = new Set<number>();
  const STAGES: Array<[string, string, (ran: Ran) => number | null]> = [
    ['start-up', 'node, dbkit modules, config (-> "database:")', (ran) => ran.lines.find((l) => l.text.startsWith('database: '))?.ms ?? null],
    ['connect', 'load pg, TCP, auth, current_schema (-> "connected")', (ran) => ran.lines.find((l) => l.text.startsWith('connected'))?.ms ?? null],
    ['introspect', 'catalog queries, rows -> model (-> "introspected")', (ran) => ran.lines.find((l) => l.text.startsWith('introspected '))?.ms ?? null],
    ['rest', 'applied migrations, normalize, diff, output (-> 1st stdout byte)', (ran) => ran.firstStdoutMs],
    ['exit', 'write, close the pool, exit', (ran) => ran.ms],
  ];
  const stageMs: number[][] = STAGES.map(() => []);
  const verboseMs: number[] = [];
  const verboseRun = async (): Promise<void> => {
    const ran = expectCode(await runTimed(process.execPath, verboseArgs(bigUrl), cwd, { timeline: true }), 'dbkit diff --verbose', [1]);
    bigSqlCounts.add(sqlLines(ran));
    verboseMs.push(ran.ms);
    let previous = 0;
    STAGES.forEach(([name, , at], i) => {
      const ms = at(ran);
      if (ms === null) throw new Error(`dbkit diff --verbose: no mark for stage "${name}" in its output:\n${ran.stderr.slice(0, 2000)}`);
      stageMs[i]!.push(ms - previous);
      previous = ms;
    });
  };

  // Timed rounds, interleaved; the order of the pair flips every round; a --verbose run closes each round.
  const humanArgs = dbkitArgs.filter((a) => a !== '--json');
  const rows = {
    dump: { label: 'pg_dump --schema-only', ms: [] as number[] },
    human: { label: 'dbkit diff', ms: [] as number[] },
    dbkit: { label: 'dbkit diff --json', ms: [] as number[] },
    oldHuman: { label: `dbkit diff (${before?.ref})`, ms: [] as number[] },
    oldJson: { label: `dbkit diff --json (${before?.ref})`, ms: [] as number[] },
    node: { label: "node -e ''             (bare node start-up)", ms: [] as number[] },
    version: { label: 'dbkit --version        (node + dbkit modules)', ms: [] as number[] },
  };
  for (let r = 0; r < runs; r++) {
    const pair = [
      async () => rows.human.ms.push(expectCode(await runTimed(process.execPath, humanArgs, cwd), 'dbkit diff', [1]).ms),
      async () => rows.dump.ms.push(expectCode(await runTimed(setup.pgDump, dumpArgs, cwd), 'pg_dump --schema-only', [0]).ms),
      async () => rows.dbkit.ms.push(expectCode(await runTimed(process.execPath, dbkitArgs, cwd), 'dbkit diff --json', [1]).ms),
      ...(before
        ? [
            async () => rows.oldHuman.ms.push(expectCode(await runTimed(process.execPath, [before.cli, ...humanArgs.slice(1)], cwd), `${before.ref} dbkit diff`, [1]).ms),
            async () => rows.oldJson.ms.push(expectCode(await runTimed(process.execPath, [before.cli, ...dbkitArgs.slice(1)], cwd), `${before.ref} dbkit diff --json`, [1]).ms),
          ]
        : []),
    ];
    for (const step of r % 2 ? pair.reverse() : pair) await step();
    rows.node.ms.push(expectCode(await runTimed(process.execPath, nodeArgs, cwd), 'node -e ""', [0]).ms);
    rows.version.ms.push(expectCode(await runTimed(process.execPath, versionArgs, cwd), 'dbkit --version', [0]).ms);
    await verboseRun();
  }
  const bigSql = [...bigSqlCounts].join('/');

  // dbkit diff's own work in this process, phase by phase, warm (a first run warms up).
  await inProcessDiff(bigUrl, cwd);
  const warm: Array<Record<Phase, number>> = [];
  for (let r = 0; r < runs; r++) warm.push(await inProcessDiff(bigUrl, cwd));

  // ----- report
  const out: string[] = [];
  const say = (line = ''): void => void out.push(line);
  const row = (label: string, values: string): void => say(`  ${label.padEnd(WIDTH - 2)}${values}`);
  const heading = (title: string, columns: string[]): void => say(title.padEnd(WIDTH) + columns.map((c) => c.padStart(10)).join(''));
  say(`bench:diff  ${setup.label}: PostgreSQL ${serverVersion.v}${setup.settings ? `, ${setup.settings}` : ''}; ${setup.pgDump} (${dumpMajor}); node ${process.version}; ${availableParallelism()} CPUs`);
  say(
    `database: ${stats.tables} tables (${tableCount} generated + the agents schema), ${stats.columns} columns, ${stats.indexes} indexes, ` +
      `${stats.fks} foreign keys, ${stats.uniques} unique constraints; built in ${(setupMs / 1000).toFixed(1)} s`,
  );
  say(
    `dbkit diff: exit 1, ${doc.changes.length} changes (${extraGenerated} generated tables extra; agents schema ${others.length ? `NOT clean: ${others.length} other changes` : 'clean'}); ` +
      `pg_dump: ${dumpedTables} CREATE TABLE, ${(dumpBytes / 1024).toFixed(0)} KiB`,
  );
  say();
  heading(`whole process, wall time (${runs} runs each after 1 warm-up, interleaved)`, ['median', 'min', 'max']);
  for (const r of Object.values(rows)) if (r.ms.length) row(r.label, `${fmt(median(r.ms))}${fmt(Math.min(...r.ms))}${fmt(Math.max(...r.ms))}`);
  say();
  heading(`where dbkit diff's time goes (--verbose log lines as they arrive, ${runs} runs)`, ['median']);
  STAGES.forEach(([name, what], i) => row(`${name.padEnd(11)}${what}`, fmt(median(stageMs[i]!))));
  row(`${'total'.padEnd(11)}dbkit diff --json --verbose, whole process`, fmt(median(verboseMs)));
  say();
  heading(`dbkit diff's work in process, same compiled modules, warm (${runs} runs)`, ['median']);
  let warmTotal = 0;
  for (const [phase, label] of PHASES) {
    const m = median(warm.map((w) => w[phase]));
    warmTotal += m;
    row(label, fmt(m));
  }
  row('total', fmt(warmTotal));
  say();
  const constant = bigSqlCounts.size === 1 && bigSql === String(smallSql);
  say(`SQL statements per dbkit diff: ${bigSql} with ${tableCount} generated tables, ${smallSql} with ${SMALL_TABLES} (${constant ? 'constant: OK' : 'NOT constant: FAIL'})`);
  if (others.length) say(`note: changes besides the generated tables, e.g. ${others.slice(0, 3).map((c) => `${c.kind} ${c.table ?? ''}`).join(', ')}`);
  const ratio = median(rows.human.ms) / median(rows.dump.ms);
  const jsonRatio = median(rows.dbkit.ms) / median(rows.dump.ms);
  say(`ratio of mins: ${(Math.min(...rows.human.ms) / Math.min(...rows.dump.ms)).toFixed(2)}; this server took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  say(`ratio dbkit diff --json / pg_dump --schema-only (median): ${jsonRatio.toFixed(2)}`);
  say(`ratio dbkit diff / pg_dump --schema-only (median): ${ratio.toFixed(2)}  (<= 1.0: ${ratio <= 1 ? 'PASS' : 'FAIL'})`);
  const old = before ? { ratio: median(rows.oldHuman.ms) / median(rows.dump.ms), jsonRatio: median(rows.oldJson.ms) / median(rows.dump.ms) } : undefined;
  if (old) say(`${before!.ref}: ratio dbkit diff / pg_dump ${old.ratio.toFixed(2)}, --json ${old.jsonRatio.toFixed(2)} (this build no slower: ${ratio <= old.ratio && jsonRatio <= old.jsonRatio ? 'yes' : 'NO'})`);
  process.stdout.write(out.join('\n') + '\n\n');
  if (!constant) throw new Error(`dbkit diff issued ${bigSql} SQL statements with ${tableCount} generated tables but ${smallSql} with ${SMALL_TABLES}: the catalog reads grow with the schema`);
  return { ratio, jsonRatio, before: old };
}

async function main(cleanups: Array<() => Promise<void>>): Promise<void> {
  const runs = intOption('--runs', 11, 'DBKIT_BENCH_RUNS');
  const tableCount = intOption('--tables', 500, 'DBKIT_BENCH_TABLES');
  const benchStarted = performance.now();
  const cwd = await mkdtemp(join(tmpdir(), 'dbkit-bench-cwd-')); // no dbkit.config / .env of the checkout
  cleanups.push(() => rm(cwd, { recursive: true, force: true }));

  const ref = stringOption('--compare', null);
  const before: Baseline | null = ref ? { ref, cli: baselineCli(ROOT, ref) } : null;
  const results: Array<{ label: string } & Ratios> = [];
  const external = process.env.DBKIT_BENCH_PG_URL;
  if (external) {
    const pgDump = findExecutable(['pg_dump']);
    if (!pgDump) throw new Error('DBKIT_BENCH_PG_URL is set but pg_dump is not on PATH');
    const setup: Setup = { label: 'your server', settings: null, adminUrl: external, pgDump, server: null };
    results.push({ label: setup.label, ...(await measure(setup, runs, tableCount, cwd, cleanups, before)) });
  } else {
    // One server at a time: the first is gone before the second starts.
    for (const name of settingsOption()) {
      const own: Array<() => Promise<void>> = [];
      const stop = async (): Promise<void> => {
        for (const c of own.splice(0).reverse()) await c();
      };
      cleanups.push(stop); // (also on a signal)
      try {
        const setup = await startServer(name, own);
        results.push({ label: setup.label, ...(await measure(setup, runs, tableCount, cwd, own, before)) });
      } finally {
        await stop();
      }
    }
  }
  console.log(`summary: dbkit diff / pg_dump --schema-only, ${tableCount} generated tables, medians of ${runs} (bench took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s)`);
  results.forEach((r, i) => {
    const verdict = i === 0 ? `  (goal <= 1.0: ${r.ratio <= 1 ? 'PASS' : 'FAIL'})` : '';
    console.log(`  ${r.label.padEnd(16)} ${r.ratio.toFixed(2)}${verdict}   --json ${r.jsonRatio.toFixed(2)}`);
    if (r.before) console.log(`  ${''.padEnd(16)} ${r.before.ratio.toFixed(2)} and --json ${r.before.jsonRatio.toFixed(2)} for ${ref}`);
  });
}

const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | null = null;
const cleanup = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => process.stderr.write(`bench:diff: cleanup: ${String(err)}\n`));
  })());

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`bench:diff: ${signal}, stopping\n`);
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  await main(cleanups);
  await cleanup();
} catch (err) {
  // After a signal, whatever the stopping server broke is not news.
  if (!interrupted) process.stderr.write(`bench:diff: ${err instanceof Error ? err.message : String(err)}\n`);
  await cleanup();
  process.exitCode = 1;
}
