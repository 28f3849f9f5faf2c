/** Renderers of migrate / rollback / status results (pure). */
import { Chalk } from 'chalk';
import type { RunResult } from '../migrate/runner.js';
import type { MigrationEntry } from '../migrate/state.js';
import type { Operation } from '../plan/operations.js';

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
  ];
  if (!result.migrations.length) {
    return [verb === 'migrate' ? `${where}: already up to date` : `${where}: nothing to roll back`, ...accepted].join('\n');
  }
  const head =
    verb === 'migrate'
      ? `${where}: applied ${result.migrations.length} migration(s)`
      : `${where}: rolled back ${result.migrations.length} migration(s)`;
  return [head, ...accepted, ...result.migrations.map((m) => `  ${c.green(verb === 'migrate' ? '+' : '-')} ${m.name}`)].join('\n');
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
  const lines = entries.map(
    (e) => `  ${mark[e.state].padEnd(color ? 17 : 8)} ${e.name}${e.batch !== null ? `  (batch ${e.batch})` : ''}${stopped(e)}`,
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

/** One operation in words, for the summary of `dbkit make`. */
export function describeOperation(o: Operation): string {
  switch (o.op) {
    case 'create_table':
      return `table ${o.table.name} (${o.table.columns.length} columns)`;
    case 'drop_table':
      return `drop table ${o.table.name}`;
    case 'rename_table':
      return `rename table ${o.from} to ${o.to}`;
    case 'add_column':
      return `column ${o.table}.${o.column.name} ${o.column.type}${o.column.nullable ? '' : ' NOT NULL'}${o.column.default !== null ? ` DEFAULT ${o.column.default}` : ''}`;
    case 'drop_column':
      return `drop column ${o.table}.${o.column.name}`;
    case 'rename_column':
      return `rename column ${o.table}.${o.from} to ${o.to}`;
    case 'alter_column':
      return `change column ${o.table}.${o.to.name}${o.from.type !== o.to.type ? ` from ${o.from.type} to ${o.to.type}` : ''}`;
    case 'set_primary_key':
      return `primary key of ${o.table}${o.to ? ` (${o.to.columns.join(', ')})` : ': none'}`;
    case 'add_unique':
      return `unique (${o.unique.columns.join(', ')}) on ${o.table}`;
    case 'drop_unique':
      return `drop unique (${o.unique.columns.join(', ')}) on ${o.table}`;
    case 'add_foreign_key':
      return `foreign key ${o.table} (${o.foreignKey.columns.join(', ')}) -> ${o.foreignKey.refTable}`;
    case 'drop_foreign_key':
      return `drop foreign key ${o.table} (${o.foreignKey.columns.join(', ')}) -> ${o.foreignKey.refTable}`;
    case 'create_index':
      return `index ${o.index.name} on ${o.table} (${o.index.columns.join(', ')})`;
    case 'drop_index':
      return `drop index ${o.index.name} on ${o.table}`;
    case 'rename_index':
      return `rename index ${o.from} to ${o.to}`;
    case 'add_check':
      return `check ${o.check.name} on ${o.table}`;
    case 'drop_check':
      return `drop check ${o.check.name} on ${o.table}`;
    case 'set_table_comment':
      return `comment on table ${o.table}`;
    case 'create_enum':
      return `enum type ${o.enum.name}`;
    case 'drop_enum':
      return `drop enum type ${o.enum.name}`;
    case 'alter_enum':
      return `labels of ${o.name}: ${o.to.join(', ')}`;
    case 'rename_enum':
      return `rename enum type ${o.from} to ${o.to}`;
    case 'create_function':
      return `function ${o.name}()`;
    case 'drop_function':
      return `drop function ${o.name}()`;
    case 'create_trigger':
      return `trigger ${o.trigger.name} on ${o.trigger.table}`;
    case 'drop_trigger':
      return `drop trigger ${o.trigger.name} on ${o.trigger.table}`;
    case 'rename_trigger':
      return `rename trigger ${o.from} to ${o.to} on ${o.table}`;
  }
}
