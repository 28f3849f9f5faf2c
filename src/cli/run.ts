/** The entry point's one catch: errors become one masked line and an exit code. */
import { CommanderError } from 'commander';
import { maskText } from '../config/mask.js';
import { DbkitError, ExitCode } from './errors.js';
import { processStreams, type Streams } from './io.js';
import { buildProgram, type ProgramResult } from './program.js';

/**
 * A typed error, by shape: the entry bundle (CommonJS) and the command
 * modules (ES modules) each hold a copy of errors.ts, so instanceof cannot
 * tell across them.
 */
function isDbkitError(err: unknown): err is DbkitError {
  return err instanceof DbkitError || (err instanceof Error && Number.isInteger((err as { exitCode?: unknown }).exitCode));
}

export async function run(argv: string[], streams: Streams = processStreams()): Promise<number> {
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
      if (json) streams.stdout.write(JSON.stringify({ error: { exitCode: ExitCode.usage, message } }) + '\n');
      return ExitCode.usage;
    }
    const urlFlag = argv.find((a, i) => argv[i - 1] === '--url') ?? argv.find((a) => a.startsWith('--url='))?.slice(6);
    // Loaded here, not at start-up: --help and usage errors never need the config loader.
    const { configSecrets } = await import('../config/load.js');
    const secrets = configSecrets({ url: urlFlag });
    const mask = (t: string) => (result.io ? result.io.mask(maskText(t, secrets)) : maskText(t, secrets));
    const code = isDbkitError(err) ? err.exitCode : ExitCode.sql;
    const message = err instanceof Error ? err.message : String(err);
    const firstLine = message.split('\n')[0]!;
    streams.stderr.write(mask(`dbkit: ${firstLine}`) + '\n');
    if (verbose && err instanceof Error && err.stack) {
      streams.stderr.write(mask(err.stack) + '\n');
      const cause = err.cause;
      if (cause !== undefined) streams.stderr.write(mask(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`) + '\n');
    }
    if (json) streams.stdout.write(mask(JSON.stringify({ error: { exitCode: code, message: firstLine } })) + '\n');
    return code;
  }
}
