/**
 * One target, in this process: the single-database command itself
 * (migrateCommand, statusCommand, ...) with the target's URL, schema and
 * namespace and an Io that captures instead of printing. So a target runs
 * exactly what `dbkit <command> --url <its URL> --json` would: the same
 * lock, checks and messages, on connections of its own that the command
 * closes when it is done. Nothing here throws: an error becomes the
 * target's failure with the exit code a single run would have had.
 */
import { Writable } from 'node:stream';
import { ExitCode } from '../shared/errors.js';
import { createIo, type Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { urlSecrets } from '../shared/mask.js';
import { dialectOf, parseUrl } from '../config/url.js';
import { defaultSchemaFor } from '../schema/registry.js';
import { statusOf, WHERE_FIELDS, type AppliedMigration, type FleetCommandName, type TargetOutcome, type TargetStatus } from './outcome.js';
import type { TargetSpec } from './targets.js';

/** A single-database command: (its options, the global options, where to speak) -> exit code. */
export type CommandFn<O> = (opts: O, globals: GlobalOptions, io: Io) => Promise<number>;

export interface TargetContext<O> {
  command: FleetCommandName;
  run: CommandFn<O>;
  /** The command's own options (without --targets and the fleet's flags). */
  opts: O;
  globals: GlobalOptions;
  verbose: boolean;
  /** Where a target's --verbose lines go, live (prefixed with its name by the caller). */
  debug(name: string, text: string): void;
}

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

/** Where the target is, from its spec and URL alone (for targets that failed before connecting, or never ran). */
export function describeTarget(spec: TargetSpec, url: string | null, globals: GlobalOptions): Pick<TargetOutcome, 'url' | 'engine' | 'schema' | 'namespace'> {
  let parsed: ReturnType<typeof parseUrl> | null = null;
  try {
    parsed = url ? parseUrl(url) : null;
  } catch {
    parsed = null;
  }
  const schema = spec.schema ?? globals.schema ?? (parsed ? defaultSchemaFor(dialectOf(parsed.engine)) : null);
  return { url: parsed?.display ?? null, engine: parsed?.engine ?? null, schema, namespace: spec.namespace ?? globals.namespace ?? null };
}

/** An outcome for a target that did not run (skipped, not started, or failed before it could). */
export function idleOutcome(
  spec: TargetSpec,
  url: string | null,
  globals: GlobalOptions,
  status: TargetStatus,
  error: TargetOutcome['error'] = null,
): TargetOutcome {
  return { name: spec.name, tags: spec.tags, ...describeTarget(spec, url, globals), status, exitCode: error?.exitCode ?? null, ms: null, warnings: [], error };
}

const exitCodeOf = (err: unknown): number => {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : ExitCode.sql;
};

function appliedMigrations(doc: Record<string, unknown>): AppliedMigration[] {
  const list = Array.isArray(doc.migrations) ? (doc.migrations as { name?: unknown; ms?: unknown }[]) : [];
  return list.map((m) => ({ name: String(m.name), ms: typeof m.ms === 'number' ? m.ms : null }));
}

export async function runTarget<O>(ctx: TargetContext<O>, spec: TargetSpec, url: string): Promise<TargetOutcome> {
  const started = performance.now();
  const warnings: string[] = [];
  const captured: { doc: Record<string, unknown> | null } = { doc: null };
  const base = createIo({ json: true, verbose: ctx.verbose, color: false }, { stdout: sink(), stderr: sink(), stdinIsTTY: false, stderrIsTTY: false, stdoutIsTTY: false });
  base.addSecrets(urlSecrets(url));
  const io: Io = {
    ...base,
    out: () => undefined,
    // A copy, as the JSON a single run would print (dates as strings, nothing shared).
    emitJson: (d) => void (captured.doc = JSON.parse(JSON.stringify(d)) as Record<string, unknown>),
    log: (t) => ctx.verbose && ctx.debug(spec.name, base.mask(t)),
    debug: (t) => ctx.verbose && ctx.debug(spec.name, base.mask(t)),
    warn: (t) => void warnings.push(base.mask(t)),
    progressLine: () => undefined,
    progressEnd: () => undefined,
  };
  const globals: GlobalOptions = {
    ...ctx.globals,
    url,
    ...(spec.schema ? { schema: spec.schema } : {}),
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
  };
  let exitCode: number;
  let error: TargetOutcome['error'] = null;
  try {
    exitCode = await ctx.run(ctx.opts, globals, io);
  } catch (err) {
    exitCode = exitCodeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    error = { message: base.mask(message.split('\n')[0]!), exitCode };
    if (ctx.verbose && err instanceof Error && err.stack) ctx.debug(spec.name, base.mask(err.stack));
  }
  const ms = Math.round(performance.now() - started);
  const doc = captured.doc;
  const where = describeTarget(spec, url, globals);
  const status = error ? 'failed' : statusOf(ctx.command, exitCode, doc);
  const outcome: TargetOutcome = {
    name: spec.name,
    tags: spec.tags,
    url: typeof doc?.url === 'string' ? doc.url : where.url,
    engine: typeof doc?.engine === 'string' ? doc.engine : where.engine,
    schema: typeof doc?.schema === 'string' ? doc.schema : where.schema,
    namespace: typeof doc?.namespace === 'string' ? doc.namespace : where.namespace,
    status,
    exitCode,
    ms,
    warnings,
    error: error ?? (status === 'failed' ? { message: `exited ${exitCode} without a report`, exitCode } : null),
  };
  if (doc && ctx.command === 'migrate') {
    outcome.migrations = appliedMigrations(doc);
    if (Array.isArray(doc.accepted)) outcome.accepted = doc.accepted;
  } else if (doc) {
    const result = { ...(doc as Record<string, unknown>) };
    for (const k of WHERE_FIELDS) delete result[k];
    outcome.result = result;
  }
  return outcome;
}
