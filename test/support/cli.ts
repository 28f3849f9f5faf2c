/** Run the built dbkit CLI (dist/cli/dbkit.cjs, what package.json's bin names) as a child process, as a pipeline would. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(repoRoot, 'dist', 'cli', 'dbkit.cjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Another build of the CLI (a copied package) instead of this checkout's. */
  bin?: string;
}

export function dbkit(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return spawnDbkit(args, opts);
}

/** Start dbkit and SIGKILL it after `ms` milliseconds (or let it finish first). */
export function dbkitKilledAfter(args: string[], ms: number, opts: CliOptions = {}): Promise<CliResult & { killed: boolean }> {
  return spawnDbkit(args, opts, ms);
}

/**
 * Start dbkit and send it `signal` once its stderr matches `when` (run it with
 * --verbose to see its progress) or, when `when` is a function, once it
 * resolves true (polled every 100 ms: e.g. the database shows dbkit waiting
 * on a lock), or after `ms` milliseconds if neither happens.
 */
export function dbkitSignalled(
  args: string[],
  signal: NodeJS.Signals,
  when: RegExp | (() => Promise<boolean>),
  ms = 30_000,
  opts: CliOptions = {},
): Promise<CliResult & { signalled: boolean }> {
  return new Promise((resolve, reject) => {
    const child = start(args, opts);
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const send = () => {
      if (signalled) return;
      signalled = true;
      child.kill(signal);
    };
    const timer = setTimeout(send, ms);
    let polling = true;
    const poll = async () => {
      while (polling && !signalled) {
        if (typeof when === 'function' && (await when().catch(() => false))) send();
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    if (typeof when === 'function') void poll();
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (when instanceof RegExp && when.test(stderr)) send();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      polling = false;
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, signalled });
    });
    child.stdin.end('');
  });
}

/** A dbkit run in the background: wait for a line on its stderr, signal it, then collect its result. */
export function startDbkit(args: string[], opts: CliOptions = {}) {
  const child = start(args, opts);
  child.stdin.end('');
  let stdout = '';
  let stderr = '';
  const waiting: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const w of waiting.splice(0)) {
      if (w.re.test(stderr)) w.resolve();
      else waiting.push(w);
    }
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  const waitFor = (re: RegExp) =>
    re.test(stderr)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiting.push({ re, resolve })),
          done.then((r) => Promise.reject(new Error(`dbkit exited (${r.code}) before ${re}: ${r.stderr}`))),
        ]);
  return { child, done, waitFor };
}

/** The CLI as a child process: no colour, no inherited DATABASE_URL, unless opts.env says otherwise. */
function start(args: string[], opts: CliOptions) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DATABASE_URL: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return spawn(process.execPath, [opts.bin ?? bin, ...args], { cwd: opts.cwd ?? repoRoot, env, stdio: 'pipe' });
}

function spawnDbkit(args: string[], opts: CliOptions, killAfterMs?: number): Promise<CliResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = start(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, killed: signal === 'SIGKILL' });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * The CLI in-process: `run(argv, streams)` of src/cli/run.ts (what bin/dbkit.ts
 * calls) with captured, non-terminal streams. The same commands, exit codes and
 * output as the binary, without a process start (and, on PGlite, with the
 * WebAssembly module compiled once per test file). It reads this process's
 * environment (DBKIT_ROOT, DATABASE_URL, ...) and working directory.
 */
export async function dbkitInProcess(args: string[]): Promise<CliResult> {
  const { run } = await import('../../src/cli/run.js'); // loaded by the files that use it only
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(['node', 'dbkit', ...args], { stdout, stderr, stdinIsTTY: false, stderrIsTTY: false, stdoutIsTTY: false });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Parse the one JSON document a --json run prints on stdout. */
export function json<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

