import { describe, expect, it } from 'vitest';
import { postgresRules } from '../../dialects/postgres/types.js';
import type { DiffResult } from '../../src/diff/changes.js';
import { diff } from '../../src/diff/differ.js';
import { checkIndexes } from '../../src/indexes/check.js';
import { checkIndexesJson, renderCheckIndexesHuman } from '../../src/render/check-indexes.js';
import { diffJson, renderDiffHuman } from '../../src/render/diff.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import type { DbSchema } from '../../src/schema/model.js';
import { resolveSchema } from '../../src/schema/resolve.js';

const ANSI = /\u001b\[/;

function drifted(): DiffResult {
  const expected = resolveSchema(chat, postgresRules);
  const actual: DbSchema = structuredClone(expected);
  actual.enums.find((e) => e.name === 'messages_role')!.labels = ['user', 'assistant'];
  const users = actual.tables.find((t) => t.name === 'users')!;
  users.columns.find((c) => c.name === 'phone')!.type = 'varchar(30)';
  users.columns.find((c) => c.name === 'status')!.default = null;
  const calls = actual.tables.find((t) => t.name === 'api_calls')!;
  calls.indexes = calls.indexes.filter((i) => i.name !== 'idx_api_calls_model_name');
  calls.columns.push({
    name: 'cost',
    type: 'numeric(10,4)',
    nullable: true,
    default: null,
    autoIncrement: false,
    onUpdate: null,
    comment: null,
  });
  return { dialect: 'postgres', schema: 'chat', changes: diff(actual, expected) };
}

describe('diff renderers', () => {
  it('human: grouped by table, schema-level first, no colour', () => {
    expect(renderDiffHuman(drifted(), { color: false })).toBe(
      [
        'chat (postgres): 5 differences from the definition',
        '',
        '(schema)',
        "  ~ Enum type messages_role has labels ('user', 'assistant'), expected ('user', 'assistant', 'system').",
        '',
        'api_calls',
        '  + Column api_calls.cost (numeric(10,4)) is not in the definition.',
        '  - Index idx_api_calls_model_name (model_name) on api_calls is missing.',
        '',
        'users',
        '  ~ Column users.phone has type varchar(30), expected varchar(20).',
        '  ~ Column users.status has no default, expected default 1.',
      ].join('\n'),
    );
  });

  it('human: clean, singular, and colour only when asked', () => {
    expect(renderDiffHuman({ dialect: 'mysql', schema: 'agents', changes: [] }, { color: false })).toBe(
      'agents (mysql): no drift, the database matches the definition.',
    );
    const one = { ...drifted(), changes: drifted().changes.slice(0, 1) };
    expect(renderDiffHuman(one, { color: false }).split('\n')[0]).toBe('chat (postgres): 1 difference from the definition');
    expect(renderDiffHuman(one, { color: false })).not.toMatch(ANSI);
    expect(renderDiffHuman(one, { color: true })).toMatch(ANSI);
  });

  it('json: {dialect, schema, clean, changes: [{kind, table, name, expected, actual, message}]}', () => {
    const doc = diffJson(drifted());
    expect(Object.keys(doc)).toEqual(['dialect', 'schema', 'clean', 'changes']);
    expect(doc.clean).toBe(false);
    expect(doc.changes.map((c) => Object.keys(c))).toEqual(
      Array(5).fill(['kind', 'table', 'name', 'expected', 'actual', 'message']),
    );
    expect(doc.changes[0]).toEqual({
      kind: 'enum_labels',
      table: null,
      name: 'messages_role',
      expected: ['user', 'assistant', 'system'],
      actual: ['user', 'assistant'],
      message: "Enum type messages_role has labels ('user', 'assistant'), expected ('user', 'assistant', 'system').",
    });
    expect(doc.changes[4]).toEqual({
      kind: 'column_default',
      table: 'users',
      name: 'status',
      expected: '1',
      actual: null,
      message: 'Column users.status has no default, expected default 1.',
    });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(diffJson({ dialect: 'mysql', schema: 'chat', changes: [] })).toEqual({
      dialect: 'mysql',
      schema: 'chat',
      clean: true,
      changes: [],
    });
  });
});

describe('check-indexes renderers', () => {
  const expected = resolveSchema(agents, postgresRules);
  const report = (f: (a: DbSchema) => void = () => {}) => {
    const actual = structuredClone(expected);
    f(actual);
    return checkIndexes(actual, expected);
  };
  const dropStatus = (a: DbSchema) => {
    const runs = a.tables.find((t) => t.name === 'runs')!;
    runs.indexes = runs.indexes.filter((i) => i.name !== 'idx_runs_status');
  };

  it('human: problems, then advisories, no colour', () => {
    expect(renderCheckIndexesHuman(report(dropStatus), { color: false })).toBe(
      [
        'Expected indexes: 1 of 10 with problems.',
        '  missing runs.idx_runs_status (status)',
        'Advisories: 2.',
        '  unindexed_fk Foreign key gallery (run_id) -> runs has no index leading with its columns: each delete or key update in runs scans gallery.',
        '  duplicate Index idx_settings_user_key on settings (user_id, key) duplicates the unique constraint (user_id, key); drop it.',
      ].join('\n'),
    );
    expect(renderCheckIndexesHuman(report(dropStatus), { color: true })).toMatch(ANSI);
  });

  it('human: all present and no advisories', () => {
    const clean = { ok: true, expected: report().expected, advisories: [] };
    expect(renderCheckIndexesHuman(clean, { color: false })).toBe(
      'Expected indexes: all 10 present and valid.\nAdvisories: none.',
    );
  });

  it('json: {ok, expected: [{table, name, columns, unique, status}], advisories: [{kind, table, index, columns, message}]}', () => {
    const doc = checkIndexesJson(report(dropStatus));
    expect(Object.keys(doc)).toEqual(['ok', 'expected', 'advisories']);
    expect(doc.ok).toBe(false);
    expect(doc.expected.find((e) => e.name === 'idx_runs_status')).toEqual({
      table: 'runs',
      name: 'idx_runs_status',
      columns: ['status'],
      unique: false,
      status: 'missing',
    });
    expect(doc.expected.every((e) => Object.keys(e).join() === 'table,name,columns,unique,status')).toBe(true);
    expect(doc.advisories).toEqual([
      {
        kind: 'unindexed_fk',
        table: 'gallery',
        index: null,
        columns: ['run_id'],
        message:
          'Foreign key gallery (run_id) -> runs has no index leading with its columns: each delete or key update in runs scans gallery.',
      },
      {
        kind: 'duplicate',
        table: 'settings',
        index: 'idx_settings_user_key',
        columns: ['user_id', 'key'],
        message: 'Index idx_settings_user_key on settings (user_id, key) duplicates the unique constraint (user_id, key); drop it.',
      },
    ]);
  });
});

describe('diff renderers: what a DBA adds, and the views in the way of the fix', () => {
  it('name collations, CHECKs, triggers and the views a fix statement would fail on', async () => {
    const { planChange, viewBlockers } = await import('../support/planners.js');
    const expected = resolveSchema(agents, postgresRules);
    const actual: DbSchema = structuredClone(expected);
    const sessions = actual.tables.find((t) => t.name === 'sessions')!;
    const title = sessions.columns.find((c) => c.name === 'title')!;
    title.type = 'varchar(100)';
    title.collation = 'C';
    sessions.checks = [{ name: 'title_not_blank', expression: "(title)::text <> ''::text" }];
    actual.triggers.push({ name: 'sessions_audit', table: 'sessions', timing: 'AFTER INSERT', function: 'audit_fn' });
    actual.views = [{ view: 'session_titles', table: 'sessions', column: 'title' }];
    const changes = diff(actual, expected);
    const views = viewBlockers(planChange(actual, expected, { purpose: 'fix' }), actual);
    const result: DiffResult = { dialect: 'postgres', schema: 'agents', changes, views };
    expect(renderDiffHuman(result, { color: false })).toBe(
      [
        'agents (postgres): 4 differences from the definition',
        '',
        'sessions',
        '  ~ Column sessions.title has type varchar(100), expected varchar(255).',
        '  ~ Column sessions.title has collation C, expected the default.',
        "  + Check constraint title_not_blank CHECK ((title)::text <> ''::text) on sessions is not in the definition.",
        '  + Trigger sessions_audit (AFTER INSERT on sessions executing audit_fn) is not in the definition.',
        '',
        'views in the way of the fix',
        '  ! View session_titles uses sessions.title: the statement fails while the view exists (drop the view first, create it again after).',
      ].join('\n'),
    );
    expect(diffJson(result).dependentViews).toEqual([
      {
        view: 'session_titles',
        table: 'sessions',
        column: 'title',
        message: 'View session_titles uses sessions.title: the statement fails while the view exists (drop the view first, create it again after).',
      },
    ]);
  });
});
