/**
 * The entry point's one catch: errors become one line and an exit code.
 * Every run has its own set of secrets, registered before anything is
 * parsed, and writes through the scrubbing writer (io.ts), which also turns
 * a failed stdout or stderr (a full disk, a closed pipe) into exit 8 (141,
 * quietly, for a closed pipe) instead of a crash.
 */
import { CommanderError } from 'commander';
import { scrubDeep, withSecrets, type SecretSet } from '../shared/secrets.js';
import { registerStartupSecrets } from '../config/secret-sources.js';
import { driverExitCode, driverLine } from '../connection/driver-errors.js';
import { DbkitError, ExitCode } from '../shared/errors.js';
import { installWriter, processStreams, writeText, type OutputFailure, type Streams, type Writer } from '../shared/io.js';
import { buildProgram, type ProgramResult } from './program.js';

/**
 * A typed error, by shape: the entry bundle (CommonJS) and the command
 * modules (ES modules) each hold a copy of errors.ts, so instanceof cannot
 * tell across them.
 */
function isDbkitError(err: unknown): err is DbkitError {
  return err instanceof DbkitError || (err instanceof Error && Number.isInteger((err as { exitCode?: unknown }).exitCode));
}

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EPIPE: 'the reader closed the pipe',
  EIO: 'input/output error',
  EBADF: 'the stream is closed',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
};

/** The exit code once output failed: a closed pipe ends quietly with 141 (as a Unix tool killed by SIGPIPE), anything else says so and exits 8. */
function afterOutputFailure(code: number, failure: OutputFailure, streams: Streams, writer: Writer): number {
  // A command that failed on its own keeps its code: its error line is what matters.
  const keep = code !== ExitCode.ok && code !== ExitCode.found;
  if (failure.code === 'EPIPE') return keep ? code : ExitCode.closedPipe;
  if (writer.works('stderr') && failure.stream !== 'stderr') {
    const what = WHY[failure.code] ? `${WHY[failure.code]} (${failure.code})` : failure.message.split('\n')[0];
    const result = keep ? `the command itself failed (exit ${code})` : `the command itself finished (exit ${code})`;
    streams.stderr.write(`dbkit: cannot write to ${failure.stream}: ${what}; its output is incomplete, ${result}\n`);
  }
  return keep ? code : ExitCode.output;
}

async function runProgram(argv: string[], streams: Streams, secrets: SecretSet): Promise<number> {
  // Scrubbed before it is serialised (as io.emitJson does): a replacement never cuts a JSON escape in two.
  const errorJson = (exitCode: number, message: string, extra: Record<string, unknown> = {}, details: string[] = []) =>
    writeText(streams.stdout, JSON.stringify(scrubDeep({ ...extra, error: { exitCode, message, ...(details.length ? { details } : {}) } }, secrets)) + '\n', secrets, true);
  const result: ProgramResult = { exitCode: 0, io: null };
  const program = buildProgram(streams, result);
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message already; --help and --version are not errors.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      const message = err.message.replace(/^error: /, '').split('\n')[0]!;
      if (json) errorJson(ExitCode.usage, message);
      return ExitCode.usage;
    }
    // A driver's error nothing explained: the server's own words and the statement's first line (driver-errors.ts).
    const code = isDbkitError(err) ? err.exitCode : (driverExitCode(err) ?? ExitCode.sql);
    const message = isDbkitError(err) ? err.message : driverLine(err);
    const firstLine = message.split('\n')[0]!;
    streams.stderr.write(`dbkit: ${firstLine}\n`);
    // Several findings (UsageErrors, by shape as above): one line each after the error's.
    const details = ((err as { details?: unknown }).details ?? []) as string[];
    for (const d of details) streams.stderr.write(`  ${d}\n`);
    if (verbose && err instanceof Error && err.stack) {
      streams.stderr.write(err.stack + '\n');
      const cause = err.cause;
      if (cause !== undefined) streams.stderr.write(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    }
    // A typed error may carry what --json shows beside it (the counts of the data pre-flight).
    if (json) errorJson(code, firstLine, isDbkitError(err) ? (err as { json?: Record<string, unknown> }).json : undefined, details);
    return code;
  }
}

/**
 * An error nothing caught (an 'error' event of a driver's idle connection):
 * one scrubbed line and exit 5 instead of Node's raw stack, in the CLI
 * process only (an in-process run leaves the host's handlers alone).
 */
function crashHandler(streams: Streams, argv: string[]): () => void {
  if (streams.stderr !== process.stderr) return () => undefined;
  const onCrash = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    streams.stderr.write(`dbkit: unexpected error: ${e.message.split('\n')[0]}\n`);
    if (argv.includes('--verbose') || argv.includes('-v')) streams.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = ExitCode.sql;
    process.stderr.write('', () => process.exit(ExitCode.sql));
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
}

/** Once everything written so far is out (or has failed: a closed pipe reports EPIPE only then). */
const flushed = (streams: Streams) =>
  Promise.all([...new Set([streams.stdout, streams.stderr])].map((s) => new Promise<void>((done) => s.write('', () => done()))));

export async function run(argv: string[], streams: Streams = processStreams()): Promise<number> {
  return withSecrets(async (secrets) => {
    registerStartupSecrets(secrets, argv, process.env, process.cwd());
    const writer = installWriter(streams, secrets);
    const uncrash = crashHandler(streams, argv);
    try {
      const code = await runProgram(argv, streams, secrets);
      await flushed(streams);
      const failure = writer.failure();
      return failure ? afterOutputFailure(code, failure, streams, writer) : code;
    } finally {
      uncrash();
      writer.restore();
    }
  });
}
