/**
 * A sprint of schema changes, as a team makes them over a few weeks (issue
 * 19, acceptance 5): fourteen edits of src/schema/ in a throwaway checkout,
 * each followed by `dbkit make`, on both schemas: nullable columns (one of
 * them a reference column without a foreign key), that column's foreign
 * key, a NOT NULL column with a default and an index on it, a new table, an
 * enum label, a column rename and a table rename, a wider and a narrower
 * varchar, int to bigint, a dropped column, a UNIQUE constraint and SET NOT
 * NULL.
 */
import type { Checkout } from './checkout.js';

export interface SprintChange {
  schema: 'agents' | 'chat';
  name: string;
  edit(c: Checkout): void;
  /** Drops data or can fail on existing rows: make needs --allow-data-loss. */
  dataLoss?: true;
  /** Copies or rewrites the table on some engine (int -> bigint, a narrower varchar; MySQL: a varchar's length prefix growing): make needs --allow-blocking where it has that gate. */
  blocking?: true;
  /** Drops a column or table that holds values: migrate's live pre-flight wants --allow-data-loss for the rows it loses. */
  dropsValues?: true;
}

const agentsImport = "import { cascade, now, str, t, type SchemaDef } from './definition.js';";

export const SPRINT: SprintChange[] = [
  {
    schema: 'agents',
    name: 'add_users_bio_files_session',
    edit: (c) => {
      c.edit('agents.ts', "{ name: 'password_hash', type: t.varchar(255), notNull: true },", "{ name: 'password_hash', type: t.varchar(255), notNull: true },\n        { name: 'bio', type: t.text() },");
      // A reference column without a foreign key (yet).
      c.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64) },\n        { name: 'session_id', type: t.ref() },");
    },
  },
  {
    schema: 'agents',
    name: 'fk_files_session',
    edit: (c) => {
      c.edit('agents.ts', agentsImport, "import { cascade, now, setNull, str, t, type SchemaDef } from './definition.js';");
      c.edit('agents.ts', "{ name: 'session_id', type: t.ref() },", "{ name: 'session_id', type: t.ref(), references: setNull('sessions') },");
    },
    dataLoss: true,
  },
  {
    schema: 'agents',
    name: 'add_messages_tokens',
    edit: (c) => {
      c.edit('agents.ts', "import { cascade, now, setNull, str, t, type SchemaDef } from './definition.js';", "import { cascade, now, num, setNull, str, t, type SchemaDef } from './definition.js';");
      c.edit('agents.ts', "{ name: 'message_type', type: t.varchar(20), notNull: true, default: str('text') },", "{ name: 'message_type', type: t.varchar(20), notNull: true, default: str('text') },\n        { name: 'tokens', type: t.int(), notNull: true, default: num(0) },");
    },
  },
  {
    schema: 'agents',
    name: 'index_messages_tokens',
    edit: (c) =>
      c.edit('agents.ts', "{ name: 'idx_messages_timestamp', columns: ['timestamp'] },", "{ name: 'idx_messages_timestamp', columns: ['timestamp'] },\n        { name: 'idx_messages_tokens', columns: ['tokens'] },"),
  },
  {
    schema: 'agents',
    name: 'create_tags',
    edit: (c) =>
      c.edit(
        'agents.ts',
        "      indexes: [{ name: 'idx_gallery_user_id', columns: ['user_id'] }],\n    },\n",
        `      indexes: [{ name: 'idx_gallery_user_id', columns: ['user_id'] }],
    },
    {
      name: 'tags',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
        { name: 'run_id', type: t.ref(), references: setNull('runs') },
        { name: 'label', type: t.varchar(50), notNull: true },
        createdAt,
      ],
      uniques: [['user_id', 'label']],
      indexes: [{ name: 'idx_tags_run_id', columns: ['run_id'] }],
    },
`,
      ),
  },
  {
    schema: 'chat',
    name: 'add_role_tool',
    edit: (c) => c.edit('chat.ts', "t.enum('user', 'assistant', 'system')", "t.enum('user', 'assistant', 'system', 'tool')"),
  },
  {
    schema: 'agents',
    name: 'rename_runs_task',
    edit: (c) => c.edit('agents.ts', "{ name: 'task', type: t.text(), notNull: true },", "{ name: 'prompt', type: t.text(), notNull: true, renamedFrom: 'task' },"),
  },
  {
    schema: 'chat',
    name: 'rename_conversations_to_chats',
    edit: (c) => {
      c.edit('chat.ts', "      name: 'conversations',\n", "      name: 'chats',\n      renamedFrom: 'conversations',\n");
      c.edit('chat.ts', "references: cascade('conversations'),", "references: cascade('chats'),");
      c.edit('chat.ts', "references: setNull('conversations'),", "references: setNull('chats'),");
    },
  },
  {
    schema: 'agents',
    name: 'widen_sessions_title',
    edit: (c) => c.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", "{ name: 'title', type: t.varchar(300), notNull: true },"),
    blocking: true,
  },
  {
    schema: 'chat',
    name: 'narrow_users_nickname',
    edit: (c) => c.edit('chat.ts', "{ name: 'nickname', type: t.varchar(100), comment: 'User nickname' },", "{ name: 'nickname', type: t.varchar(60), comment: 'User nickname' },"),
    dataLoss: true,
    // A narrower length rewrites the table on PostgreSQL (every value is checked under ACCESS EXCLUSIVE) and copies it on MySQL.
    blocking: true,
  },
  {
    schema: 'chat',
    name: 'bigint_total_tokens',
    edit: (c) => c.edit('chat.ts', "{ name: 'total_tokens', type: t.int(), default: num(0), comment: 'Total tokens' },", "{ name: 'total_tokens', type: t.bigint(), default: num(0), comment: 'Total tokens' },"),
    blocking: true,
  },
  {
    schema: 'agents',
    name: 'drop_sessions_config',
    edit: (c) => c.edit('agents.ts', "        { name: 'config', type: t.json() },\n        createdAt,\n        updatedAt,\n      ],\n      indexes: [{ name: 'idx_sessions_user_id'", "        createdAt,\n        updatedAt,\n      ],\n      indexes: [{ name: 'idx_sessions_user_id'"),
    dataLoss: true,
    dropsValues: true,
  },
  {
    schema: 'agents',
    name: 'unique_files_hash',
    edit: (c) => c.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64), unique: true },"),
    dataLoss: true,
  },
  {
    schema: 'chat',
    name: 'chats_title_not_null',
    edit: (c) => c.edit('chat.ts', "{ name: 'title', type: t.varchar(255), comment: 'Conversation title' },", "{ name: 'title', type: t.varchar(255), notNull: true, comment: 'Conversation title' },"),
    dataLoss: true,
  },
];

/** The tables of each schema after the sprint, for row counts. */
export const SPRINT_TABLES = {
  agents: ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery', 'tags'],
  chat: ['users', 'chats', 'messages', 'api_calls'],
};
