/**
 * Drive an interactive command on a real pseudo-terminal (util-linux
 * `script`): wait for each prompt to appear on the terminal, then type the
 * answer, as a person would.
 */
import { spawn } from 'node:child_process';

export interface Step {
  /** Text that shows the prompt is up. */
  prompt: RegExp;
  /** Keys to type (`\r` is Enter). */
  keys: string;
}

export interface PtyResult {
  code: number;
  /** Everything the terminal showed (prompts, echo, output; escape codes stripped). */
  screen: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;

export function onPty(
  command: string,
  steps: Step[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; keepEscapes?: boolean },
): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: 'pipe' });
    let raw = '';
    let seen = 0; // where the next prompt is looked for
    let step = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no prompt ${steps[step]?.prompt ?? '(exit)'} within ${opts.timeoutMs ?? 20_000} ms; the terminal showed:\n${raw.replace(ANSI, '')}`));
    }, opts.timeoutMs ?? 20_000);
    child.stdout.on('data', (d: Buffer) => {
      raw += d.toString('utf8');
      const text = raw.replace(ANSI, '');
      while (step < steps.length) {
        const m = steps[step]!.prompt.exec(text.slice(seen));
        if (!m) break;
        seen += m.index + m[0].length;
        child.stdin.write(steps[step]!.keys);
        step++;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, screen: opts.keepEscapes ? raw : raw.replace(ANSI, '') });
    });
  });
}
