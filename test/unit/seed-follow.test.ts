/**
 * Seeds follow every change (issue 19): renames recorded in migrations, a
 * reference column without a foreign key, a foreign key that reorders the
 * tables or forms a cycle, a self-reference, and generator values adapted to
 * what their column became. Rows are generated through the real generator
 * and layout (no database) and checked value by value.
 */
import { describe, expect, it } from 'vitest';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import { cascade, setNull, t, type SchemaDef } from '../../src/schema/definition.js';
import { parseLines, type Cell } from '../../src/seed/encode.js';
import { generateChunks } from '../../src/seed/generate.js';
import { adaptation } from '../../src/seed/layout-columns.js';
import { loadOrder } from '../../src/seed/layout-order.js';
import { seedLayout, type LayoutColumn } from '../../src/seed/layout.js';
import { followOperations, identityNames, type NameMap } from '../../src/seed/renames.js';
import { seedCounts } from '../../src/seed/seed.js';
import { generators } from '../../seeds/index.js';
import { column as defColumn, evolve, renameTable, table as defTable } from '../support/evolutions.js';

type Tables = Record<string, { columns: readonly string[]; rows: Cell[][] }>;

async function generate(schema: 'agents' | 'chat', def: SchemaDef, dialect: 'postgres' | 'mysql', opts: { users?: number; names?: NameMap; idBase?: Record<string, number> } = {}): Promise<Tables> {
  const layout = seedLayout(schema, dialect, def, opts.names);
  const spec = { schema, dialect, seed: 7, users: opts.users ?? 6, counts: seedCounts(generators[schema]!), firstOrdinal: 0, idBase: opts.idBase ?? {}, shared: true, layout, format: 'text' as const };
  const out: Tables = {};
  for await (const chunk of generateChunks(spec)) {
    for (const table of chunk.tables) {
      const x = (out[table.name] ??= { columns: table.columns, rows: [] });
      x.rows.push(...parseLines(Buffer.concat(table.data.pieces).toString('utf8')));
    }
  }
  return out;
}

const col = (x: Tables, table: string, name: string): Cell[] => {
  const at = x[table]!.columns.indexOf(name);
  expect(at, `${table}.${name} is loaded`).toBeGreaterThanOrEqual(0);
  return x[table]!.rows.map((r) => r[at]!);
};
/** id -> value of `name`, for a table. */
const by = (x: Tables, table: string, name: string) => new Map(x[table]!.rows.map((r, i) => [r[0], col(x, table, name)[i]]));

const chatNames = (edit: (n: NameMap) => void): NameMap => {
  const n = identityNames(generators.chat!.tables);
  edit(n);
  return n;
};

describe('renames recorded in migrations', () => {
  it('carries the generator names through table and column renames and drops, in order', () => {
    const names = identityNames(generators.chat!.tables);
    followOperations(names, [
      { op: 'rename_table', from: 'conversations', to: 'threads' },
      { op: 'rename_column', table: 'threads', from: 'title', to: 'subject' },
    ]);
    followOperations(names, [
      { op: 'rename_table', from: 'threads', to: 'chats' },
      { op: 'rename_column', table: 'messages', from: 'conversation_id', to: 'chat_id' },
      { op: 'drop_column', table: 'api_calls', column: { name: 'user_agent' } as never },
      { op: 'drop_table', table: { name: 'users_archive' } as never },
    ]);
    expect(names.tables).toEqual({ users: 'users', conversations: 'chats', messages: 'messages', api_calls: 'api_calls' });
    expect(names.columns.conversations!.title).toBe('subject');
    expect(names.columns.messages!.conversation_id).toBe('chat_id');
    expect(names.columns.api_calls!.user_agent).toBeNull();
    followOperations(names, [{ op: 'drop_table', table: { name: 'chats' } as never }]);
    expect(names.tables.conversations).toBeNull();
  });

  it.each(['postgres', 'mysql'] as const)('%s: conversations renamed to chats: the generator still writes them, keys continue after the largest chat, every message in its own user\'s chat', async (dialect) => {
    const def = evolve(chat, (s) => {
      renameTable(s, 'conversations', 'chats');
      defColumn(s, 'messages', 'conversation_id').name = 'chat_id';
    });
    const names = chatNames((n) => {
      n.tables.conversations = 'chats';
      n.columns.messages!.conversation_id = 'chat_id';
    });
    const layout = seedLayout('chat', dialect, def, names);
    expect(layout.skipped).toEqual([]);
    const chats = layout.tables.find((x) => x.name === 'chats')!;
    expect(chats.source).toBe('conversations');
    expect(chats.generic).toBeUndefined();
    const messages = layout.tables.find((x) => x.name === 'messages')!;
    expect(messages.columns.map((c) => c.name)).toContain('chat_id');
    expect(messages.tracked || messages.defer).toBe(false); // loaded as written: no picking

    const rows = await generate('chat', def, dialect, { names, idBase: { chats: 500, messages: 9000 } });
    const chatUser = by(rows, 'chats', 'user_id');
    if (dialect === 'mysql') expect(Math.min(...rows.chats!.rows.map((r) => Number(r[0])))).toBe(501);
    const m = rows.messages!;
    expect(m.rows.length).toBeGreaterThan(100);
    for (const r of m.rows) expect(chatUser.get(r[m.columns.indexOf('chat_id')])).toBe(r[m.columns.indexOf('user_id')]);
    const a = rows.api_calls!;
    for (const r of a.rows) expect(chatUser.get(r[a.columns.indexOf('conversation_id')])).toBe(r[a.columns.indexOf('user_id')]);
  });

  it('a table renamed by hand (no operations): the generator\'s table is left out, the new name gets generic rows, and references to it are picked within the user', async () => {
    const def = evolve(chat, (s) => renameTable(s, 'conversations', 'chats'));
    const layout = seedLayout('chat', 'mysql', def);
    expect(layout.skipped).toEqual([{ table: 'conversations', reason: 'no longer in the definition' }]);
    expect(layout.tables.find((x) => x.name === 'chats')!.generic).toBe('user');
    const rows = await generate('chat', def, 'mysql', { idBase: { chats: 40 } });
    const chatUser = by(rows, 'chats', 'user_id');
    const m = rows.messages!;
    for (const r of m.rows) expect(chatUser.get(r[m.columns.indexOf('conversation_id')])).toBe(r[m.columns.indexOf('user_id')]);
  });
});

describe('reference columns without a foreign key', () => {
  it.each(['postgres', 'mysql'] as const)('%s: a *_id column naming a table picks that table\'s rows of the same user; one naming none is NULL, or a random key when NOT NULL', async (dialect) => {
    const def = evolve(agents, (s) => {
      defTable(s, 'files').columns.push({ name: 'session_id', type: t.ref() }, { name: 'owner_ref_id', type: t.ref(), notNull: true }, { name: 'legacy_id', type: t.ref() });
    });
    const layout = seedLayout('agents', dialect, def);
    const files = layout.tables.find((x) => x.name === 'files')!;
    expect(files.columns.find((c) => c.name === 'session_id')).toMatchObject({ ref: 'sessions', soft: true });
    expect(files.columns.find((c) => c.name === 'owner_ref_id')).toMatchObject({ randomKey: true });
    expect(files.columns.find((c) => c.name === 'owner_ref_id')!.ref).toBeUndefined();

    const rows = await generate('agents', def, dialect);
    const runUser = by(rows, 'runs', 'user_id');
    const sessionUser = by(rows, 'sessions', 'user_id');
    const f = rows.files!;
    const sessions = col(rows, 'files', 'session_id');
    expect(sessions.filter((x) => x !== null).length).toBeGreaterThan(f.rows.length / 2);
    f.rows.forEach((r, i) => {
      if (sessions[i] !== null) expect(sessionUser.get(sessions[i]!)).toBe(runUser.get(r[f.columns.indexOf('run_id')]));
    });
    for (const v of col(rows, 'files', 'owner_ref_id')) expect(v).not.toBeNull();
    expect(col(rows, 'files', 'legacy_id').every((v) => v === null)).toBe(true);
  });
});

describe('foreign keys that move tables', () => {
  it('a new table a generator table now depends on loads before it; a cycle is broken at its nullable foreign key', () => {
    const def = evolve(agents, (s) => {
      s.tables.push({
        name: 'workspaces',
        columns: [
          { name: 'id', type: t.id() },
          { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
          { name: 'name', type: t.varchar(60), notNull: true },
        ],
      });
      defTable(s, 'sessions').columns.push({ name: 'workspace_id', type: t.ref(), notNull: true, references: cascade('workspaces') });
      defTable(s, 'users').columns.push({ name: 'main_session_id', type: t.ref(), references: setNull('sessions') });
    });
    const layout = seedLayout('agents', 'postgres', def);
    const order = layout.tables.map((x) => x.name);
    expect(order.indexOf('workspaces')).toBeLessThan(order.indexOf('sessions'));
    expect(order[0]).toBe('users');
    expect(layout.tables[0]!.columns.find((c) => c.name === 'main_session_id')).toMatchObject({ detached: true });
    expect(layout.tables.find((x) => x.name === 'workspaces')!.generic).toBe('user');
  });

  it('orders by foreign keys, nearest to the preferred order, and reports a cycle it cannot break', () => {
    const node = (name: string, rank: number, deps: [string, string, boolean][] = []) => ({
      name,
      rank,
      deps: deps.map(([column, parent, nullable]) => ({ column, parent, nullable, fixed: false })),
    });
    expect(loadOrder([node('b', 1, [['a_id', 'a', false]]), node('a', 2), node('c', 0)])).toEqual({ order: ['c', 'a', 'b'], detached: [] });
    expect(loadOrder([node('a', 0, [['b_id', 'b', true]]), node('b', 1, [['a_id', 'a', false]])])).toEqual({ order: ['a', 'b'], detached: [{ table: 'a', column: 'b_id' }] });
    expect(loadOrder([node('a', 0, [['b_id', 'b', false]]), node('b', 1, [['a_id', 'a', false]])])).toEqual({ cycle: { table: 'a', column: 'b_id', parent: 'b' } });
    expect(loadOrder([node('a', 0, [['a_id', 'a', false]])])).toEqual({ order: ['a'], detached: [] });
  });

  it('a row that must point at a row its user does not have is left out when nothing points at it', async () => {
    const def = evolve(agents, (s) => defTable(s, 'files').columns.push({ name: 'gallery_id', type: t.ref(), notNull: true, references: cascade('gallery') }));
    const layout = seedLayout('agents', 'mysql', def);
    const order = layout.tables.map((x) => x.name);
    expect(order.indexOf('gallery')).toBeLessThan(order.indexOf('files'));
    const spec = { schema: 'agents', dialect: 'mysql' as const, seed: 7, users: 4, counts: { ...seedCounts(generators.agents!), galleryPerUser: 0 }, firstOrdinal: 0, idBase: {}, shared: true, layout, format: 'text' as const };
    let files = 0;
    let runs = 0;
    for await (const chunk of generateChunks(spec)) {
      files += chunk.tables.find((x) => x.name === 'files')!.data.rows;
      runs += chunk.tables.find((x) => x.name === 'runs')!.data.rows;
    }
    expect(runs).toBeGreaterThan(0);
    expect(files).toBe(0);
  });

  it('a NOT NULL reference to its own table points at an earlier row of the same user, or at the row itself', async () => {
    const def = evolve(agents, (s) => defTable(s, 'runs').columns.push({ name: 'parent_run_id', type: t.ref(), notNull: true, references: cascade('runs') }));
    const rows = await generate('agents', def, 'mysql');
    const runUser = by(rows, 'runs', 'user_id');
    const parents = col(rows, 'runs', 'parent_run_id');
    rows.runs!.rows.forEach((r, i) => expect(runUser.get(parents[i]!)).toBe(runUser.get(r[0])));
    expect(rows.runs!.rows.some((r, i) => parents[i] === r[0])).toBe(true);
    expect(rows.runs!.rows.some((r, i) => parents[i] !== r[0])).toBe(true);
  });
});

describe('generator values adapted to what their column became', () => {
  const c = (type: LayoutColumn['type'], extra: Partial<LayoutColumn> = {}): LayoutColumn => ({ name: 'x', type, nullable: true, unique: false, ...extra });

  it('decides per change: keep, adapt, or fill', () => {
    expect(adaptation(c(t.varchar(100)), c(t.varchar(300)))).toBe('keep');
    expect(adaptation(c(t.int()), c(t.bigint()))).toBe('keep');
    expect(adaptation(c(t.json()), c(t.jsonText()))).toBe('keep');
    expect(adaptation(c(t.varchar(100)), c(t.varchar(40)))).toEqual({ maxLength: 40 });
    expect(adaptation(c(t.text()), c(t.varchar(40)))).toEqual({ maxLength: 40 });
    expect(adaptation(c(t.bigint()), c(t.smallint()))).toEqual({ range: [-32768, 32767] });
    expect(adaptation(c(t.enum('a', 'b', 'c')), c(t.enum('a', 'b', 'c', 'd')))).toBe('keep');
    expect(adaptation(c(t.enum('a', 'b', 'c')), c(t.enum('a', 'c')))).toEqual({ labels: ['a', 'c'] });
    expect(adaptation(c(t.varchar(20)), c(t.enum('x', 'y')))).toEqual({ labels: ['x', 'y'] });
    expect(adaptation(c(t.varchar(20)), c(t.varchar(20), { nullable: false, unique: true }))).toEqual({ fillNulls: true, unique: true });
    expect(adaptation(c(t.varchar(20)), c(t.int()))).toBe('fill');
    expect(adaptation(c(t.timestamp()), c(t.json()))).toBe('fill');
  });

  it.each(['postgres', 'mysql'] as const)('%s: a narrower varchar, a removed enum label, SET NOT NULL and a new UNIQUE: every value fits, the rest as the generator wrote it', async (dialect) => {
    const def = evolve(chat, (s) => {
      defColumn(s, 'conversations', 'title').type = t.varchar(20);
      defColumn(s, 'messages', 'content_type').type = t.enum('text', 'image_url');
      defColumn(s, 'users', 'nickname').unique = true;
    });
    const before = await generate('chat', chat, dialect);
    const after = await generate('chat', def, dialect);
    const titles = col(after, 'conversations', 'title');
    for (const x of titles) expect(x!.length).toBeLessThanOrEqual(20);
    expect(titles).toEqual(col(before, 'conversations', 'title').map((x) => x!.slice(0, 20)));
    const types = col(after, 'messages', 'content_type');
    expect(new Set(types)).toEqual(new Set(['text', 'image_url']));
    expect(col(before, 'messages', 'content_type')).toContain('video_url');
    const nicknames = col(after, 'users', 'nickname');
    expect(new Set(nicknames).size).toBe(nicknames.length);
    expect(col(after, 'users', 'email')).toEqual(col(before, 'users', 'email'));
  });

  it('SET NOT NULL on a column the generator leaves NULL now and then: those rows get a value, the others keep theirs', async () => {
    const def = evolve(agents, (s) => (defColumn(s, 'runs', 'completed_at').notNull = true));
    const before = col(await generate('agents', agents, 'postgres'), 'runs', 'completed_at');
    const after = col(await generate('agents', def, 'postgres'), 'runs', 'completed_at');
    expect(before).toContain(null);
    expect(after).not.toContain(null);
    after.forEach((x, i) => (before[i] === null ? expect(x).toMatch(/^20\d\d-/) : expect(x).toBe(before[i])));
  });

  it('a UNIQUE on a column whose values never repeat (the generator says so) keeps them as written', () => {
    const def = evolve(agents, (s) => (defColumn(s, 'files', 'file_hash').unique = true));
    const files = seedLayout('agents', 'postgres', def).tables.find((x) => x.name === 'files')!;
    expect(files.columns.find((x) => x.name === 'file_hash')!.adapt).toBeUndefined();
    expect(files.from).toBeNull();
  });
});
