/**
 * Where the embedded database's start-up time goes: each phase timed in a
 * process of its own (cold, as a CLI run is), the way v0.1.0 did it and the
 * way dbkit does it now. Run by bench/embedded.ts after its comparison, or
 * alone: `node dist/bench/embedded-phases.js [--runs 3]`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import nodeModule from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { median } from './stats.js';

const SELF = fileURLToPath(import.meta.url);
const now = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
type Mark = ReturnType<typeof now>;
const since = (m: Mark) => ({ wall: performance.now() - m.wall, cpu: (() => { const c = process.cpuUsage(m.cpu); return (c.user + c.system) / 1000; })() });

/** One phase, measured in this process; prints {label: {wall, cpu}} as JSON on stdout. */
async function phase(name: string, dir: string): Promise<Record<string, { wall: number; cpu: number }>> {
  const out: Record<string, { wall: number; cpu: number }> = {};
  const time = async <T>(label: string, fn: () => Promise<T> | T): Promise<T> => {
    const m = now();
    const r = await fn();
    out[label] = since(m);
    return r;
  };
  out['node'] = { wall: performance.now(), cpu: (() => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; })() };
  if (name === 'tuned') {
    v8.setFlagsFromString('--wasm-lazy-validation');
    v8.setFlagsFromString('--wasm-tiering-budget=2000000000');
  }
  if (name === 'knex') {
    await time('import knex', () => import('knex'));
    return out;
  }
  if (name === 'knex-pglite') {
    await time('import knex + knex-pglite', async () => [await import('knex'), await import('knex-pglite')]);
    return out;
  }
  if (name === 'image') {
    const { materialize, readImage, readManifest } = await import('../dialects/pglite/image.js');
    await time('new directory from the image', () => materialize(readImage(readManifest()!), path.join(dir, 'new')));
    return out;
  }
  const { PGlite } = await time('import @electric-sql/pglite', () => import('@electric-sql/pglite'));
  const wasmFile = path.join(path.dirname(nodeModule.createRequire(import.meta.url).resolve('@electric-sql/pglite')), 'pglite.wasm');
  const wasm = await time('compile pglite.wasm', async () => WebAssembly.compile(await fs.promises.readFile(wasmFile)));
  const tuned = name === 'tuned' ? { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] } : {};
  if (name === 'existing' || name === 'tuned') {
    const { materialize, readImage, readManifest } = await import('../dialects/pglite/image.js');
    await materialize(readImage(readManifest()!), path.join(dir, 'db'));
  }
  const where = name === 'initdb' || name === 'existing' || name === 'tuned' ? { dataDir: path.join(dir, 'db') } : {};
  const db = await time('PGlite.create', () => PGlite.create({ ...where, ...tuned, pgliteWasmModule: wasm }));
  await time('first query', () => db.query('SELECT 1'));
  await time('close', () => db.close());
  return out;
}

const PHASES: { name: string; title: string }[] = [
  { name: 'initdb', title: 'new directory, PGlite initdb (v0.1.0)' },
  { name: 'memory', title: 'in memory, PGlite initdb (v0.1.0)' },
  { name: 'existing', title: "existing directory, PGlite's settings (v0.1.0)" },
  { name: 'tuned', title: 'existing directory, shared_buffers=16MB, no tier-up (dbkit)' },
  { name: 'image', title: 'new directory copied from the build-time image (dbkit)' },
  { name: 'knex', title: 'Knex (migrate, rollback)' },
  { name: 'knex-pglite', title: 'Knex + knex-pglite, its CommonJS PGlite copy (v0.1.0)' },
];

export function reportPhases(runs = 3): void {
  console.log(`\nwhere the time goes: each block one cold process, median of ${runs} (wall ms / CPU ms of all threads)`);
  for (const p of PHASES) {
    const results: Record<string, { wall: number; cpu: number }>[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-bench-phase-'));
      try {
        const r = spawnSync(process.execPath, [SELF, '--phase', p.name, dir], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`phase ${p.name} exited ${r.status}: ${r.stderr}`);
        results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, { wall: number; cpu: number }>);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    console.log(`  ${p.title}`);
    for (const label of Object.keys(results[0]!)) {
      const wall = median(results.map((r) => r[label]!.wall));
      const cpu = median(results.map((r) => r[label]!.cpu));
      const name = label === 'node' ? 'Node start-up, to the first line' : label;
      console.log(`    ${name.padEnd(36)} ${wall.toFixed(0).padStart(6)} ms ${cpu.toFixed(0).padStart(6)} ms`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const i = process.argv.indexOf('--phase');
  if (i >= 0) {
    phase(process.argv[i + 1]!, process.argv[i + 2]!).then((r) => console.log(JSON.stringify(r)));
  } else {
    const j = process.argv.indexOf('--runs');
    reportPhases(j >= 0 ? Number(process.argv[j + 1]) : 3);
  }
}
