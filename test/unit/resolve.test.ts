import { describe, expect, it } from 'vitest';
import { expectedVariant } from '../../src/migrate/folder/snapshots.js';

const col = (schema: string, dialect: 'postgres' | 'mysql', table: string, column: string) => {
  const t = expectedVariant(schema, dialect).tables.find((x) => x.name === table)!;
  return t.columns.find((c) => c.name === column)!;
};

describe('type mapping (docs/schema/variants.md)', () => {
  it.each([
    ['agents', 'postgres', 'users', 'id', 'uuid'],
    ['agents', 'mysql', 'users', 'id', 'bigint'],
    ['agents', 'mysql', 'sessions', 'user_id', 'bigint'],
    ['agents', 'mysql', 'sessions', 'config', 'json'],
    ['agents', 'postgres', 'sessions', 'config', 'jsonb'],
    ['agents', 'postgres', 'gallery', 'tags', 'text[]'],
    ['agents', 'mysql', 'gallery', 'tags', 'json'],
    ['agents', 'postgres', 'runs', 'completed_at', 'timestamptz'],
    ['agents', 'mysql', 'runs', 'completed_at', 'timestamp'],
    ['agents', 'mysql', 'files', 'size', 'bigint'],
    ['chat', 'postgres', 'users', 'id', 'uuid'],
    ['chat', 'postgres', 'users', 'status', 'smallint'],
    ['chat', 'mysql', 'users', 'status', 'tinyint'],
    ['chat', 'postgres', 'messages', 'content', 'jsonb'],
    ['chat', 'mysql', 'messages', 'content', 'text'],
    ['chat', 'postgres', 'api_calls', 'request_content', 'text'],
    ['chat', 'mysql', 'api_calls', 'request_content', 'longtext'],
    ['chat', 'postgres', 'api_calls', 'request_tokens', 'integer'],
    ['chat', 'mysql', 'api_calls', 'request_tokens', 'int'],
    ['chat', 'postgres', 'messages', 'role', 'messages_role'],
    ['chat', 'mysql', 'messages', 'role', "enum('user','assistant','system')"],
  ] as const)('%s on %s: %s.%s is %s', (schema, dialect, table, column, type) => {
    expect(col(schema, dialect, table, column).type).toBe(type);
  });

  it('keys: UUID with gen_random_uuid() on PostgreSQL, BIGINT AUTO_INCREMENT on MySQL', () => {
    expect(col('chat', 'postgres', 'users', 'id')).toMatchObject({ default: 'gen_random_uuid()', autoIncrement: false, nullable: false });
    expect(col('agents', 'mysql', 'users', 'id')).toMatchObject({ default: null, autoIncrement: true, nullable: false });
  });

  it('ON UPDATE CURRENT_TIMESTAMP: a column attribute on MySQL, a trigger on PostgreSQL', () => {
    expect(col('chat', 'mysql', 'users', 'updated_at')).toMatchObject({ default: 'CURRENT_TIMESTAMP', onUpdate: 'CURRENT_TIMESTAMP' });
    expect(col('chat', 'postgres', 'users', 'updated_at')).toMatchObject({ default: 'CURRENT_TIMESTAMP', onUpdate: null });
    expect(expectedVariant('chat', 'postgres').triggers.map((t) => t.name)).toEqual([
      'trg_users_updated_at',
      'trg_conversations_updated_at',
    ]);
    expect(expectedVariant('agents', 'postgres').triggers).toEqual([]);
  });

  it('enum types keep labels in order', () => {
    expect(expectedVariant('chat', 'postgres').enums).toEqual([
      { name: 'messages_role', labels: ['user', 'assistant', 'system'] },
      { name: 'messages_content_type', labels: ['text', 'image_url', 'video_url'] },
    ]);
  });

  it('index names: per table on MySQL, table-prefixed on PostgreSQL', () => {
    const names = (dialect: 'postgres' | 'mysql') =>
      expectedVariant('chat', dialect).tables.find((t) => t.name === 'api_calls')!.indexes.map((i) => i.name);
    expect(names('mysql')).toEqual(['idx_user_id', 'idx_model_name', 'idx_created_at', 'idx_user_model_date', 'conversation_id', 'message_id']);
    expect(names('postgres')).toEqual([
      'idx_api_calls_user_id',
      'idx_api_calls_model_name',
      'idx_api_calls_created_at',
      'idx_api_calls_user_model_date',
      'idx_api_calls_conversation_id',
      'idx_api_calls_message_id',
    ]);
  });

  it('MySQL indexes a foreign key by itself only where no index leads with its columns', () => {
    const implicit = expectedVariant('agents', 'mysql').tables.flatMap((t) =>
      t.indexes.filter((i) => i.implicit).map((i) => `${t.name}.${i.columns.join(',')}`),
    );
    expect(implicit).toEqual(['gallery.run_id']);
    expect(expectedVariant('agents', 'postgres').tables.flatMap((t) => t.indexes).some((i) => i.implicit)).toBe(false);
  });
});
