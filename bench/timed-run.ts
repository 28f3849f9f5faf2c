/**
 * Child processes timed whole (spawn to exit) for bench/diff.ts, stdout to
 * /dev/null unless captured; optionally each stderr line time-stamped as it
 * arrives (pipes are synchronous on Linux: when it was written).
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Ran {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** With `timeline`: when each stderr line arrived (pipes are synchronous on Linux: when it was written). */
  lines: Array<{ ms: number; text: string }>;
  /** With `timeline`: when the first stdout byte arrived. */
  firstStdoutMs: number | null;
}

export interface RunOptions {
  /** Keep stdout (else it goes to /dev/null). */
  capture?: boolean;
  /** Time-stamp stderr lines and the first stdout byte (stdout is piped and dropped). */
  timeline?: boolean;
}

/** Where uncaptured stdout goes: one descriptor of /dev/null, opened on first use. */
let devNull = -1;
const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  return env;
};

/** Run a command; the time is spawn to exit (the whole process). */
export async function runTimed(cmd: string, args: string[], cwd: string, opts: RunOptions = {}): Promise<Ran> {
  const started = performance.now();
  const piped = opts.capture || opts.timeline;
  if (!piped && devNull < 0) devNull = openSync('/dev/null', 'w');
  const child = spawn(cmd, args, { cwd, env: childEnv(), stdio: ['ignore', piped ? 'pipe' : devNull, 'pipe'] });
  const out: Buffer[] = [];
  const lines: Ran['lines'] = [];
  let firstStdoutMs: number | null = null;
  let stderr = '';
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    firstStdoutMs ??= performance.now() - started;
    if (opts.capture) out.push(d);
  });
  child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr += text;
    if (!opts.timeline) return;
    const ms = performance.now() - started;
    const parts = (partial + text).split('\n');
    partial = parts.pop()!;
    for (const line of parts) lines.push({ ms, text: line });
  });
  const code = await new Promise<number | null>((res, rej) => {
    child.on('error', rej);
    child.on('close', (c) => res(c));
  });
  return { ms: performance.now() - started, code, stdout: Buffer.concat(out).toString(), stderr, lines, firstStdoutMs };
}

export function expectCode(ran: Ran, what: string, ok: number[]): Ran {
  if (ran.code === null || !ok.includes(ran.code)) {
    throw new Error(`${what} exited with ${ran.code} (expected ${ok.join(' or ')}):\n${ran.stderr.slice(-3000)}`);
  }
  return ran;
}
