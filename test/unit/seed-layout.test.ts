/**
 * Seeds follow the schema (issue 12): a copy of the agents definition with
 * columns and tables the generator does not know, and a column it writes
 * removed. The layout comes from the expected model; the generated rows fill
 * every new column (or leave it to its default), keep references inside a
 * user's rows, skip what cannot be filled and say why, and refuse up front
 * what no seed can fill.
 */
import { describe, expect, it } from 'vitest';
import { agents } from '../../src/schema/agents.js';
import { cascade, t, type SchemaDef } from '../../src/schema/definition.js';
import { parseLines, type Cell } from '../../src/seed/encode.js';
import { generateChunks } from '../../src/seed/generate.js';
import { seedLayout } from '../../src/seed/layout.js';
import { seedCounts } from '../../src/seed/seed.js';
import { generators } from '../../seeds/index.js';
import { changedAgents as changed } from '../support/changed-schema.js';

type Tables = Record<string, { columns: readonly string[]; rows: Cell[][] }>;

async function generate(def: SchemaDef, dialect: 'postgres' | 'mysql', users = 12): Promise<Tables> {
  const layout = seedLayout('agents', dialect, def);
  const spec = { schema: 'agents', dialect, seed: 3, users, counts: seedCounts(generators.agents!), firstOrdinal: 0, idBase: {}, shared: true, layout, format: 'text' as const };
  const out: Tables = {};
  for await (const chunk of generateChunks(spec)) {
    for (const table of chunk.tables) {
      const t = (out[table.name] ??= { columns: table.columns, rows: [] });
      t.rows.push(...parseLines(Buffer.concat(table.data.pieces).toString('utf8')));
    }
  }
  return out;
}

const column = (t: Tables, table: string, name: string): Cell[] => {
  const at = t[table]!.columns.indexOf(name);
  expect(at, `${table}.${name} is loaded`).toBeGreaterThanOrEqual(0);
  return t[table]!.rows.map((r) => r[at]!);
};

describe('seeding a schema that changed since the generator was written', () => {
  it('lays out from the expected model: new columns filled or left to their default, dropped ones left out, new tables placed after their parents, one skipped with its reason', () => {
    const layout = seedLayout('agents', 'postgres', changed());
    const cols = (name: string) => layout.tables.find((x) => x.name === name)!.columns.map((c) => c.name);
    expect(cols('users')).toEqual(['id', 'username', 'email', 'password_hash', 'created_at', 'updated_at', 'bio', 'handle', 'plan', 'website_url']);
    expect(cols('sessions')).not.toContain('title');
    expect(cols('messages')).toEqual(expect.arrayContaining(['session_id', 'tokens']));
    expect(cols('api_keys')).toEqual(['id', 'user_id', 'name', 'token_hash', 'last_used_at']);
    const order = layout.tables.map((x) => x.name);
    expect(order.indexOf('run_labels')).toBeGreaterThan(Math.max(order.indexOf('runs'), order.indexOf('labels')));
    expect(layout.tables.find((x) => x.name === 'labels')!.generic).toBe('shared');
    expect(layout.tables.find((x) => x.name === 'api_keys')!.generic).toBe('user');
    expect(layout.skipped).toEqual([{ table: 'audit_log', reason: 'no generator, and its key is not a single id column' }]);
    // feedback.user_id is nullable: its rows do not surely leave with their user, so a failed run records their ids.
    expect(layout.tables.filter((x) => x.record).map((x) => x.name)).toEqual(['settings', 'feedback']);
    // Without changes the generator's rows are loaded as they are.
    expect(seedLayout('agents', 'postgres').tables.every((x) => x.from === null && !x.generic)).toBe(true);
  });

  it.each(['postgres', 'mysql'] as const)('%s: every new column gets believable values of its type and length, and references stay within a user', async (dialect) => {
    const rows = await generate(changed(), dialect);
    const users = rows.users!.rows.length;
    expect(users).toBe(12);

    const handles = column(rows, 'users', 'handle');
    expect(new Set(handles).size).toBe(users);
    for (const h of handles) expect(h!.length).toBeLessThanOrEqual(30);
    expect(new Set(column(rows, 'users', 'plan'))).toEqual(expect.any(Set));
    for (const p of column(rows, 'users', 'plan')) expect(['free', 'pro', 'team']).toContain(p);
    expect(column(rows, 'users', 'bio').filter((b) => b !== null).length).toBeGreaterThan(users / 2);
    for (const u of column(rows, 'users', 'website_url').filter((x) => x !== null)) expect(u).toMatch(/^https:\/\/\S+$/);

    // messages.session_id (NOT NULL) points at a session of the message's user (through its run).
    const runUser = new Map(rows.runs!.rows.map((r) => [r[0], r[rows.runs!.columns.indexOf('user_id')]]));
    const sessionUser = new Map(rows.sessions!.rows.map((r) => [r[0], r[rows.sessions!.columns.indexOf('user_id')]]));
    const m = rows.messages!;
    for (const r of m.rows) {
      const session = r[m.columns.indexOf('session_id')];
      expect(session).not.toBeNull();
      expect(sessionUser.get(session)).toBe(runUser.get(r[m.columns.indexOf('run_id')]));
    }
    for (const n of column(rows, 'messages', 'tokens')) expect(Number(n)).toBeGreaterThanOrEqual(0);

    // New tables: per-user rows on the user's rows, rows no user owns, unique values unique.
    const userIds = new Set(rows.users!.rows.map((r) => r[0]));
    expect(rows.api_keys!.rows.length).toBeGreaterThan(0);
    for (const u of column(rows, 'api_keys', 'user_id')) expect(userIds.has(u)).toBe(true);
    const tokens = column(rows, 'api_keys', 'token_hash');
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const x of tokens) expect(x!.length).toBeLessThanOrEqual(64);
    expect(rows.labels!.rows).toHaveLength(5);
    const labelIds = new Set(rows.labels!.rows.map((r) => r[0]));
    for (const l of column(rows, 'run_labels', 'label_id')) expect(labelIds.has(l)).toBe(true);
    for (const r of column(rows, 'run_labels', 'run_id')) expect(runUser.has(r)).toBe(true);
    expect(rows.audit_log).toBeUndefined();
  });

  it('keeps the rows of the columns the generator knows as they were (same seed, same values)', async () => {
    const before = await generate(agents, 'mysql', 4);
    const after = await generate(changed(), 'mysql', 4);
    for (const name of ['username', 'email', 'password_hash', 'created_at']) expect(column(after, 'users', name)).toEqual(column(before, 'users', name));
    expect(column(after, 'runs', 'task')).toEqual(column(before, 'runs', 'task'));
  });

  it('refuses up front (exit 2) a NOT NULL column no seed can fill, naming it', () => {
    const def = changed();
    def.tables.find((x) => x.name === 'users')!.columns.push({ name: 'main_session_id', type: t.ref(), notNull: true, references: cascade('sessions') });
    expect(() => seedLayout('agents', 'postgres', def)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/cannot fill users\.main_session_id \(NOT NULL\) references sessions, which is loaded after it/) }),
    );
  });
});
