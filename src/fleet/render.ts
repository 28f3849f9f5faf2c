/**
 * Renderers of a run over a fleet of targets (pure): one line per target as
 * it finishes (details indented under it), the closing summary, the
 * progress bar, and the --json document.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { STATUSES, statusKey, type FleetCommandName, type TargetOutcome, type TargetStatus } from './outcome.js';
import type { OnError, StoppedBy } from './runner.js';

export interface FleetReport {
  command: FleetCommandName;
  /** The targets file as given. */
  file: string;
  concurrency: number;
  onError: OnError;
  canary: string[];
  /** --only selectors, or null for every target. */
  only: string[] | null;
  stoppedBy: StoppedBy;
  ms: number;
  exitCode: number;
  /** In file order. */
  targets: TargetOutcome[];
}

const painter = (color: boolean) => new Chalk({ level: color ? 1 : 0 });
const seconds = (ms: number | null) => (ms === null ? '' : `${(ms / 1000).toFixed(2)} s`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function paint(c: ChalkInstance, status: TargetStatus, text: string): string {
  if (status === 'failed') return c.red(text);
  if (status === 'applied' || status === 'up to date' || status === 'clean' || status === 'ok') return c.green(text);
  if (status === 'skipped' || status === 'not started') return c.dim(text);
  return c.yellow(text);
}

/** The number of each status of the command (all of them, zeros included) and of targets and, for migrate, migrations applied. */
export function fleetTotals(report: Pick<FleetReport, 'command' | 'targets'>): Record<string, number> {
  const totals: Record<string, number> = { targets: report.targets.length };
  for (const s of STATUSES[report.command]) totals[statusKey(s)] = report.targets.filter((t) => t.status === s).length;
  if (report.command === 'migrate') totals.migrations = report.targets.reduce((n, t) => n + (t.migrations?.length ?? 0), 0);
  return totals;
}

/** The --json document: the run, its totals, and every target in file order. */
export function fleetJson(report: FleetReport) {
  return {
    command: report.command,
    targetsFile: report.file,
    concurrency: report.concurrency,
    onError: report.onError,
    canary: report.canary,
    only: report.only,
    ok: report.exitCode === 0,
    exitCode: report.exitCode,
    stoppedBy: report.stoppedBy,
    ms: report.ms,
    totals: fleetTotals(report),
    targets: report.targets,
  };
}

/** What a finished target's line says after its status. */
function detail(t: TargetOutcome): string {
  if (t.error) return `exit ${t.error.exitCode}: ${t.error.message}`;
  const r = t.result ?? {};
  switch (t.status) {
    case 'applied':
      return `${plural(t.migrations?.length ?? 0, 'migration')}, ${seconds(t.ms)}`;
    case 'behind': {
      const counts = (r.counts ?? {}) as Record<string, number>;
      const parts = ['pending', 'changed', 'missing'].filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
      return `${parts.join(', ')}, ${seconds(t.ms)}`;
    }
    case 'drift':
      return `${plural(Array.isArray(r.changes) ? r.changes.length : 0, 'difference')}, ${seconds(t.ms)}`;
    case 'problems': {
      const expected = (Array.isArray(r.expected) ? r.expected : []) as { status: string }[];
      const bad = expected.filter((e) => e.status !== 'ok').length;
      const advisories = Array.isArray(r.advisories) ? r.advisories.length : 0;
      return `${bad} of ${expected.length} expected indexes with problems, ${advisories === 1 ? '1 advisory' : `${advisories} advisories`}, ${seconds(t.ms)}`;
    }
    default:
      return seconds(t.ms);
  }
}

/** Lines under a target: what diff and check-indexes found, and its warnings. */
function findings(t: TargetOutcome, c: ChalkInstance): string[] {
  const r = t.result ?? {};
  const lines: string[] = [];
  if (t.status === 'drift' && Array.isArray(r.changes)) {
    for (const ch of r.changes as { kind: string; message: string }[]) {
      const mark = ch.kind.endsWith('_missing') ? c.red('-') : ch.kind.endsWith('_extra') ? c.green('+') : c.yellow('~');
      lines.push(`${mark} ${ch.message}`);
    }
  }
  if (t.status === 'problems') {
    for (const e of (Array.isArray(r.expected) ? r.expected : []) as { status: string; table: string; name: string; columns: string[] }[]) {
      if (e.status !== 'ok') lines.push(`${c.red(e.status)} ${e.table}.${e.name} (${e.columns.join(', ')})`);
    }
    for (const a of (Array.isArray(r.advisories) ? r.advisories : []) as { kind: string; message: string }[]) lines.push(`${c.yellow(a.kind)} ${a.message}`);
  }
  lines.push(...t.warnings.map((w) => c.yellow(w)));
  return lines.map((l) => `    ${l}`);
}

export interface LineOptions {
  color: boolean;
  /** Width of the name column. */
  nameWidth: number;
}

/** A finished target: `name  status  detail`, with findings and warnings indented below. */
export function renderTargetLine(t: TargetOutcome, { color, nameWidth }: LineOptions): string {
  const c = painter(color);
  const head = `${t.name.padEnd(nameWidth)}  ${paint(c, t.status, t.status.padEnd(11))}  ${detail(t)}`.trimEnd();
  return [head, ...findings(t, c)].join('\n');
}

/** The width of the name column for these targets (capped, so a long name does not push every line). */
export const nameWidth = (targets: readonly { name: string }[]): number => Math.min(32, Math.max(4, ...targets.map((t) => t.name.length)));

/** The closing lines: counts, then the failures and those that never started, by name. */
export function renderSummary(report: FleetReport, { color }: { color: boolean }): string {
  const c = painter(color);
  const counts = STATUSES[report.command]
    .map((s) => [s, report.targets.filter((t) => t.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => paint(c, s, `${n} ${s}`));
  const head = `${report.command} over ${plural(report.targets.length, 'target')} in ${seconds(report.ms)} (concurrency ${report.concurrency}): ${counts.join(', ')}`;
  const lines = [head];
  const failed = report.targets.filter((t) => t.status === 'failed');
  if (failed.length) lines.push(`${c.red('failed')}: ${failed.map((t) => `${t.name} (exit ${t.exitCode})`).join(', ')}`);
  const idle = report.targets.filter((t) => t.status === 'not started').map((t) => t.name);
  if (idle.length) {
    const why =
      report.stoppedBy === 'canary'
        ? 'a canary failed, so nothing else was started'
        : report.stoppedBy === 'error'
          ? 'stopped after a failure (--on-error stop)'
          : report.stoppedBy === 'interrupt'
            ? 'interrupted'
            : 'not started';
    lines.push(`${why}: ${idle.length} not started (${idle.join(', ')})`);
  }
  if (report.command === 'migrate' && report.exitCode !== 0) lines.push(`a re-run of the same command migrates only what is left`);
  return lines.join('\n');
}

export interface Progress {
  done: number;
  total: number;
  running: number;
  failed: number;
  elapsedMs: number;
}

/** `[=========>          ] 23/60  8 running  1 failed  4.2 s` */
export function renderProgress(p: Progress, width = 24): string {
  const filled = p.total ? Math.floor((p.done / p.total) * width) : width;
  const bar = filled >= width ? '='.repeat(width) : `${'='.repeat(filled)}>${' '.repeat(width - filled - 1)}`;
  const failed = p.failed ? `  ${p.failed} failed` : '';
  return `[${bar}] ${p.done}/${p.total}  ${p.running} running${failed}  ${(p.elapsedMs / 1000).toFixed(1)} s`;
}
