/**
 * Where a command's words go: results on stdout (one JSON document with
 * --json), progress and warnings on stderr. Every byte written to either
 * stream passes through the run's secret scrubber (`installWriter`, put in
 * place by run.ts), whoever writes it: dbkit, commander, a driver, Node's
 * own warnings.
 */
import type { EventEmitter } from 'node:events';
import { currentSecrets, scrubDeep, type SecretSet } from './secrets.js';
import { InterruptedError } from './errors.js';

export interface IoOptions {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  yes?: boolean;
  color?: boolean;
}

export interface Io {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly yes: boolean;
  readonly color: boolean;
  /** A terminal to ask on (stdin and stderr are TTYs). */
  readonly interactive: boolean;
  /** Result text for humans (stdout); ignored in --json mode. */
  out(text: string): void;
  /** The one JSON document of --json mode (stdout). */
  emitJson(doc: unknown): void;
  /** Progress on stderr, unless --quiet. */
  log(text: string): void;
  /** Details on stderr, only with --verbose. */
  debug(text: string): void;
  /** Warnings on stderr, even with --quiet. */
  warn(text: string): void;
  /** Live progress (a progress bar) is drawn: stderr is a terminal, and neither --json nor --quiet. */
  readonly progress: boolean;
  /** Redraw the progress line (only when `progress`). */
  progressLine(text: string): void;
  /** Clear the progress line. */
  progressEnd(): void;
  /** Ask a yes/no question on the terminal. */
  confirm(message: string): Promise<boolean>;
  /** Ask inquirer questions on the terminal (prompts on stderr); Ctrl-C at a prompt is an interrupt (exit 130). */
  ask<T extends object>(questions: readonly object[]): Promise<T>;
  addSecrets(secrets: string[]): void;
  mask(text: string): string;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdinIsTTY: boolean;
  stderrIsTTY: boolean;
  stdoutIsTTY: boolean;
}

export const processStreams = (): Streams => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: !!process.stdin.isTTY,
  stderrIsTTY: !!process.stderr.isTTY,
  stdoutIsTTY: !!process.stdout.isTTY,
});

/**
 * Colour by default only on a terminal (not TERM=dumb). NO_COLOR (set and
 * not empty, no-color.org) turns it off; FORCE_COLOR turns it on even in a
 * pipe (FORCE_COLOR=0 or false: off). --no-color wins over both.
 */
export function colorWanted(stdoutIsTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR);
  return stdoutIsTTY && env.TERM !== 'dumb';
}

/** inquirer, loaded only when a question is asked, prompting on stderr (stdout is for results). */
async function prompt<T>(streams: Streams, questions: readonly object[]): Promise<T> {
  const { default: inquirer } = await import('inquirer');
  const ask = inquirer.createPromptModule({ output: streams.stderr as NodeJS.WriteStream });
  return (await ask(questions as Parameters<typeof ask>[0])) as T;
}

/** On a stream with the writer in place: a write of text that is scrubbed already (a JSON document, scrubbed value by value). */
const PRESCRUBBED = Symbol.for('dbkit.writer.prescrubbed');
type Marked = NodeJS.WritableStream & { [PRESCRUBBED]?: (text: string) => void };

/**
 * Write `text` scrubbed exactly once: by the writer when it is in place (run.ts),
 * else here. `scrubbed`: the caller has scrubbed it already (JSON, value by value).
 * (Scrubbing twice is not harmless: a password that is a quote character would
 * find the quotes around the first pass's `****`.)
 */
export function writeText(stream: NodeJS.WritableStream, text: string, secrets: SecretSet, scrubbed = false): void {
  const raw = (stream as Marked)[PRESCRUBBED];
  if (!raw) stream.write(scrubbed ? text : secrets.scrub(text));
  else if (scrubbed) raw(text);
  else stream.write(text);
}

export function createIo(opts: IoOptions, streams: Streams = processStreams(), env = process.env): Io {
  const secrets = currentSecrets();
  const mask = (t: string) => secrets.scrub(t);
  const line = (s: NodeJS.WritableStream, t: string) => writeText(s, t.replace(/\n?$/, '\n'), secrets);
  const result = line;
  const showProgress = streams.stderrIsTTY && !opts.json && !opts.quiet;
  const color = opts.color ?? colorWanted(streams.stdoutIsTTY, env);
  return {
    json: !!opts.json,
    quiet: !!opts.quiet,
    verbose: !!opts.verbose,
    yes: !!opts.yes,
    color,
    interactive: streams.stdinIsTTY && streams.stderrIsTTY,
    progress: showProgress,
    progressLine: (t) => {
      if (showProgress) writeText(streams.stderr, `\r${t}\x1b[K`, secrets);
    },
    progressEnd: () => {
      if (showProgress) streams.stderr.write('\r\x1b[K');
    },
    out: (t) => {
      if (!opts.json) result(streams.stdout, t);
    },
    emitJson: (doc) => {
      // Indented for a person at a terminal; one compact line for a pipe.
      // Scrubbed before it is serialised, so that a replacement never cuts a JSON escape in two.
      writeText(streams.stdout, JSON.stringify(scrubDeep(doc, secrets), null, streams.stdoutIsTTY ? 2 : undefined) + '\n', secrets, true);
    },
    log: (t) => {
      if (!opts.quiet) result(streams.stderr, t);
    },
    debug: (t) => {
      if (opts.verbose) line(streams.stderr, t);
    },
    warn: (t) => line(streams.stderr, `warning: ${t}`),
    async confirm(message) {
      try {
        return (await prompt<{ ok: boolean }>(streams, [{ type: 'confirm', name: 'ok', message, default: false }])).ok;
      } catch (err) {
        if ((err as Error).name === 'ExitPromptError') return false; // Ctrl-C at the prompt: not confirmed
        throw err;
      }
    },
    async ask<T extends object>(questions: readonly object[]): Promise<T> {
      try {
        return await prompt<T>(streams, questions);
      } catch (err) {
        if ((err as Error).name === 'ExitPromptError') throw new InterruptedError('interrupted at a prompt; nothing was written');
        throw err;
      }
    },
    addSecrets: (s) => s.forEach((x) => secrets.addPassword(x)),
    mask,
  };
}

// ------------------------------------------------------------ the writer

/** A write to stdout or stderr that failed (a full disk, a closed pipe): the run ends with one line and exit 8 (141 for a closed pipe). */
export interface OutputFailure {
  stream: 'stdout' | 'stderr';
  code: string;
  message: string;
}

export interface Writer {
  /** The first output failure of the run, if any. */
  failure(): OutputFailure | null;
  /** Whether `stream` still takes writes. */
  works(stream: 'stdout' | 'stderr'): boolean;
  /** Put the streams' own write back (the error listeners stay: a late failure must not crash). */
  restore(): void;
}

type WriteFn = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;

/**
 * The writer layer: every write to the run's stdout and stderr is scrubbed
 * of the run's secrets, and a stream that fails (EPIPE, ENOSPC, EIO) is
 * recorded and written to no more, instead of crashing the process with a
 * stack trace. In the CLI these are process.stdout and process.stderr
 * themselves, so nothing in the process writes around it.
 */
export function installWriter(streams: Streams, secrets: SecretSet): Writer {
  let failure: OutputFailure | null = null;
  const broken = new Set<'stdout' | 'stderr'>();
  const restores: (() => void)[] = [];
  const seen = new Set<NodeJS.WritableStream>();
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = streams[name] as NodeJS.WritableStream & { write: WriteFn };
    if (seen.has(stream)) continue;
    seen.add(stream);
    const names: ('stdout' | 'stderr')[] = streams.stdout === streams.stderr ? ['stdout', 'stderr'] : [name];
    const fail = (err: unknown) => {
      const e = err as NodeJS.ErrnoException;
      for (const n of names) broken.add(n);
      failure ??= { stream: name, code: e?.code ?? 'EIO', message: e?.message ?? String(err) };
    };
    (stream as unknown as EventEmitter).on?.('error', fail);
    const original = stream.write;
    (stream as Marked)[PRESCRUBBED] = (text: string) => {
      if (broken.has(name)) return;
      try {
        original.call(stream, text, 'utf8');
      } catch (err) {
        fail(err);
      }
    };
    stream.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
      const done = (typeof encoding === 'function' ? encoding : callback) as ((err?: Error | null) => void) | undefined;
      if (broken.has(name)) {
        if (done) process.nextTick(done);
        return true;
      }
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
      try {
        return original.call(stream, secrets.scrub(text), 'utf8', done);
      } catch (err) {
        fail(err);
        if (done) process.nextTick(done);
        return true;
      }
    };
    restores.push(() => {
      stream.write = original;
      delete (stream as Marked)[PRESCRUBBED];
    });
  }
  return {
    failure: () => failure,
    works: (name) => !broken.has(name),
    restore: () => restores.forEach((r) => r()),
  };
}
