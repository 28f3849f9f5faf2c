/**
 * bench/online: how long writers stall while a migration changes a table of
 * a million rows (issue 19, item 3), the generated migration beside the
 * plain DDL a developer would write, measured in the same run.
 *
 *   npm run bench:online                       # builds, then runs this
 *   node dist/bench/online.js [--rows N] [--interval MS] [--only postgres|mariadb] [--no-pt-osc]
 *
 * - Servers: a throwaway PostgreSQL (the system's binaries) and MariaDB, each
 *   with its stock settings (test/support/servers.ts), or DBKIT_BENCH_PG_URL /
 *   DBKIT_BENCH_MYSQL_URL (admin URLs: the bench creates and drops its own
 *   databases there).
 * - A scratch checkout (src/schema/ and migrations/ copied; DBKIT_ROOT) whose
 *   agents definition gains a table `events`; then each change of
 *   bench/online-changes.ts, in order, is made by `dbkit make`, first without
 *   --allow-blocking (is it refused, and for which engine?), then with it.
 *   The changes cover each of the 14 of issue 19's list (the bench stops at
 *   once when one is missing); renames are declared with `make --rename`.
 * - Per engine and mode (the generated migrations; on MariaDB also with
 *   `--online pt-osc` when pt-online-schema-change is on PATH; the plain DDL),
 *   a fresh database: `dbkit migrate` to the base, 1000 users and --rows
 *   events (default 1,000,000), then each change in order while a separate
 *   client INSERTs into events every --interval ms (default 10). Reported per
 *   change: the longest INSERT that overlapped it (the write stall) and how
 *   long the change took (the migration's own time from `migrate --json`; the
 *   plain DDL's wall time). INSERTs that failed (from the settle time before
 *   the change to the one after it) are counted; the table rename makes the
 *   one that first finds the old name gone fail, and the inserter then
 *   follows the new name.
 * - Goal: every row's stall at most 1 s, or the change refused by `make`
 *   without --allow-blocking.
 *
 * Exits 0 whatever the figures (it is a report); non-zero when something fails to run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPtOsc } from '../dialects/mysql/pt-osc.js';
import { startMariadbServer, startSystemPostgres, type Server } from '../test/support/servers.js';
import { CHANGES, eventsDefinition, MARK_END, MARK_START, START, uncovered, type EventsState, type OnlineChange } from './online-changes.js';
import { mariadbEngine, postgresEngine, stallIn, startInserter, type BenchEngine } from './online-engines.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/bench -> checkout
const CLI = path.join(ROOT, 'dist', 'cli', 'dbkit.cjs');
const ROWS = intOption('--rows', 1_000_000);
const INTERVAL = intOption('--interval', 10);
const ONLY = stringOption('--only', null);
const PT_OSC = process.argv.includes('--no-pt-osc') ? null : findPtOsc();
const GOAL_MS = 1_000;
/** Inserts before and after each change (the window is the change itself). */
const SETTLE_MS = 300;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function dbkit(args: string[], root: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DBKIT_ROOT: root };
    delete env.DATABASE_URL;
    // In the scratch checkout: no config file of the caller's working directory applies.
    const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const must = (r: Ran, what: string): Ran => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(-1500)}`);
  return r;
};

interface Made {
  name: string;
  migration: string;
  /** Engines `make` named when it refused without --allow-blocking. */
  refused: { postgres: boolean; mariadb: boolean };
  /** When MariaDB was named: whether `make` still refuses with config `online: "pt-osc"` (it exempts MySQL copies only). */
  refusedWithPtOsc?: boolean;
}

/** The scratch checkout and its migrations: the base (events added), then one per change. */
async function makeMigrations(dir: string): Promise<{ root: string; base: string; made: Made[] }> {
  const root = path.join(dir, 'checkout');
  fs.cpSync(path.join(ROOT, 'src', 'schema'), path.join(root, 'src', 'schema'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  const file = path.join(root, 'src', 'schema', 'agents.ts');
  const original = fs.readFileSync(file, 'utf8');
  if (!/\n {2}\],\n\};\n?$/.test(original)) throw new Error('src/schema/agents.ts does not end with its table list');
  const write = (s: EventsState) => {
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf(MARK_START);
    const body = at >= 0 ? text.slice(0, at) + text.slice(text.indexOf(MARK_END) + MARK_END.length + 1) : text;
    fs.writeFileSync(file, body.replace(/\n {2}\],\n\};\n?$/, `\n${eventsDefinition(s)}  ],\n};\n`));
  };
  const newest = () => fs.readdirSync(path.join(root, 'migrations', 'agents')).filter((n) => /^\d{14}_/.test(n)).sort().at(-1)!;
  const state = { ...START };
  write(state);
  must(await dbkit(['make', 'bench_events', '--schema', 'agents'], root), 'make bench_events');
  const base = newest();
  const made: Made[] = [];
  for (const change of CHANGES) {
    change.apply(state);
    write(state);
    // Data-dependent changes are gated by --allow-data-loss (and the live pre-flight): not what this bench measures.
    const args = ['make', change.name, '--schema', 'agents', '--allow-data-loss', ...(change.make ?? [])];
    const first = await dbkit(args, root);
    const refused = { postgres: false, mariadb: false };
    let refusedWithPtOsc: boolean | undefined;
    if (first.code === 2 && /--allow-blocking/.test(first.stderr)) {
      refused.postgres = /PostgreSQL: /.test(first.stderr);
      refused.mariadb = /MySQL\/MariaDB: /.test(first.stderr);
      if (refused.mariadb) refusedWithPtOsc = await refusedWithPtOscConfig(dir, root, args);
      must(await dbkit([...args, '--allow-blocking'], root), `make ${change.name} --allow-blocking`);
    } else must(first, `make ${change.name}`);
    made.push({ name: change.name, migration: newest(), refused, ...(refusedWithPtOsc !== undefined ? { refusedWithPtOsc } : {}) });
  }
  return { root, base, made };
}

/** `make` again, without --allow-blocking, in a throwaway copy of the checkout whose config says `online: "pt-osc"`: is it still refused? */
async function refusedWithPtOscConfig(dir: string, root: string, args: string[]): Promise<boolean> {
  const copy = path.join(dir, 'pt-osc-probe');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(root, copy, { recursive: true });
  try {
    const config = path.join(copy, 'dbkit.config.json');
    fs.writeFileSync(config, '{ "online": "pt-osc" }\n');
    const r = await dbkit([...args, '--config', config], copy);
    if (r.code === 2 && /--allow-blocking/.test(r.stderr)) return true;
    must(r, `make ${args[1]} with config online: "pt-osc"`);
    return false;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

type Mode = 'dbkit' | 'pt-osc' | 'plain';

interface Measured {
  stallMs: number;
  durationMs: number;
  inserts: number;
  failed: number;
}

/** One engine in one mode: a fresh database, the rows, then every change while inserts go on. */
async function runMode(engine: BenchEngine, mode: Mode, root: string, base: string, made: Made[]): Promise<{ results: Map<string, Measured>; idleMedianMs: number }> {
  const db = `bench_online_${process.pid}_${engine.name}_${mode.replace('-', '_')}`;
  const url = engine.url(db);
  await engine.createDatabase(db);
  const results = new Map<string, Measured>();
  try {
    must(await dbkit(['migrate', '--url', url, '--schema', 'agents', '--to', base, '--quiet'], root), 'migrate to the base');
    const admin = await engine.connect(url);
    const writer = await engine.connect(url);
    try {
      const loading = performance.now();
      await engine.load(admin, ROWS);
      console.log(`  ${engine.label}, ${mode}: ${ROWS.toLocaleString('en')} rows in ${((performance.now() - loading) / 1000).toFixed(1)} s`);
      const users = (await admin.query('SELECT id FROM users ORDER BY id LIMIT 100')).map((r) => r.id);
      let table = START.table;
      const idle = startInserter(writer, engine, users, INTERVAL, table);
      await new Promise((r) => setTimeout(r, 1_000));
      const idleSamples = await idle.stop();
      const idleMedianMs = median(idleSamples.map((s) => s.end - s.start));
      for (const [i, change] of CHANGES.entries()) {
        const inserter = startInserter(writer, engine, users, INTERVAL, table, change.renamesTable);
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const from = performance.now();
        let durationMs: number;
        if (mode === 'plain') {
          for (const sql of change.plain[engine.name === 'postgres' ? 'postgres' : 'mysql']) await admin.query(sql);
          durationMs = performance.now() - from;
        } else {
          const args = ['migrate', '--url', url, '--schema', 'agents', '--to', made[i]!.migration, '--json', ...(change.migrate ?? []), ...(mode === 'pt-osc' ? ['--online', 'pt-osc'] : [])];
          const ran = must(await dbkit(args, root), `migrate ${change.name}`);
          const applied = (JSON.parse(ran.stdout) as { migrations: { name: string; ms?: number }[] }).migrations;
          if (applied.length !== 1 || applied[0]!.name !== made[i]!.migration) throw new Error(`migrate ${change.name} applied ${applied.map((m) => m.name).join(', ')}`);
          durationMs = applied[0]!.ms ?? performance.now() - from;
        }
        const to = performance.now();
        await new Promise((r) => setTimeout(r, SETTLE_MS));
        const samples = await inserter.stop();
        const stall = stallIn(samples, from, to);
        if (change.renamesTable !== undefined) table = change.renamesTable;
        // Failures are counted over the inserter's whole run: one that fails just after a fast change (the old table name gone) is the change's doing too.
        const failed = samples.flatMap((s) => (s.error !== undefined ? [s.error] : []));
        results.set(change.name, { stallMs: stall.longest, durationMs, inserts: stall.count, failed: failed.length });
        const errors = [...new Set(failed)].join('; ');
        console.log(`    ${change.name.padEnd(22)} stall ${ms(stall.longest).padStart(9)}  duration ${ms(durationMs).padStart(9)}  (${stall.count} inserts in the window${errors ? `; ${failed.length} failed: ${errors}` : ''})`);
      }
      if (mode !== 'plain') {
        const d = await dbkit(['diff', '--url', url, '--schema', 'agents'], root);
        if (d.code !== 0) throw new Error(`${engine.label} ${mode}: dbkit diff is not clean after the changes: ${d.stdout.slice(0, 1500)}`);
      }
      return { results, idleMedianMs };
    } finally {
      await writer.close().catch(() => undefined);
      await admin.close().catch(() => undefined);
    }
  } finally {
    await engine.dropDatabase(db).catch(() => undefined);
  }
}

const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);

interface EngineRun {
  engine: BenchEngine;
  modes: Partial<Record<Mode, Map<string, Measured>>>;
  idle: string;
}

const changeLabel = (c: OnlineChange): string => `${c.item}: ${c.what}`;

/** The stall, and how many INSERTs failed in the window (a renamed table, a deadlock against pt-osc's triggers). */
const stallCell = (m: Measured): string => `${ms(m.stallMs)}${m.failed ? ` (${m.failed} INSERT${m.failed > 1 ? 's' : ''} failed)` : ''}`;

function report(runs: EngineRun[], made: Made[]): string {
  const missed: string[] = [];
  const lines = [
    '| change | engine | make without --allow-blocking | longest insert stall: migration | plain DDL | duration: migration | plain DDL | goal (<= 1 s or refused) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [i, change] of CHANGES.entries()) {
    for (const r of runs) {
      const refused = made[i]!.refused[r.engine.name];
      const plain = r.modes.plain?.get(change.name);
      const rows: [string, Measured | undefined][] = [[r.engine.label, r.modes.dbkit?.get(change.name)]];
      // The tool takes only statements that copy a table: elsewhere that run is the same SQL again.
      if (r.modes['pt-osc'] && refused) rows.push([`${r.engine.label} + --online pt-osc`, r.modes['pt-osc'].get(change.name)]);
      for (const [label, m] of rows) {
        if (!m) continue;
        const viaTool = label.includes('pt-osc');
        const ok = m.stallMs <= GOAL_MS;
        const goal = ok ? 'yes' : refused && !viaTool ? 'refused by make' : '**missed**';
        const verdict = viaTool ? (ok ? 'yes' : '**missed**') : goal;
        const makeCell = viaTool
          ? made[i]!.refusedWithPtOsc
            ? 'refused (exit 2) even with config online: "pt-osc" (the PostgreSQL rewrite)'
            : 'made with config online: "pt-osc"'
          : refused
            ? 'refused (exit 2)'
            : 'made';
        if (verdict === '**missed**') missed.push(`${changeLabel(change)}, ${label}: ${ms(m.stallMs)}`);
        lines.push(
          `| ${changeLabel(change)} | ${label} | ${makeCell} | ${stallCell(m)} | ${plain ? stallCell(plain) : '-'} | ${ms(m.durationMs)} | ${plain ? ms(plain.durationMs) : '-'} | ${verdict} |`,
        );
      }
    }
  }
  lines.push('', `Rows over ${ms(GOAL_MS)} that make does not refuse: ${missed.length ? missed.join('; ') : 'none'}`);
  lines.push(...runs.map((r) => `${r.engine.label}: median INSERT with no change running: ${r.idle}`));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const missing = uncovered(CHANGES);
  if (missing.length) throw new Error(`bench/online-changes.ts measures nothing for: ${missing.join(', ')} (issue 19's list)`);
  const servers: Server[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-bench-online-'));
  try {
    console.log(`bench/online: ${ROWS.toLocaleString('en')} rows, one INSERT every ${INTERVAL} ms from a separate client; pt-online-schema-change: ${PT_OSC ?? 'not used'}`);
    const { root, base, made } = await makeMigrations(dir);
    console.log(`  migrations made: ${made.map((m) => `${m.name}${m.refused.postgres || m.refused.mariadb ? ` (refused without --allow-blocking: ${[m.refused.postgres && 'PostgreSQL', m.refused.mariadb && 'MariaDB'].filter(Boolean).join(', ')})` : ''}`).join(', ')}`);
    const engines: BenchEngine[] = [];
    if (ONLY !== 'mariadb') {
      const url = process.env.DBKIT_BENCH_PG_URL || (servers[servers.push(await startSystemPostgres({ stock: true })) - 1]!.url);
      engines.push(postgresEngine(url, 'PostgreSQL'));
    }
    if (ONLY !== 'postgres') {
      const url = process.env.DBKIT_BENCH_MYSQL_URL || (servers[servers.push(await startMariadbServer({ stock: true })) - 1]!.url);
      engines.push(mariadbEngine(url, 'MariaDB'));
    }
    console.log(`  servers: ${servers.map((s) => s.description).join('; ') || 'from DBKIT_BENCH_PG_URL / DBKIT_BENCH_MYSQL_URL'}`);
    const runs: EngineRun[] = [];
    for (const engine of engines) {
      const run: EngineRun = { engine, modes: {}, idle: '' };
      const modes: Mode[] = engine.name === 'mariadb' && PT_OSC ? ['dbkit', 'pt-osc', 'plain'] : ['dbkit', 'plain'];
      const idle: number[] = [];
      for (const mode of modes) {
        const r = await runMode(engine, mode, root, base, made);
        run.modes[mode] = r.results;
        idle.push(r.idleMedianMs);
      }
      run.idle = idle.map(ms).join(' / ');
      runs.push(run);
    }
    console.log(`\n${report(runs, made)}`);
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench/online: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
