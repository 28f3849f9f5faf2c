/** Renderers of migrate / rollback / status results (pure). */
import { Chalk } from 'chalk';
import type { DataReport } from '../migrate/apply/data-check/preflight.js';
import type { RunResult } from '../migrate/apply/runner.js';
import type { MigrationEntry } from '../migrate/apply/state.js';

const painter = (color: boolean) => new Chalk({ level: color ? 1 : 0 });

/** A dry run: the exact SQL of each migration, ready to read or pipe into a client. */
export function renderPlan(result: RunResult, verb: 'migrate' | 'rollback'): string {
  if (!result.migrations.length) return `-- nothing to ${verb === 'migrate' ? 'apply' : 'roll back'}\n`;
  return result.migrations
    .map(
      (m) =>
        `-- ${m.name} (${verb === 'migrate' ? 'up' : 'down'}${m.outOfOrder ? ', out of order: it sorts before a migration this database has applied' : ''})\n` +
        (m.sql === null
          ? '-- hand-written migration: its SQL is only known by running it\n'
          : m.sql.map((s) => `${s};\n`).join('')),
    )
    .join('\n');
}

export function renderRun(result: RunResult, verb: 'migrate' | 'rollback', where: string, color: boolean): string {
  const c = painter(color);
  const accepted = [
    ...(result.accepted ?? []).map(
      (a) => `  ${c.yellow('!')} ${a.name}: ${a.was === 'changed' ? 'edited migration accepted, new checksum recorded' : 'missing migration accepted, forgotten'}`,
    ),
    ...(result.recorded ?? []).map((n) => `  ${c.yellow('!')} ${n}: applied by a run that stopped before recording it; recorded`),
    ...(result.adopted ?? []).map((n) => `  ${c.yellow('!')} ${n}: adopted: its effect is in the database (checked against the catalog); recorded as applied, not run`),
  ];
  if (!result.migrations.length) {
    return [verb === 'migrate' ? `${where}: already up to date` : `${where}: nothing to roll back`, ...accepted].join('\n');
  }
  const head =
    verb === 'migrate'
      ? `${where}: applied ${result.migrations.length} migration(s)`
      : `${where}: rolled back ${result.migrations.length} migration(s)`;
  const resumed = (m: RunResult['migrations'][number]) =>
    m.skipped?.length ? `  (resumed: statement${m.skipped.length > 1 ? 's' : ''} ${m.skipped.map((x) => x.statement).join(', ')} had been run by an earlier run, not run again)` : '';
  return [head, ...accepted, ...result.migrations.map((m) => `  ${c.green(verb === 'migrate' ? '+' : '-')} ${m.name}${m.outOfOrder ? '  (out of order)' : ''}${resumed(m)}`)].join('\n');
}

export interface StatusSummary {
  upToDate: boolean;
  counts: Record<MigrationEntry['state'], number>;
}

export function summarize(entries: MigrationEntry[]): StatusSummary {
  const counts = { applied: 0, pending: 0, changed: 0, missing: 0 };
  for (const e of entries) counts[e.state]++;
  const halfway = entries.some((e) => e.interrupted);
  return { upToDate: counts.pending + counts.changed + counts.missing === 0 && !halfway, counts };
}

export function renderStatus(entries: MigrationEntry[], where: string, color: boolean): string {
  const c = painter(color);
  const mark: Record<MigrationEntry['state'], string> = {
    applied: c.green('applied'),
    pending: c.yellow('pending'),
    changed: c.red('changed'),
    missing: c.red('missing'),
  };
  const s = summarize(entries);
  const stopped = (e: MigrationEntry) => {
    const i = e.interrupted;
    if (!i) return '';
    const at = `statement ${i.statement}${i.of !== null ? ` of ${i.of}` : ''}`;
    return i.direction === 'up'
      ? `  (a run stopped at ${at}; dbkit migrate resumes it)`
      : `  (its rollback stopped at ${at}; dbkit rollback --steps 1 finishes it)`;
  };
  const how = (e: MigrationEntry) => (e.appliedAs === 'out-of-order' ? '  (applied out of order)' : e.appliedAs === 'adopted' ? '  (adopted: recorded, not run)' : '');
  const lines = entries.map(
    (e) => `  ${mark[e.state].padEnd(color ? 17 : 8)} ${e.name}${e.batch !== null ? `  (batch ${e.batch})` : ''}${how(e)}${stopped(e)}`,
  );
  const tail = s.upToDate
    ? 'up to date'
    : Object.entries(s.counts)
        .filter(([k, n]) => k !== 'applied' && n > 0)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
  const drifted = entries.filter((e) => e.state === 'changed' || e.state === 'missing');
  const hint = drifted.length
    ? [`dbkit migrate stops until each is restored, or reviewed and accepted: dbkit migrate ${drifted.map((e) => `--accept-changed ${e.name}`).join(' ')}`]
    : [];
  return [`${where}:`, ...lines, `${s.counts.applied} applied; ${tail}`, ...hint].join('\n');
}

/** A sample row as `id=5` or `(id=5, run_id=9)`; a duplicate group with its rows: `email=a@x (3 rows)`. */
function sampleText(s: Record<string, string | number | null>): string {
  const { rows, ...cols } = s;
  const parts = Object.entries(cols).map(([k, v]) => `${k}=${v === null ? 'NULL' : String(v)}`);
  const body = parts.length > 1 ? `(${parts.join(', ')})` : (parts[0] ?? '');
  return rows === undefined ? body : `${body} (${rows} rows)`;
}

/**
 * The live pre-flight's report: per migration, each change counted (`refused:`,
 * `allowed:`, `ok:`), not counted and why, or counted later; one line when
 * nothing is in the way.
 */
export function renderDataChecks(report: DataReport, color: boolean): string {
  const c = painter(color);
  const when = report.upFront ? 'before the first statement' : `just before ${report.migration}`;
  const counted = report.entries.filter((e) => e.count !== null);
  const quiet = report.entries.every((e) => e.status === 'ok');
  if (quiet) return `data pre-flight (${when}): ${counted.length} count${counted.length === 1 ? '' : 's'} on the live data, nothing in the way`;
  const lines = [`data pre-flight (${when}):`];
  let last = '';
  for (const e of report.entries) {
    const head = 'change' in e ? `${e.migration}: ${e.change}` : e.migration;
    if (head !== last) lines.push(`  ${head}`);
    last = head;
    if (e.status === 'unchecked') lines.push(`    ${c.yellow('not counted:')} ${e.message.replace(/^not counted: /, '')}`);
    else if (e.status === 'deferred') lines.push(`    ${c.yellow('later:')} ${e.message}`);
    else {
      const mark = e.status === 'refused' ? c.red('refused:') : e.status === 'allowed' ? c.yellow('allowed:') : c.green('ok:');
      const eg = e.samples.length ? `; e.g. ${e.samples.map(sampleText).join(', ')}` : '';
      const why = e.status === 'allowed' ? ' (--allow-data-loss)' : e.status === 'refused' ? (e.effect === 'fails' ? ' (the change would fail)' : ' (lost without --allow-data-loss)') : '';
      lines.push(`    ${mark} ${e.message}${why}${eg}`);
    }
  }
  return lines.join('\n');
}
