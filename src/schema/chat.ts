/** The `chat` schema (document: schema-docs/003_*.txt, written for MySQL). */
import { cascade, now, num, setNull, str, t, type ColumnDef, type SchemaDef } from './definition.js';

const id = (comment: string): ColumnDef => ({ name: 'id', type: t.id(), comment });
const createdAt: ColumnDef = { name: 'created_at', type: t.timestamp(), default: now, comment: 'Creation time' };
const updatedAt: ColumnDef = {
  name: 'updated_at',
  type: t.timestamp(),
  default: now,
  onUpdateNow: true,
  comment: 'Update time',
};

export const chat: SchemaDef = {
  name: 'chat',
  native: 'mysql',
  tables: [
    {
      name: 'users',
      comment: 'User information table',
      columns: [
        id('User unique identifier'),
        { name: 'username', type: t.varchar(50), unique: true, notNull: true, comment: 'Username' },
        { name: 'email', type: t.varchar(100), unique: true, notNull: true, comment: 'Email address' },
        { name: 'password_hash', type: t.varchar(255), notNull: true, comment: 'Password hash value' },
        { name: 'nickname', type: t.varchar(100), comment: 'User nickname' },
        { name: 'avatar_url', type: t.varchar(500), comment: 'Avatar URL' },
        { name: 'phone', type: t.varchar(20), comment: 'Phone number' },
        { name: 'status', type: t.tinyint(), default: num(1), comment: 'User status: 1-active, 0-disabled' },
        createdAt,
        updatedAt,
        { name: 'last_login_at', type: t.timestamp(), comment: 'Last login time' },
      ],
    },
    {
      name: 'conversations',
      comment: 'Conversation history table',
      columns: [
        id('Conversation unique identifier'),
        { name: 'user_id', type: t.ref(), notNull: true, references: cascade('users'), comment: 'Associated user ID' },
        { name: 'title', type: t.varchar(255), comment: 'Conversation title' },
        { name: 'model_name', type: t.varchar(100), notNull: true, comment: 'AI model name used' },
        {
          name: 'status',
          type: t.tinyint(),
          default: num(1),
          comment: 'Conversation status: 1-in progress, 0-ended',
        },
        createdAt,
        updatedAt,
      ],
      indexes: [
        { name: 'idx_user_id', columns: ['user_id'] },
        { name: 'idx_created_at', columns: ['created_at'] },
      ],
    },
    {
      name: 'messages',
      comment: 'Conversation messages table',
      columns: [
        id('Message unique identifier'),
        {
          name: 'conversation_id',
          type: t.ref(),
          notNull: true,
          references: cascade('conversations'),
          comment: 'Associated conversation ID',
        },
        {
          name: 'user_id',
          type: t.ref(),
          notNull: true,
          references: cascade('users'),
          comment: 'User ID who sent the message',
        },
        {
          name: 'role',
          type: t.enum('user', 'assistant', 'system'),
          notNull: true,
          comment: 'Message role: user-user, assistant-AI assistant, system-system',
        },
        {
          name: 'content_type',
          type: t.enum('text', 'image_url', 'video_url'),
          notNull: true,
          default: str('text'),
          comment: 'Content type',
        },
        { name: 'content', type: t.jsonText(), notNull: true, comment: 'Message content (stored in JSON format)' },
        { name: 'status', type: t.tinyint(), default: num(1), comment: 'Message status: 1-active, 0-deleted' },
        createdAt,
      ],
      indexes: [
        { name: 'idx_conversation_id', columns: ['conversation_id'] },
        { name: 'idx_user_id', columns: ['user_id'] },
        { name: 'idx_created_at', columns: ['created_at'] },
      ],
    },
    {
      name: 'api_calls',
      comment: 'API call records table',
      columns: [
        id('Call record unique identifier'),
        {
          name: 'user_id',
          type: t.ref(),
          notNull: true,
          references: cascade('users'),
          comment: 'User ID who initiated the call',
        },
        {
          name: 'conversation_id',
          type: t.ref(),
          references: setNull('conversations'),
          comment: 'Associated conversation ID',
        },
        { name: 'message_id', type: t.ref(), references: setNull('messages'), comment: 'Associated message ID' },
        { name: 'model_name', type: t.varchar(100), notNull: true, comment: 'AI model name called' },
        { name: 'api_endpoint', type: t.varchar(255), notNull: true, comment: 'API endpoint' },
        { name: 'request_content', type: t.longtext(), comment: 'Request content' },
        { name: 'response_content', type: t.longtext(), comment: 'Response content' },
        { name: 'status_code', type: t.smallint(), comment: 'HTTP status code' },
        { name: 'request_tokens', type: t.int(), default: num(0), comment: 'Tokens used in request' },
        { name: 'response_tokens', type: t.int(), default: num(0), comment: 'Tokens used in response' },
        { name: 'total_tokens', type: t.int(), default: num(0), comment: 'Total tokens' },
        { name: 'call_duration', type: t.int(), comment: 'Call duration (milliseconds)' },
        { name: 'client_ip', type: t.varchar(45), comment: 'Client IP address' },
        { name: 'user_agent', type: t.text(), comment: 'User agent information' },
        createdAt,
      ],
      indexes: [
        { name: 'idx_user_id', columns: ['user_id'] },
        { name: 'idx_model_name', columns: ['model_name'] },
        { name: 'idx_created_at', columns: ['created_at'] },
        { name: 'idx_user_model_date', columns: ['user_id', 'model_name', 'created_at'] },
      ],
    },
  ],
};
