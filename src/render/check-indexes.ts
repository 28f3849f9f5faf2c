/** Renderers of `dbkit check-indexes` reports (pure): text, and the --json document. */
import { Chalk } from 'chalk';
import type { IndexReport } from '../indexes/types.js';

export interface RenderOptions {
  color: boolean;
}

export function renderCheckIndexesHuman(report: IndexReport, { color }: RenderOptions): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const total = report.expected.length;
  const problems = report.expected.filter((r) => r.status !== 'ok');
  const lines = problems.length
    ? [
        `Expected indexes: ${problems.length} of ${total} with problems.`,
        ...problems.map((r) => `  ${c.red(r.status)} ${r.table}.${r.name} (${r.columns.join(', ')})`),
      ]
    : [`Expected indexes: all ${total} present and valid.`];
  const { advisories } = report;
  lines.push(
    advisories.length ? `Advisories: ${advisories.length}.` : 'Advisories: none.',
    ...advisories.map((a) => `  ${c.yellow(a.kind)} ${a.message}`),
  );
  return lines.join('\n');
}

export function checkIndexesJson(report: IndexReport): IndexReport {
  return {
    ok: report.ok,
    expected: report.expected.map(({ table, name, columns, unique, status }) => ({
      table,
      name,
      columns: [...columns],
      unique,
      status,
    })),
    advisories: report.advisories.map(({ kind, table, index, columns, message }) => ({
      kind,
      table,
      index,
      columns: [...columns],
      message,
    })),
  };
}
