/** The `agents` schema (document: schema-docs/000_*.txt, written for PostgreSQL). */
import { cascade, now, str, t, type SchemaDef } from './definition.js';

const createdAt = { name: 'created_at', type: t.timestamp(), default: now };
const updatedAt = { name: 'updated_at', type: t.timestamp(), default: now };

export const agents: SchemaDef = {
  name: 'agents',
  native: 'postgres',
  tables: [
    {
      name: 'users',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'username', type: t.varchar(50), unique: true, notNull: true },
        { name: 'email', type: t.varchar(255), unique: true, notNull: true },
        { name: 'password_hash', type: t.varchar(255), notNull: true },
        createdAt,
        updatedAt,
      ],
    },
    {
      name: 'sessions',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
        { name: 'title', type: t.varchar(255), notNull: true },
        { name: 'config', type: t.json() },
        createdAt,
        updatedAt,
      ],
      indexes: [{ name: 'idx_sessions_user_id', columns: ['user_id'] }],
    },
    {
      name: 'runs',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'session_id', type: t.ref(), notNull: true, references: cascade('sessions') },
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
        { name: 'task', type: t.text(), notNull: true },
        { name: 'status', type: t.varchar(20), notNull: true, default: str('running') },
        { name: 'config', type: t.json() },
        { name: 'result', type: t.json() },
        { name: 'usage_statistics', type: t.json() },
        createdAt,
        updatedAt,
        { name: 'completed_at', type: t.timestamp() },
      ],
      indexes: [
        { name: 'idx_runs_session_id', columns: ['session_id'] },
        { name: 'idx_runs_user_id', columns: ['user_id'] },
        { name: 'idx_runs_status', columns: ['status'] },
        { name: 'idx_runs_created_at', columns: ['created_at'] },
      ],
    },
    {
      name: 'messages',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'run_id', type: t.ref(), notNull: true, references: cascade('runs') },
        { name: 'sender', type: t.varchar(100), notNull: true },
        { name: 'content', type: t.text(), notNull: true },
        { name: 'message_type', type: t.varchar(20), notNull: true, default: str('text') },
        { name: 'metadata', type: t.json() },
        { name: 'timestamp', type: t.timestamp(), default: now },
      ],
      indexes: [
        { name: 'idx_messages_run_id', columns: ['run_id'] },
        { name: 'idx_messages_timestamp', columns: ['timestamp'] },
      ],
    },
    {
      name: 'files',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'run_id', type: t.ref(), notNull: true, references: cascade('runs') },
        { name: 'name', type: t.varchar(255), notNull: true },
        { name: 'path', type: t.varchar(500), notNull: true },
        { name: 'size', type: t.bigint(), notNull: true },
        { name: 'content_type', type: t.varchar(100) },
        { name: 'file_hash', type: t.varchar(64) },
        createdAt,
      ],
      indexes: [{ name: 'idx_files_run_id', columns: ['run_id'] }],
    },
    {
      name: 'settings',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), references: cascade('users') },
        { name: 'key', type: t.varchar(100), notNull: true },
        { name: 'value', type: t.json(), notNull: true },
        createdAt,
        updatedAt,
      ],
      uniques: [['user_id', 'key']],
      indexes: [{ name: 'idx_settings_user_key', columns: ['user_id', 'key'] }],
    },
    {
      name: 'gallery',
      columns: [
        { name: 'id', type: t.id() },
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users') },
        { name: 'run_id', type: t.ref(), references: cascade('runs') },
        { name: 'title', type: t.varchar(255), notNull: true },
        { name: 'description', type: t.text() },
        { name: 'file_paths', type: t.textArray() },
        { name: 'tags', type: t.textArray() },
        createdAt,
      ],
      indexes: [{ name: 'idx_gallery_user_id', columns: ['user_id'] }],
    },
  ],
};
