/**
 * The two pure halves of safe re-runs (issue 11, issue 12): which objects the
 * pending migrations would create that exist and are not dbkit's (the
 * pre-flight ownership check), and whether a statement an earlier run
 * stopped at took effect (recovery).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { findConflicts } from '../../src/migrate/apply/ownership.js';
import { loadMigrations } from '../../src/migrate/folder/source.js';
import { foldOperations } from '../../src/plan/fold.js';
import type { Operation } from '../../src/plan/operations.js';
import { emptySchema, type DbSchema } from '../../src/schema/model.js';
import { repoRoot } from '../support/cli.js';
import { decide } from '../support/planners.js';

const root = path.join(repoRoot, 'migrations');

describe('pre-flight ownership', () => {
  const pg = loadMigrations('chat', 'postgres', root);
  const my = loadMigrations('chat', 'mysql', root);

  it('names a table, a type, an index, a function and a trigger the pending migrations would create', () => {
    const live = new Set(['relation:users', 'type:users', 'type:messages_role', 'relation:idx_api_calls_user_id', 'function:set_updated_at', 'relation:unrelated']);
    expect(findConflicts(live, pg, new Map())).toEqual([
      { label: 'function set_updated_at()', migration: '20250201000000_prelude' },
      { label: 'table users', migration: '20250201000100_create_users' },
      { label: 'type messages_role', migration: '20250201000300_create_messages' },
      { label: 'index idx_api_calls_user_id', migration: '20250201000400_create_api_calls' },
    ]);
    expect(findConflicts(new Set(['relation:users', 'index:users.idx_status', 'trigger:anything']), my, new Map())).toEqual([
      { label: 'table users', migration: '20250201000100_create_users' },
    ]);
  });

  it('nothing conflicts in an empty namespace, or with what a later migration drops first', () => {
    expect(findConflicts(new Set(), pg, new Map())).toEqual([]);
    const drop: Operation = { op: 'drop_table', table: expectedVariant('chat', 'mysql').tables.find((t) => t.name === 'users')! };
    const dropFirst = { ...my[1]!, name: '0_drop', meta: { ...my[1]!.meta, up: { ...my[1]!.meta.up, operations: [drop], statementOperations: [[0]] } } };
    expect(findConflicts(new Set(['relation:users']), [dropFirst, my[1]!], new Map())).toEqual([]);
  });

  it('what the statement an earlier run stopped at (or one before it) creates is proven dbkit\'s; what comes after is not', () => {
    const messages = pg.find((m) => m.name.endsWith('create_messages'))!;
    // Statements: 0 CREATE TYPE role, 1 CREATE TYPE content_type, 2 CREATE TABLE, 3.. CREATE INDEX.
    const live = new Set(['type:messages_role', 'type:messages_content_type', 'relation:messages', 'type:messages']);
    expect(findConflicts(live, [messages], new Map([[messages.name, 2]]))).toEqual([]);
    expect(findConflicts(live, [messages], new Map([[messages.name, 1]]))).toEqual([{ label: 'table messages', migration: messages.name }]);
  });
});

describe('recovery: did the statement take effect?', () => {
  const my = loadMigrations('agents', 'mysql', root);
  const before = (name: string): DbSchema => {
    let model = emptySchema('mysql');
    for (const m of my) {
      if (m.name === name) return model;
      model = foldOperations(model, m.meta.up.operations);
    }
    throw new Error(name);
  };
  const runs = my.find((m) => m.name.endsWith('create_runs'))!;
  const ops = runs.meta.up.operations;
  const modelBefore = before(runs.name);

  it('the table is there as the statement makes it: done; not there: run it', () => {
    expect(decide(modelBefore, ops, foldOperations(modelBefore, ops))).toEqual({ kind: 'done' });
    expect(decide(modelBefore, ops, modelBefore)).toEqual({ kind: 'run' });
  });

  it('the table is there with another shape: unknown, saying what differs', () => {
    const live = foldOperations(modelBefore, ops);
    live.tables.find((t) => t.name === 'runs')!.columns.pop();
    const d = decide(modelBefore, ops, live);
    expect(d.kind).toBe('unknown');
    expect(d.kind === 'unknown' && d.found).toMatch(/completed_at/);
  });

  it('an added column: judged by that column only, whatever else the table holds', () => {
    const users = modelBefore.tables.find((t) => t.name === 'users')!;
    const bio = { name: 'bio', type: 'text', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: null };
    const add: Operation[] = [{ op: 'add_column', table: 'users', column: bio }];
    const live = structuredClone(modelBefore);
    live.tables.find((t) => t.name === 'users')!.indexes.push({ name: 'dba_extra', columns: ['email'], unique: false, method: 'btree', where: null });
    expect(decide(modelBefore, add, live)).toEqual({ kind: 'run' });
    live.tables.find((t) => t.name === 'users')!.columns.push({ ...bio });
    expect(decide(modelBefore, add, live)).toEqual({ kind: 'done' });
    live.tables.find((t) => t.name === 'users')!.columns.at(-1)!.type = 'varchar(10)';
    expect(decide(modelBefore, add, live).kind).toBe('unknown');
    expect(users.columns.some((c) => c.name === 'bio')).toBe(false);
  });

  it('PostgreSQL: an index left invalid by a stopped CREATE INDEX CONCURRENTLY is rebuilt', () => {
    const pgModel = expectedVariant('agents', 'postgres');
    const index = { name: 'idx_runs_task', columns: ['task'], unique: false, method: 'btree', where: null };
    const op: Operation[] = [{ op: 'create_index', table: 'runs', index }];
    const live = structuredClone(pgModel);
    live.tables.find((t) => t.name === 'runs')!.indexes.push({ ...index, valid: false });
    expect(decide(pgModel, op, live)).toEqual({ kind: 'rebuild_index', index: 'idx_runs_task' });
    live.tables.find((t) => t.name === 'runs')!.indexes.at(-1)!.valid = true;
    expect(decide(pgModel, op, live)).toEqual({ kind: 'done' });
  });

  it('a statement with no operations (a comment, a data change) is run again', () => {
    expect(decide(modelBefore, [], modelBefore)).toEqual({ kind: 'run' });
  });
});

describe('statement groups (resumed from their start)', () => {
  it('consecutive statements sharing an operation belong together', async () => {
    const { statementGroups } = await import('../../src/migrate/apply/execute.js');
    // MySQL: drop a foreign key whose name the engine chose (SET, PREPARE, EXECUTE, DEALLOCATE), then a column.
    expect(statementGroups([[0], [0], [0], [0], [1]], 5)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 5 },
    ]);
    // PostgreSQL: a column, then its foreign key NOT VALID and VALIDATE; statements with no operation stand alone.
    expect(statementGroups([[0], [1], [1], [], []], 5)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 3 },
      { start: 3, end: 4 },
      { start: 4, end: 5 },
    ]);
  });
});
