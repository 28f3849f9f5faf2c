/** Renderers of migrate / rollback / status results (pure). */
import { Chalk } from 'chalk';
import type { RunResult } from '../migrate/runner.js';
import type { MigrationEntry } from '../migrate/state.js';

const painter = (color: boolean) => new Chalk({ level: color ? 1 : 0 });

/** A dry run: the exact SQL of each migration, ready to read or pipe into a client. */
export function renderPlan(result: RunResult, verb: 'migrate' | 'rollback'): string {
  if (!result.migrations.length) return `-- nothing to ${verb === 'migrate' ? 'apply' : 'roll back'}\n`;
  return result.migrations
    .map(
      (m) =>
        `-- ${m.name} (${verb === 'migrate' ? 'up' : 'down'})\n` +
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
  return [head, ...accepted, ...result.migrations.map((m) => `  ${c.green(verb === 'migrate' ? '+' : '-')} ${m.name}${m.outOfOrder ? '  (out of order)' : ''}`)].join('\n');
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
