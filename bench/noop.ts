/**
 * bench/noop (issue 22, acceptance 3): a deploy with nothing to do. On a
 * PostgreSQL and a MariaDB server of their own with stock settings, a
 * database migrated once; then, whole processes, wall time, interleaved
 * rounds: `node -e 0`, `dbkit migrate` (nothing pending) and `dbkit status`,
 * and with --compare REF the same two commands of that build side by side
 * (built once into bench/.work/, bench/baseline.ts). Prints medians and the
 * ratios. Goals: no-op migrate <= 2.5x `node -e 0`; status no slower than REF.
 *
 *   npm run build && node dist/bench/noop.js [--runs 20] [--compare 312fe19]
 *
 * Exits 0 whatever the ratios (it is a report); 1 when a command fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { startMariadbServer, startSystemPostgres, type Server } from '../test/support/servers.js';
import { baselineCli } from './baseline.js';
import { intOption, stringOption } from './options.js';
import { median } from './stats.js';

export const NOOP_GOAL = 2.5;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'dbkit.cjs');

interface Case {
  label: string;
  args: string[];
}

function time(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '' } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/** A database of its own on the server, its URL. */
async function database(server: Server, engine: 'postgres' | 'mysql', name: string): Promise<string> {
  if (engine === 'postgres') {
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    return server.url.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  }
  const c = await mysql.createConnection(server.url);
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  return `${server.url.replace(/\/$/, '')}/${name}`;
}

function rounds(label: string, url: string, runs: number, before: string | null, ref: string | null): void {
  const cases: Case[] = [
    { label: 'node -e 0 (bare Node)', args: ['-e', '0'] },
    { label: 'dbkit migrate (no-op)', args: [CLI, 'migrate', '--url', url] },
    { label: 'dbkit status', args: [CLI, 'status', '--url', url] },
    ...(before ? [
      { label: `${ref} migrate (no-op)`, args: [before, 'migrate', '--url', url] },
      { label: `${ref} status`, args: [before, 'status', '--url', url] },
    ] : []),
  ];
  time([CLI, 'migrate', '--url', url]); // migrated once: every later run has nothing to do
  for (const c of cases) time(c.args); // warm-up, not counted
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < runs; r++) cases.forEach((c, i) => samples[i]!.push(time(c.args)));
  const med = samples.map(median);
  console.log(`${label}, ${runs} rounds, interleaved (median / min)`);
  cases.forEach((c, i) => console.log(`  ${c.label.padEnd(28)} ${med[i]!.toFixed(1).padStart(7)} ms ${Math.min(...samples[i]!).toFixed(1).padStart(7)} ms`));
  const [bare, migrate, status, oldMigrate, oldStatus] = med as [number, number, number, number?, number?];
  const ratio = migrate / bare;
  console.log(`  no-op migrate / node -e 0: ${ratio.toFixed(2)} (goal <= ${NOOP_GOAL}: ${ratio <= NOOP_GOAL ? 'PASS' : 'MISSED'}); status / node -e 0: ${(status / bare).toFixed(2)}`);
  if (oldMigrate !== undefined && oldStatus !== undefined) {
    console.log(`  this build / ${ref}: no-op migrate ${(migrate / oldMigrate).toFixed(2)}, status ${(status / oldStatus).toFixed(2)} (status no slower: ${status <= oldStatus ? 'yes' : 'NO'})`);
  }
}

async function main(): Promise<void> {
  const runs = intOption('--runs', 20);
  const ref = stringOption('--compare', null);
  const before = ref ? baselineCli(ROOT, ref) : null;
  console.log(`bench/noop, Node ${process.version}`);
  const pgServer = await startSystemPostgres({ stock: true });
  try {
    console.log(`  ${pgServer.description}`);
    rounds('PostgreSQL', await database(pgServer, 'postgres', 'noop_bench'), runs, before, ref);
  } finally {
    await pgServer.stop();
  }
  const my = await startMariadbServer({ stock: true });
  try {
    console.log(`  ${my.description}`);
    rounds('MariaDB', await database(my, 'mysql', 'noop_bench'), runs, before, ref);
  } finally {
    await my.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
