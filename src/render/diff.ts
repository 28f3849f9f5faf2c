/** Renderers of `dbkit diff` results (pure): text grouped by table, and the --json document. */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Change, DiffResult } from '../diff/changes.js';
import type { Dialect } from '../schema/model.js';

export interface RenderOptions {
  color: boolean;
}

/** The heading of schema-level changes (enum types), which belong to no table. */
export const SCHEMA_GROUP = '(schema)';

const mark = (c: ChalkInstance, change: Change): string =>
  change.kind.endsWith('_missing') ? c.red('-') : change.kind.endsWith('_extra') ? c.green('+') : c.yellow('~');

/** Changes grouped by table, in the differ's order. */
function groups(changes: Change[]): Array<[string, Change[]]> {
  const out = new Map<string, Change[]>();
  for (const change of changes) {
    const key = change.table ?? SCHEMA_GROUP;
    out.set(key, [...(out.get(key) ?? []), change]);
  }
  return [...out];
}

export function renderDiffHuman(result: DiffResult, { color }: RenderOptions): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const where = `${result.schema} (${result.dialect})`;
  const n = result.changes.length;
  if (n === 0) return `${c.bold(where)}: no drift, the database matches the definition.`;
  const lines = [`${c.bold(where)}: ${n} difference${n === 1 ? '' : 's'} from the definition`];
  for (const [table, changes] of groups(result.changes)) {
    lines.push('', c.bold(table), ...changes.map((change) => `  ${mark(c, change)} ${change.message}`));
  }
  const views = [...new Set((result.views ?? []).map((v) => v.message))];
  if (views.length) lines.push('', c.bold('views in the way of the fix'), ...views.map((m) => `  ! ${m}`));
  return lines.join('\n');
}

export interface DiffJson {
  dialect: Dialect;
  schema: string;
  clean: boolean;
  changes: Array<Pick<Change, 'kind' | 'table' | 'name' | 'expected' | 'actual' | 'message'>>;
  /** Views a fix statement would fail on (PostgreSQL) or break (MySQL); present when there are any. */
  dependentViews?: Array<{ view: string; table: string; column: string | null; message: string }>;
}

export function diffJson(result: DiffResult): DiffJson {
  return {
    dialect: result.dialect,
    schema: result.schema,
    clean: result.changes.length === 0,
    changes: result.changes.map(({ kind, table, name, expected, actual, message }) => ({
      kind,
      table,
      name,
      expected,
      actual,
      message,
    })),
    ...(result.views?.length ? { dependentViews: uniqueViews(result.views) } : {}),
  };
}

/** Each view and what it uses once (a view may stand in the way of several statements). */
function uniqueViews(views: NonNullable<DiffResult['views']>): NonNullable<DiffJson['dependentViews']> {
  const seen = new Map<string, NonNullable<DiffJson['dependentViews']>[number]>();
  for (const v of views) seen.set(v.message, { view: v.view, table: v.table, column: v.column, message: v.message });
  return [...seen.values()];
}
