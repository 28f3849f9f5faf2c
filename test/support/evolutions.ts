/**
 * Schema changes the planner tests apply to the definitions: each a small
 * edit of a copy of `agents` or `chat`, with the renames it declares.
 */
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import { cascade, now, setNull, str, t, type ColumnDef, type SchemaDef, type TableDef } from '../../src/schema/definition.js';
import type { Renames } from '../../src/plan/types.js';

export interface Evolution {
  name: string;
  base: SchemaDef;
  change: (s: SchemaDef) => void;
  renames?: Renames;
}

export const table = (s: SchemaDef, name: string): TableDef => {
  const found = s.tables.find((x) => x.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
};
export const column = (s: SchemaDef, tableName: string, name: string): ColumnDef => {
  const found = table(s, tableName).columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${tableName}.${name}`);
  return found;
};

/** A copy of `base` with `change` applied. */
export function evolve(base: SchemaDef, change: (s: SchemaDef) => void): SchemaDef {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}

const FOUR_DROPPED = ['runs', 'messages', 'files', 'gallery'];

/** Rename a table of the definition, and the references to it. */
export function renameTable(s: SchemaDef, from: string, to: string): void {
  table(s, from).name = to;
  for (const x of s.tables) for (const c of x.columns) if (c.references?.table === from) c.references = { ...c.references, table: to };
}

export const EVOLUTIONS: Evolution[] = [
  { name: 'nullable column', base: agents, change: (s) => table(s, 'users').columns.push({ name: 'bio', type: t.text() }) },
  {
    name: 'NOT NULL column with a default',
    base: agents,
    change: (s) => table(s, 'sessions').columns.push({ name: 'kind', type: t.varchar(20), notNull: true, default: str('chat') }),
  },
  { name: 'NOT NULL column without a default', base: agents, change: (s) => table(s, 'users').columns.push({ name: 'tz', type: t.varchar(40), notNull: true }) },
  { name: 'wider varchar', base: agents, change: (s) => (column(s, 'sessions', 'title').type = t.varchar(300)) },
  { name: 'narrower varchar', base: agents, change: (s) => (column(s, 'sessions', 'title').type = t.varchar(200)) },
  { name: 'index on an existing table', base: agents, change: (s) => (table(s, 'messages').indexes ??= []).push({ name: 'idx_messages_sender', columns: ['sender'] }) },
  {
    name: 'new foreign key',
    base: agents,
    change: (s) => table(s, 'files').columns.push({ name: 'session_id', type: t.ref(), references: setNull('sessions') }),
  },
  {
    name: 'declared column rename',
    base: agents,
    change: (s) => (column(s, 'users', 'username').name = 'handle'),
    renames: { tables: {}, columns: { users: { username: 'handle' } } },
  },
  { name: 'enum label appended', base: chat, change: (s) => (column(s, 'messages', 'role').type = t.enum('user', 'assistant', 'system', 'tool')) },
  { name: 'enum label removed', base: chat, change: (s) => (column(s, 'messages', 'content_type').type = t.enum('text', 'image_url')) },
  {
    name: 'new table with foreign keys',
    base: agents,
    change: (s) =>
      s.tables.push({
        name: 'tags',
        columns: [
          { name: 'id', type: t.id() },
          { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
          { name: 'run_id', type: t.ref(), references: cascade('runs') },
          { name: 'label', type: t.varchar(50), notNull: true },
          { name: 'created_at', type: t.timestamp(), default: now },
        ],
        uniques: [['user_id', 'label']],
        indexes: [{ name: 'idx_tags_run_id', columns: ['run_id'] }],
      }),
  },
  { name: 'dropped column', base: agents, change: (s) => (table(s, 'files').columns = table(s, 'files').columns.filter((c) => c.name !== 'file_hash')) },
  { name: 'four tables dropped', base: agents, change: (s) => (s.tables = s.tables.filter((x) => !FOUR_DROPPED.includes(x.name))) },
  {
    name: 'declared table rename',
    base: chat,
    change: (s) => renameTable(s, 'messages', 'chat_messages'),
    renames: { tables: { messages: 'chat_messages' }, columns: {} },
  },
  {
    name: 'table rename with an update trigger',
    base: chat,
    change: (s) => renameTable(s, 'conversations', 'threads'),
    renames: { tables: { conversations: 'threads' }, columns: {} },
  },
  {
    name: 'comments',
    base: chat,
    change: (s) => {
      table(s, 'users').comment = 'People';
      column(s, 'users', 'phone').comment = 'Phone number (E.164)';
    },
  },
  { name: 'unique constraint', base: agents, change: (s) => (column(s, 'files', 'file_hash').unique = true) },
  {
    name: 'ON UPDATE added',
    base: chat,
    change: (s) => {
      const c = column(s, 'users', 'last_login_at');
      c.onUpdateNow = true;
      c.default = now;
    },
  },
  { name: 'foreign key action', base: agents, change: (s) => (column(s, 'gallery', 'run_id').references = setNull('runs')) },
  {
    name: 'column retyped to JSON',
    base: chat,
    change: (s) => (column(s, 'api_calls', 'request_content').type = t.json()),
  },
  // Changes that rewrite or copy a table, and one that must not (docs/online-changes.md).
  { name: 'integer widened to bigint', base: chat, change: (s) => (column(s, 'api_calls', 'total_tokens').type = t.bigint()) },
  { name: 'nullable column made NOT NULL', base: agents, change: (s) => (column(s, 'files', 'file_hash').notNull = true) },
  { name: 'varchar across the length-byte boundary', base: agents, change: (s) => (column(s, 'users', 'username').type = t.varchar(100)) },
];

export const FOUR_DROPPED_TABLES = FOUR_DROPPED;
