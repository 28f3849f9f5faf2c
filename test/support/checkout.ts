/**
 * A temporary dbkit checkout for `dbkit make` and `dbkit check` (DBKIT_ROOT):
 * copies of src/schema/ and migrations/, edited as a developer would edit
 * them. Tests never touch the repository's own files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dbkit, repoRoot, type CliOptions, type CliResult } from './cli.js';

export interface Checkout {
  root: string;
  /** Run the built CLI on this checkout. */
  run(args: string[], opts?: CliOptions): Promise<CliResult>;
  /** Replace `from` by `to` once in src/schema/<file>; throws when `from` is not there. */
  edit(file: 'agents.ts' | 'chat.ts', from: string, to: string): void;
  migrations(schema: string): string[];
}

/** A checkout in `dir`, copied from the repository (or from another checkout's root, as a branch of it). */
export function checkout(dir: string, from = repoRoot): Checkout {
  const root = path.join(dir, 'checkout');
  fs.cpSync(path.join(from, 'src', 'schema'), path.join(root, 'src', 'schema'), { recursive: true });
  fs.cpSync(path.join(from, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  return {
    root,
    run: (args, opts = {}) => dbkit(args, { ...opts, env: { DBKIT_ROOT: root, ...opts.env } }),
    edit(file, from, to) {
      const p = path.join(root, 'src', 'schema', file);
      const text = fs.readFileSync(p, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
      fs.writeFileSync(p, text.replace(from, to));
    },
    migrations: (schema) =>
      fs
        .readdirSync(path.join(root, 'migrations', schema))
        .filter((n) => /^\d{14}_/.test(n))
        .sort(),
  };
}

/** The changes of issue 12's evolution test, in order, each made by `dbkit make` alone. */
export interface Change {
  schema: 'agents' | 'chat';
  name: string;
  edit(c: Checkout): void;
  flags?: string[];
}

export const CHANGES: Change[] = [
  {
    schema: 'agents',
    name: 'add_users_bio',
    edit: (c) => c.edit('agents.ts', "{ name: 'password_hash', type: t.varchar(255), notNull: true },", "{ name: 'password_hash', type: t.varchar(255), notNull: true },\n        { name: 'bio', type: t.text() },"),
  },
  {
    schema: 'agents',
    name: 'add_sessions_status',
    edit: (c) =>
      c.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", "{ name: 'title', type: t.varchar(255), notNull: true },\n        { name: 'status', type: t.varchar(20), notNull: true, default: str('active') },"),
  },
  {
    schema: 'agents',
    name: 'widen_sessions_title',
    edit: (c) => c.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", "{ name: 'title', type: t.varchar(300), notNull: true },"),
  },
  {
    schema: 'agents',
    name: 'index_messages_type',
    edit: (c) => c.edit('agents.ts', "{ name: 'idx_messages_timestamp', columns: ['timestamp'] },", "{ name: 'idx_messages_timestamp', columns: ['timestamp'] },\n        { name: 'idx_messages_message_type', columns: ['message_type'] },"),
  },
  {
    schema: 'agents',
    name: 'add_files_session',
    edit: (c) => {
      c.edit('agents.ts', "import { cascade, now, str, t, type SchemaDef } from './definition.js';", "import { cascade, now, setNull, str, t, type SchemaDef } from './definition.js';");
      c.edit('agents.ts', "{ name: 'file_hash', type: t.varchar(64) },", "{ name: 'file_hash', type: t.varchar(64) },\n        { name: 'session_id', type: t.ref(), references: setNull('sessions') },");
    },
  },
  {
    schema: 'agents',
    name: 'rename_users_bio',
    edit: (c) => c.edit('agents.ts', "{ name: 'bio', type: t.text() },", "{ name: 'about', type: t.text(), renamedFrom: 'bio' },"),
  },
  {
    schema: 'chat',
    name: 'add_role_tool',
    edit: (c) => c.edit('chat.ts', "t.enum('user', 'assistant', 'system')", "t.enum('user', 'assistant', 'system', 'tool')"),
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
    schema: 'agents',
    name: 'drop_sessions_config',
    edit: (c) => c.edit('agents.ts', "        { name: 'config', type: t.json() },\n", ''),
    flags: ['--allow-data-loss'],
  },
];
