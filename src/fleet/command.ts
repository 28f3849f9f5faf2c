/**
 * `dbkit migrate|status|diff|check-indexes --targets FILE`: the command over
 * every target of the file, in this process, `--concurrency` at a time,
 * canaries first, then a line per target as it finishes (a progress bar on
 * a terminal), the summary or one JSON document, and one exit code:
 * 0 when every target's own run would have exited 0, 1 when some did not,
 * 2 when the file or the flags are wrong (nothing ran) or every target
 * failed the same way, 130 when interrupted.
 */
import { UsageError } from '../shared/errors.js';
import { withInterrupts } from '../shared/interrupt.js';
import type { Io } from '../shared/io.js';
import { findConfigFile, loadConfigFile } from '../config/file.js';
import type { GlobalOptions } from '../config/load.js';
import { urlSecrets } from '../shared/mask.js';
import { fleetJson, nameWidth, renderProgress, renderSummary, renderTargetLine, type FleetReport } from './render.js';
import { isFailure, type FleetCommandName, type TargetOutcome } from './outcome.js';
import { runPool, type OnError, type StoppedBy } from './runner.js';
import { selectTargets } from './select.js';
import { idleOutcome, runTarget, type CommandFn, type TargetContext } from './target.js';
import { loadTargetsFile, resolveUrl, type TargetSpec } from './targets.js';
import { sameDatabase } from './same-database.js';

export interface FleetFlags {
  targets?: string;
  concurrency?: string;
  canary?: string[];
  onError?: string;
  only?: string[];
}

export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;

/** Flags of the single-database command that make no sense over a fleet. */
const REFUSED: Partial<Record<FleetCommandName, Record<string, string>>> = {
  migrate: { dryRun: '--dry-run prints one database\'s SQL: run it with --url on one target (dbkit status --targets shows what is pending everywhere)' },
  diff: { sql: '--sql writes one database\'s fix script: run it with --url on the target that drifted' },
};

function concurrencyOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = /^\d+$/.test(value) ? Number(value) : NaN; // digits only: not 1e2, 1.5 or 0x10
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got "${value}"`);
  return n;
}

/** The progress bar on a terminal's stderr, kept below the lines printed as targets finish. */
function screen(io: Io, total: number) {
  const started = Date.now();
  const state = { done: 0, running: 0, failed: 0 };
  const draw = () => io.progressLine(renderProgress({ ...state, total, elapsedMs: Date.now() - started }));
  const timer = io.progress ? setInterval(draw, 500) : null;
  timer?.unref();
  const around = (fn: () => void) => {
    io.progressEnd();
    fn();
    draw();
  };
  return {
    state,
    draw,
    around,
    end() {
      if (timer) clearInterval(timer);
      io.progressEnd();
    },
  };
}

export async function fleetCommand<O extends FleetFlags>(
  command: FleetCommandName,
  opts: O,
  globals: GlobalOptions,
  io: Io,
  run: CommandFn<O>,
): Promise<number> {
  const started = Date.now();
  const { targets: file, concurrency: rawConcurrency, canary: rawCanary, onError: rawOnError, only: rawOnly, ...single } = opts;
  if (globals.url) throw new UsageError('--url and --targets do not go together: the targets file names every database');
  for (const [flag, why] of Object.entries(REFUSED[command] ?? {})) {
    if ((single as Record<string, unknown>)[flag]) throw new UsageError(`--targets: ${why}`);
  }
  const concurrency = concurrencyOf(rawConcurrency);
  const onError = (rawOnError ?? 'continue') as OnError;
  if (onError !== 'stop' && onError !== 'continue') throw new UsageError(`--on-error must be stop or continue, got "${rawOnError}"`);

  const loaded = await loadTargetsFile(file!);
  io.addSecrets(loaded.secrets);
  // A broken config file would fail every target alike: say it once.
  const configFile = findConfigFile(process.cwd(), globals.config);
  if (configFile) await loadConfigFile(configFile);

  const only = rawOnly?.length ? selectTargets(loaded.targets, rawOnly, '--only') : null;
  const canary = rawCanary?.length ? selectTargets(loaded.targets, rawCanary, '--canary') : new Set<string>();
  const outside = [...canary].find((n) => only && !only.has(n));
  if (outside) throw new UsageError(`--canary ${outside} is not among the --only targets`);
  const chosen = loaded.targets.filter((t) => !only || only.has(t.name));

  const urls = new Map(chosen.map((t) => [t.name, resolveUrl(t, process.env)]));
  for (const { url } of urls.values()) if (url) io.addSecrets(urlSecrets(url));
  const unresolved = chosen.filter((t) => urls.get(t.name)!.problem);
  if (unresolved.length === chosen.length) {
    throw new UsageError(`no target has a URL: ${urls.get(chosen[0]!.name)!.problem}${chosen.length > 1 ? ` (and ${chosen.length - 1} more)` : ''}`);
  }
  const twins = sameDatabase(chosen.flatMap((t) => (urls.get(t.name)!.url ? [{ spec: t, url: urls.get(t.name)!.url! }] : [])), globals.namespace ?? null);
  if (twins) throw new UsageError(`targets ${twins[0]} and ${twins[1]} are the same database and namespace: name each once`);

  const { verbose } = io;
  const view = screen(io, chosen.length);
  const ctx: TargetContext<Omit<O, keyof FleetFlags>> = {
    command,
    run: run as unknown as CommandFn<Omit<O, keyof FleetFlags>>,
    opts: single,
    globals: { ...globals, url: undefined },
    verbose,
    debug: (name, text) => view.around(() => io.debug(text.split('\n').map((l) => `[${name}] ${l}`).join('\n'))),
  };
  const byName = new Map(chosen.map((t) => [t.name, t]));
  const width = nameWidth(chosen);
  const runOne = async (name: string): Promise<TargetOutcome> => {
    const spec = byName.get(name)!;
    const { url, problem } = urls.get(name)!;
    if (!url) return idleOutcome(spec, null, globals, 'failed', { message: problem!, exitCode: 2 });
    return runTarget(ctx, spec, url);
  };

  let interrupted = false;
  const previousMax = process.getMaxListeners();
  // Each running migrate listens for SIGINT and SIGTERM itself (to stop cleanly); so does the fleet.
  process.setMaxListeners(Math.max(previousMax, concurrency + 11));
  let pool: { results: Map<string, TargetOutcome>; notStarted: string[]; stoppedBy: StoppedBy };
  try {
    pool = await withInterrupts(`${command} over ${chosen.length} targets`, async (signal) => {
      const out = await runPool(chosen.map((t) => t.name), runOne, isFailure, { concurrency, canary, onError, signal }, {
        onStart: () => {
          view.state.running++;
          view.draw();
        },
        onFinish: (_name, outcome) => {
          view.state.running--;
          view.state.done++;
          if (isFailure(outcome)) view.state.failed++;
          if (!io.quiet || isFailure(outcome)) view.around(() => io.out(renderTargetLine(outcome, { color: io.color, nameWidth: width })));
          else view.draw();
        },
      });
      interrupted = signal.aborted;
      return out;
    });
  } finally {
    view.end();
    process.setMaxListeners(previousMax);
  }

  const outcomes = loaded.targets.map((spec): TargetOutcome => {
    if (!byName.has(spec.name)) return idleOutcome(spec, resolveUrl(spec, process.env).url, globals, 'skipped');
    return pool.results.get(spec.name) ?? idleOutcome(spec, urls.get(spec.name)!.url, globals, 'not started');
  });
  const report: FleetReport = {
    command,
    file: file!,
    concurrency,
    onError,
    canary: [...canary],
    only: rawOnly?.length ? rawOnly : null,
    stoppedBy: pool.stoppedBy,
    ms: Date.now() - started,
    exitCode: exitCodeOf(outcomes, interrupted),
    targets: outcomes,
  };
  if (io.json) io.emitJson(fleetJson(report));
  else io.out(renderSummary(report, { color: io.color }));
  return report.exitCode;
}

/** 0 when every target that was to run exited 0; 2 when every one failed on a usage error; 130 when interrupted; else 1. */
export function exitCodeOf(outcomes: readonly TargetOutcome[], interrupted: boolean): number {
  if (interrupted) return 130;
  const due = outcomes.filter((t) => t.status !== 'skipped');
  if (due.every((t) => t.exitCode === 0)) return 0;
  if (due.every((t) => t.status === 'failed' && t.exitCode === 2)) return 2;
  return 1;
}

export type { TargetSpec };
