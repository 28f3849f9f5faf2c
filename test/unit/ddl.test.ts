import { describe, expect, it } from 'vitest';
import { mysqlDdl } from '../../dialects/mysql/ddl.js';
import { postgresDdl } from '../../dialects/postgres/ddl.js';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';
import { variantSteps } from '../../src/schema/ddl.js';

const step = (schema: string, dialect: 'postgres' | 'mysql', id: string) => {
  const variant = expectedVariant(schema, dialect);
  const steps = variantSteps(variant, dialect === 'postgres' ? postgresDdl : mysqlDdl);
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};

describe('PostgreSQL DDL', () => {
  it('writes agents.settings as the document does', () => {
    expect(step('agents', 'postgres', 'table:settings')).toEqual({
      id: 'table:settings',
      up: [
        'CREATE TABLE "settings" (\n' +
          '    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n' +
          '    "user_id" uuid REFERENCES "users" ("id") ON DELETE CASCADE,\n' +
          '    "key" varchar(100) NOT NULL,\n' +
          '    "value" jsonb NOT NULL,\n' +
          '    "created_at" timestamptz DEFAULT now(),\n' +
          '    "updated_at" timestamptz DEFAULT now(),\n' +
          '    UNIQUE ("user_id", "key")\n' +
          ')',
        'CREATE INDEX "idx_settings_user_key" ON "settings" ("user_id", "key")',
      ],
      down: ['DROP TABLE "settings"'],
    });
  });

  it('gives gallery TEXT[] columns and no index the document lacks', () => {
    const up = step('agents', 'postgres', 'table:gallery').up;
    expect(up[0]).toContain('"file_paths" text[],');
    expect(up[0]).toContain('"run_id" uuid REFERENCES "runs" ("id") ON DELETE CASCADE,');
    expect(up).toHaveLength(2);
  });

  it('maps chat.messages to enum types, JSONB, comments and prefixed index names', () => {
    const s = step('chat', 'postgres', 'table:messages');
    expect(s.up.slice(0, 2)).toEqual([
      `CREATE TYPE "messages_role" AS ENUM ('user', 'assistant', 'system')`,
      `CREATE TYPE "messages_content_type" AS ENUM ('text', 'image_url', 'video_url')`,
    ]);
    expect(s.up[2]).toContain(`"content_type" "messages_content_type" DEFAULT 'text' NOT NULL,`);
    expect(s.up[2]).toContain(`"content" jsonb NOT NULL,`);
    expect(s.up[2]).toContain(`"status" smallint DEFAULT 1,`);
    expect(s.up).toContain('CREATE INDEX "idx_messages_conversation_id" ON "messages" ("conversation_id")');
    expect(s.up).toContain(`COMMENT ON TABLE "messages" IS 'Conversation messages table'`);
    expect(s.up).toContain(`COMMENT ON COLUMN "messages"."content" IS 'Message content (stored in JSON format)'`);
    expect(s.down).toEqual(['DROP TABLE "messages"', 'DROP TYPE "messages_role"', 'DROP TYPE "messages_content_type"']);
  });

  it('adds explicit indexes for the FK columns MySQL would index by itself', () => {
    const up = step('chat', 'postgres', 'table:api_calls').up;
    expect(up).toContain('CREATE INDEX "idx_api_calls_conversation_id" ON "api_calls" ("conversation_id")');
    expect(up).toContain('CREATE INDEX "idx_api_calls_message_id" ON "api_calls" ("message_id")');
    expect(up).toContain(
      'CREATE INDEX "idx_api_calls_user_model_date" ON "api_calls" ("user_id", "model_name", "created_at")',
    );
  });

  it('emulates ON UPDATE CURRENT_TIMESTAMP with a trigger function in the prelude', () => {
    const prelude = step('chat', 'postgres', 'prelude');
    expect(prelude.up).toEqual([
      'CREATE OR REPLACE FUNCTION "set_updated_at"() RETURNS trigger LANGUAGE plpgsql AS $$\n' +
        'BEGIN\n  NEW."updated_at" := now();\n  RETURN NEW;\nEND\n$$',
    ]);
    expect(prelude.down).toEqual(['DROP FUNCTION IF EXISTS "set_updated_at"()']);
    expect(step('chat', 'postgres', 'table:users').up).toContain(
      'CREATE TRIGGER "trg_users_updated_at" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "set_updated_at"()',
    );
    expect(variantSteps(expectedVariant('agents', 'postgres'), postgresDdl).map((s) => s.id)).not.toContain('prelude');
  });
});

describe('MySQL DDL', () => {
  it('writes chat.users as the document does, in one statement', () => {
    expect(step('chat', 'mysql', 'table:users')).toEqual({
      id: 'table:users',
      up: [
        'CREATE TABLE `users` (\n' +
          "    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'User unique identifier',\n" +
          "    `username` varchar(50) NOT NULL UNIQUE COMMENT 'Username',\n" +
          "    `email` varchar(100) NOT NULL UNIQUE COMMENT 'Email address',\n" +
          "    `password_hash` varchar(255) NOT NULL COMMENT 'Password hash value',\n" +
          "    `nickname` varchar(100) COMMENT 'User nickname',\n" +
          "    `avatar_url` varchar(500) COMMENT 'Avatar URL',\n" +
          "    `phone` varchar(20) COMMENT 'Phone number',\n" +
          "    `status` tinyint DEFAULT 1 COMMENT 'User status: 1-active, 0-disabled',\n" +
          "    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP COMMENT 'Creation time',\n" +
          "    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT 'Update time',\n" +
          "    `last_login_at` timestamp NULL COMMENT 'Last login time'\n" +
          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='User information table'",
      ],
      down: ['DROP TABLE `users`'],
    });
  });

  it('keeps ENUMs, TEXT content and per-table index names', () => {
    const [sql] = step('chat', 'mysql', 'table:messages').up;
    expect(sql).toContain("`role` enum('user','assistant','system') NOT NULL COMMENT");
    expect(sql).toContain("`content_type` enum('text','image_url','video_url') NOT NULL DEFAULT 'text' COMMENT");
    expect(sql).toContain('`content` text NOT NULL COMMENT');
    expect(sql).toContain('FOREIGN KEY (`conversation_id`) REFERENCES `conversations` (`id`) ON DELETE CASCADE');
    expect(sql).toContain('INDEX `idx_user_id` (`user_id`)');
  });

  it('leaves the FK index of api_calls.conversation_id to the engine, as the document does', () => {
    const [sql] = step('chat', 'mysql', 'table:api_calls').up;
    expect(sql).toContain('FOREIGN KEY (`conversation_id`) REFERENCES `conversations` (`id`) ON DELETE SET NULL');
    expect(sql).not.toMatch(/INDEX `conversation_id`/);
    expect(sql).toContain('INDEX `idx_user_model_date` (`user_id`, `model_name`, `created_at`)');
  });

  it('maps agents to BIGINT keys, JSON and nullable timestamps; quotes `key`', () => {
    const [sql] = step('agents', 'mysql', 'table:settings').up;
    expect(sql).toBe(
      'CREATE TABLE `settings` (\n' +
        '    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n' +
        '    `user_id` bigint,\n' +
        '    `key` varchar(100) NOT NULL,\n' +
        '    `value` json NOT NULL,\n' +
        '    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,\n' +
        '    `updated_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,\n' +
        '    UNIQUE (`user_id`, `key`),\n' +
        '    FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,\n' +
        '    INDEX `idx_settings_user_key` (`user_id`, `key`)\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
    expect(step('agents', 'mysql', 'table:gallery').up[0]).toContain('`file_paths` json,');
  });
});
