/**
 * bench/seed-undo: Ctrl-C during a large seed (issue 20). How long `dbkit
 * seed` takes to take back what it had written, against how long it had been
 * loading: goal, at 20,000 users, at most 2x.
 *
 *   npm run bench:seed-undo                      # builds, then runs this
 *   node dist/bench/seed-undo.js --users 20000 [--before 50] [--only postgres|mariadb|pglite] [--settings stock|tuned] [--schema agents|chat] [--cli <dbkit.cjs>]
 *
 * Each engine: a database migrated, then `--before` users seeded by an
 * earlier run (rows that must stay); then `dbkit seed --append` runs on a
 * pseudo-terminal (util-linux `script`), as a person's shell runs it, and
 * once its progress line shows `--users` users committed, Ctrl-C is typed.
 * Load time: from the start of the process to the Ctrl-C; take-back time:
 * from the Ctrl-C to its exit (130, "the rows it had written were deleted").
 * Afterwards every table must hold exactly what it held before.
 *
 * Servers: throwaway ones started here (test/support/servers.ts), stock
 * settings by default (fsync, synchronous commit on, as a developer's
 * server), or DBKIT_BENCH_PG_URL / DBKIT_BENCH_MYSQL_URL (as they are). The
 * MariaDB started here runs with `local_infile = 0`: with LOAD DATA, a seed
 * commits every table at the very end, so an interrupt during the load has
 * nothing committed to take back; without it, rows go in chunk by chunk
 * (multi-row INSERT), as on a server that refuses LOCAL INFILE, and the
 * take-back has work to do. PGlite: a database directory of its own.
 * Exits 0 whatever the ratio (it is a report); 1 when something fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driverSql } from '../src/db/sql.js';
import { startMariadbServer, startSystemPostgres, type Server } from '../test/support/servers.js';
import { intOption, stringOption } from './options.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The CLI under test: this build, or another one (`--cli <path to dist/cli/dbkit.cjs>`, e.g. a build of an earlier commit) for a before/after figure. */
const CLI = resolve(stringOption('--cli', join(ROOT, 'dist', 'cli', 'dbkit.cjs')));
const DB = 'dbkit_bench_seed_undo';
const GOAL = 2;
const TABLES: Record<string, string[]> = {
  agents: ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'],
  chat: ['users', 'conversations', 'messages', 'api_calls'],
};

type Kind = 'postgres' | 'mariadb' | 'pglite';

const fmt = (n: number) => n.toLocaleString('en-US');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;

function dbkit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function must(args: string[]): Promise<string> {
  const p = await dbkit(args);
  if (p.code !== 0) throw new Error(`dbkit ${args.join(' ')} exited ${p.code}: ${p.stderr.trim()}`);
  return p.stdout;
}

/** Row counts of the schema's tables, as `dbkit`'s own JSON does not give them: through `dbkit sql`-free plain queries. */
async function counts(kind: Kind, url: string, tables: string[]): Promise<Record<string, number>> {
  if (kind === 'pglite') {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite(url.slice('pglite:'.length));
    try {
      const out: Record<string, number> = {};
      for (const t of tables) out[t] = Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${t}"`)).rows[0]!.n);
      return out;
    } finally {
      await db.close();
    }
  }
  const sql = await driverSql(kind === 'postgres' ? 'postgres' : 'mysql', url, undefined, () => undefined);
  try {
    const q = kind === 'postgres' ? '"' : '`';
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await sql.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${q}${t}${q}`))[0]!.n);
    return out;
  } finally {
    await sql.close();
  }
}

async function dropDatabase(kind: 'postgres' | 'mariadb', adminUrl: string): Promise<void> {
  const admin = await driverSql(kind === 'postgres' ? 'postgres' : 'mysql', adminUrl, undefined, () => undefined);
  try {
    await admin.query(kind === 'postgres' ? `DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)` : `DROP DATABASE IF EXISTS \`${DB}\``);
  } catch (err) {
    // A role that is not a superuser cannot end autovacuum's session on it: the database stays (the next run drops it).
    console.log(`  (${DB} left in place: ${(err as Error).message})`);
  } finally {
    await admin.close();
  }
}

async function createDatabase(kind: 'postgres' | 'mariadb', adminUrl: string, owned: boolean): Promise<string> {
  const admin = await driverSql(kind === 'postgres' ? 'postgres' : 'mysql', adminUrl, undefined, () => undefined);
  try {
    const q = kind === 'postgres' ? '"' : '`';
    await admin.query(`DROP DATABASE IF EXISTS ${q}${DB}${q}`);
    await admin.query(`CREATE DATABASE ${q}${DB}${q}`);
    // Only on a server this bench started: a server-wide setting.
    if (kind === 'mariadb' && owned) await admin.query('SET GLOBAL local_infile = 0');
  } finally {
    await admin.close();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${DB}`;
  return u.href;
}

interface Interrupted {
  loadSeconds: number;
  undoSeconds: number;
  usersCommitted: number;
  rows: number;
  code: number;
  screen: string;
}

/**
 * `dbkit seed` on a pseudo-terminal: Ctrl-C typed once the progress line
 * shows `after` users. The progress line counts users whose chunk committed.
 */
function seedAndInterrupt(args: string[], after: number, timeoutMs: number): Promise<Interrupted> {
  return new Promise((done, fail) => {
    const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
    const started = performance.now();
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
    let raw = '';
    let sentAt = 0;
    let users = 0;
    let rows = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`no exit within ${timeoutMs / 1000} s; the terminal showed:\n${raw.replace(ANSI, '').slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      raw += d.toString('utf8');
      if (sentAt) return;
      const lines = raw.replace(ANSI, '\n').match(/([\d,]+)\/[\d,]+ users\s+([\d,]+) rows/g);
      const last = lines?.at(-1)?.match(/([\d,]+)\/[\d,]+ users\s+([\d,]+) rows/);
      if (!last) return;
      users = Number(last[1]!.replace(/,/g, ''));
      rows = Number(last[2]!.replace(/,/g, ''));
      if (users >= after) {
        sentAt = performance.now();
        child.stdin.write('\x03'); // Ctrl-C: the terminal sends SIGINT to the foreground process
      }
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      const end = performance.now();
      if (!sentAt) return fail(new Error(`the seed ended before ${fmt(after)} users were committed (exit ${code}):\n${raw.replace(ANSI, '').slice(-2000)}`));
      done({ loadSeconds: (sentAt - started) / 1000, undoSeconds: (end - sentAt) / 1000, usersCommitted: users, rows, code: code ?? -1, screen: raw.replace(ANSI, '') });
    });
  });
}

async function benchEngine(kind: Kind, url: string, schema: string, users: number, before: number): Promise<void> {
  const tables = TABLES[schema]!;
  const on = ['--url', url, '--schema', schema];
  await must(['migrate', ...on, '--quiet']);
  if (before) await must(['seed', ...on, '--users', String(before), '--seed', '1', '--quiet']);
  const was = await counts(kind, url, tables);
  const label = { postgres: 'PostgreSQL', mariadb: 'MariaDB', pglite: 'PGlite' }[kind];
  console.log(`\n${label}: ${schema} schema, ${fmt(before)} users there before; dbkit seed --append, Ctrl-C at ${fmt(users)} users`);
  const r = await seedAndInterrupt(['seed', ...on, '--append', '--users', String(Math.ceil(users * 1.5)), '--seed', '2'], users, 3_600_000);
  const said = /interrupted by SIGINT; (.*)/.exec(r.screen)?.[1]?.trim() ?? r.screen.trim().split('\n').at(-1);
  const now = await counts(kind, url, tables);
  const exact = tables.every((t) => now[t] === was[t]);
  const ratio = r.undoSeconds / r.loadSeconds;
  console.log(`  load:       ${r.loadSeconds.toFixed(1)} s (${fmt(r.usersCommitted)} users, ${fmt(r.rows)} rows committed when Ctrl-C was typed)`);
  console.log(`  take-back:  ${r.undoSeconds.toFixed(1)} s (exit ${r.code}: ${said})`);
  console.log(`  ratio take-back / load: ${ratio.toFixed(2)} (goal <= ${GOAL}: ${ratio <= GOAL ? 'PASS' : 'FAIL'})`);
  console.log(`  tables afterwards: ${exact ? 'exactly as before (the earlier run\'s rows untouched)' : `NOT as before: ${JSON.stringify(was)} -> ${JSON.stringify(now)}`}`);
  if (!exact || r.code !== 130) process.exitCode = 1;
}

async function main(): Promise<void> {
  const users = intOption('--users', 20_000);
  const before = Number(stringOption('--before', '50'));
  const schema = stringOption('--schema', 'agents');
  if (!TABLES[schema]) throw new Error(`--schema takes agents or chat, got "${schema}"`);
  const only = stringOption('--only', null);
  if (only !== null && !['postgres', 'mariadb', 'pglite'].includes(only)) throw new Error(`--only takes postgres, mariadb or pglite, got "${only}"`);
  const settings = stringOption('--settings', 'stock');
  if (settings !== 'stock' && settings !== 'tuned') throw new Error(`--settings takes stock or tuned, got "${settings}"`);
  const started: Server[] = [];
  const given = (env: string): Server | undefined => (process.env[env] ? { url: process.env[env]!, description: `the server in ${env}`, stop: async () => undefined } : undefined);
  const dir = mkdtempSync(join(tmpdir(), 'dbkit-bench-seed-undo-'));
  try {
    if (!only || only === 'postgres') {
      const server = given('DBKIT_BENCH_PG_URL') ?? started[started.push(await startSystemPostgres({ stock: settings === 'stock' })) - 1]!;
      console.log(`\n=== ${server.description}`);
      await benchEngine('postgres', await createDatabase('postgres', server.url, started.includes(server)), schema, users, before);
      await dropDatabase('postgres', server.url);
    }
    if (!only || only === 'mariadb') {
      const server = given('DBKIT_BENCH_MYSQL_URL') ?? started[started.push(await startMariadbServer(settings === 'stock' ? { stock: true } : { mariadbDefaults: true })) - 1]!;
      console.log(`\n=== ${server.description}`);
      await benchEngine('mariadb', await createDatabase('mariadb', server.url, started.includes(server)), schema, users, before);
      await dropDatabase('mariadb', server.url);
    }
    if (!only || only === 'pglite') await benchEngine('pglite', `pglite:${join(dir, 'db')}`, schema, users, before);
  } finally {
    await Promise.allSettled(started.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`bench/seed-undo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
