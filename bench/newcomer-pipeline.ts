/**
 * bench/newcomer, second part (issue 22, acceptance 2): the documented
 * pipeline command, `./dbkit status` (the checkout's launcher), against
 * `node dist/cli/dbkit.cjs status` on the same database, on PGlite and on
 * PostgreSQL; `npx dbkit status` beside them for the record (npx's cache
 * already holding its link to the checkout: its steady cost, not its first).
 * Whole processes, wall time, interleaved rounds (npx, then the launcher
 * and node in alternating order), a warm-up round not counted, medians.
 * Goal: launcher <= 1.15x node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startSystemPostgres } from '../test/support/servers.js';
import { median } from './stats.js';
import { expectCode, runTimed } from './timed-run.js';

export const PIPELINE_GOAL = 1.15;

export interface PipelineResult {
  label: string;
  /** Median wall time (ms) of each way of running status, by name. */
  medians: Record<Way, number>;
  ratio: number;
}

type Way = 'launcher' | 'node' | 'npx';
const WAYS: Way[] = ['launcher', 'node', 'npx'];

/** How each way runs `status --url <url>` in `root` (a checkout with dist/ built). */
function command(way: Way, root: string, url: string): [string, string[]] {
  const args = ['status', '--url', url];
  if (way === 'launcher') return [path.join(root, 'dbkit'), args];
  if (way === 'node') return [process.execPath, [path.join(root, 'dist', 'cli', 'dbkit.cjs'), ...args]];
  return ['npx', ['dbkit', ...args]];
}

async function rounds(label: string, root: string, url: string, runs: number, log: (s: string) => void): Promise<PipelineResult> {
  const samples: Record<Way, number[]> = { launcher: [], node: [], npx: [] };
  for (let round = 0; round <= runs; round++) {
    // npx first (it loads the machine more than the others, and what runs right after it pays),
    // then the pair compared, its order alternating: each of the two follows npx equally often.
    const order: Way[] = round % 2 ? ['npx', 'node', 'launcher'] : ['npx', 'launcher', 'node'];
    for (const way of order) {
      const [cmd, args] = command(way, root, url);
      const ran = expectCode(await runTimed(cmd, args, root), `${label}: ${cmd} ${args.join(' ')}`, [0]);
      if (round > 0) samples[way].push(ran.ms); // round 0: warm-up (file cache, npx's link)
    }
  }
  const medians = Object.fromEntries(WAYS.map((w) => [w, median(samples[w])])) as Record<Way, number>;
  const result = { label, medians, ratio: medians.launcher / medians.node };
  log(
    `  ${label.padEnd(12)} ./dbkit ${medians.launcher.toFixed(0).padStart(5)} ms   node dist/cli/dbkit.cjs ${medians.node.toFixed(0).padStart(5)} ms   ` +
      `npx dbkit ${medians.npx.toFixed(0).padStart(5)} ms   ratio ./dbkit / node ${result.ratio.toFixed(3)} (goal <= ${PIPELINE_GOAL}: ${result.ratio <= PIPELINE_GOAL ? 'PASS' : 'FAIL'}); npx / node ${(medians.npx / medians.node).toFixed(2)}`,
  );
  return result;
}

/**
 * Both databases, each migrated (agents) first; `cleanups` get what was
 * started. PostgreSQL: DBKIT_BENCH_PG_URL (an admin URL: the bench makes and
 * drops its own database), else a throwaway server with stock settings.
 */
export async function pipelineCommand(root: string, runs: number, cleanups: Array<() => Promise<void>>, log: (s: string) => void): Promise<PipelineResult[]> {
  const results: PipelineResult[] = [];
  const migrate = async (url: string): Promise<void> => {
    expectCode(await runTimed(process.execPath, [path.join(root, 'dist', 'cli', 'dbkit.cjs'), 'migrate', '--quiet', '--url', url], root), `migrate ${url}`, [0]);
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-bench-newcomer-pglite-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const pglite = `pglite:${dir}`;
  await migrate(pglite);
  results.push(await rounds('PGlite', root, pglite, runs, log));

  let adminUrl = process.env.DBKIT_BENCH_PG_URL || '';
  let where = 'DBKIT_BENCH_PG_URL';
  if (!adminUrl) {
    const server = await startSystemPostgres({ stock: true });
    cleanups.push(() => server.stop());
    [adminUrl, where] = [server.url, server.description];
  }
  log(`  (PostgreSQL: ${where})`);
  const name = `dbkit_bench_${process.pid}_newcomer`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  results.push(await rounds('PostgreSQL', root, url.toString(), runs, log));
  return results;
}
