import { describe, expect, it } from 'vitest';
import {
  normalizeMysqlDefault,
  normalizeMysqlFkAction,
  normalizeMysqlOnUpdate,
  normalizeMysqlType,
} from '../../dialects/mysql/normalize.js';
import { triggerTiming, unquoteIdent } from '../../dialects/postgres/introspect.js';
import {
  normalizePostgresDefault,
  normalizePostgresPredicate,
  normalizePostgresType,
} from '../../dialects/postgres/normalize.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { postgresRules } from '../../dialects/postgres/types.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import type { DbSchema, ForeignKey } from '../../src/schema/model.js';
import { canonicalNow, canonicalNumber, stripOuterParens } from '../../src/schema/normal-form.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { tableOf, withoutConstraintNames } from '../support/variants.js';


describe('shared lexical forms', () => {
  it.each([
    ['1', '1'],
    ['007', '7'],
    ['1.50', '1.5'],
    ['-1.50', '-1.5'],
    ['+3', '3'],
    ['-0', '0'],
    ['0.0', '0'],
    ['12345678901234567890', '12345678901234567890'],
    ['1e3', null],
    ["'1'", null],
    ['abc', null],
  ])('canonicalNumber(%j) = %j', (input, expected) => {
    expect(canonicalNumber(input)).toBe(expected);
  });

  it('canonicalNow: only the listed names, precision 0 as the dialect says', () => {
    expect(canonicalNow('now()', ['now'], true)).toBe('CURRENT_TIMESTAMP');
    expect(canonicalNow('current_timestamp(0)', ['current_timestamp'], true)).toBe('CURRENT_TIMESTAMP');
    expect(canonicalNow('current_timestamp(0)', ['current_timestamp'], false)).toBe('CURRENT_TIMESTAMP(0)');
    expect(canonicalNow('CURRENT_TIMESTAMP(3)', ['current_timestamp'], true)).toBe('CURRENT_TIMESTAMP(3)');
    expect(canonicalNow('clock_timestamp()', ['now'], true)).toBeNull();
  });

  it('stripOuterParens removes only parentheses around the whole expression', () => {
    expect(stripOuterParens('((a > 0))')).toBe('a > 0');
    expect(stripOuterParens('(a > 0) AND (b > 0)')).toBe('(a > 0) AND (b > 0)');
    expect(stripOuterParens("(a = ')(')")).toBe("a = ')('");
  });
});

describe('PostgreSQL spellings', () => {
  it.each([
    ['character varying(50)', 'varchar(50)'],
    ['varchar(50)', 'varchar(50)'],
    ['character varying', 'varchar'],
    ['timestamp with time zone', 'timestamptz'],
    ['timestamptz', 'timestamptz'],
    ['timestamp(3) with time zone', 'timestamptz(3)'],
    ['timestamp without time zone', 'timestamp'],
    ['integer', 'integer'],
    ['int4', 'integer'],
    ['int', 'integer'],
    ['int8', 'bigint'],
    ['int2', 'smallint'],
    ['bool', 'boolean'],
    ['text[]', 'text[]'],
    ['character varying(20)[]', 'varchar(20)[]'],
    ['JSONB', 'jsonb'],
    ['numeric(10, 2)', 'numeric(10,2)'],
    ['messages_role', 'messages_role'],
    ['Mood', 'Mood'],
  ])('type %j -> %j', (input, expected) => {
    expect(normalizePostgresType(input)).toBe(expected);
  });

  it.each([
    ['now()', 'CURRENT_TIMESTAMP'],
    ['CURRENT_TIMESTAMP', 'CURRENT_TIMESTAMP'],
    ['transaction_timestamp()', 'CURRENT_TIMESTAMP'],
    ['CURRENT_TIMESTAMP(0)', 'CURRENT_TIMESTAMP(0)'],
    ['statement_timestamp()', 'statement_timestamp()'],
    ["'running'::character varying", "'running'"],
    ["'text'::messages_content_type", "'text'"],
    ["'text'::chat.messages_content_type", "'text'"],
    ["'text'::\"Content Type\"", "'text'"],
    ["'it''s'::text", "'it''s'"],
    ["'{}'::text[]", "'{}'"],
    ["'{}'::jsonb", "'{}'"],
    ["'-1'::integer", '-1'],
    ["'-1.50'::numeric", '-1.5'],
    ["'1'::character varying", "'1'"],
    ['1', '1'],
    ['(-1)', '-1'],
    ['1.50', '1.5'],
    ['NULL::character varying', null],
    ['NULL', null],
    [null, null],
    ['gen_random_uuid()', 'gen_random_uuid()'],
    ['true', 'true'],
    ["'a'::text || 'b'::text", "'a'::text || 'b'::text"],
  ])('default %j -> %j', (input, expected) => {
    expect(normalizePostgresDefault(input)).toBe(expected);
  });

  it('index predicates lose the parentheses pg_get_expr adds', () => {
    expect(normalizePostgresPredicate('(deleted_at IS NULL)')).toBe('deleted_at IS NULL');
    expect(normalizePostgresPredicate(null)).toBeNull();
  });

  it('RESTRICT and NO ACTION stay distinct', () => {
    const fk: ForeignKey = { name: null, columns: ['a'], refTable: 't', refColumns: ['id'], onDelete: 'RESTRICT', onUpdate: 'NO ACTION' };
    const schema: DbSchema = {
      dialect: 'postgres',
      tables: [{ name: 't', comment: null, columns: [], primaryKey: null, uniques: [], foreignKeys: [fk], indexes: [] }],
      enums: [],
      triggers: [],
    };
    expect(normal(schema).tables[0]!.foreignKeys[0]).toMatchObject({ onDelete: 'RESTRICT', onUpdate: 'NO ACTION' });
  });

  it('catalog helpers: trigger timing from tgtype, index key names unquoted', () => {
    expect(triggerTiming(0b10011)).toBe('BEFORE UPDATE'); // ROW | BEFORE | UPDATE
    expect(triggerTiming(0b00101)).toBe('AFTER INSERT'); // ROW | INSERT
    expect(triggerTiming(0b11101)).toBe('AFTER INSERT OR UPDATE OR DELETE');
    expect(triggerTiming(0b10010)).toBe('BEFORE UPDATE FOR EACH STATEMENT');
    expect(unquoteIdent('"timestamp"')).toBe('timestamp');
    expect(unquoteIdent('"a""b"')).toBe('a"b');
    expect(unquoteIdent('lower((email)::text)')).toBe('lower((email)::text)');
  });

  it('the agents users table as the PostgreSQL catalog spells it equals the expected variant', () => {
    const catalog: DbSchema = {
      dialect: 'postgres',
      tables: [
        {
          name: 'users',
          comment: null,
          columns: [
            { name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', autoIncrement: false, onUpdate: null, comment: null },
            { name: 'username', type: 'character varying(50)', nullable: false, default: null, autoIncrement: false, onUpdate: null, comment: null },
            { name: 'email', type: 'character varying(255)', nullable: false, default: null, autoIncrement: false, onUpdate: null, comment: null },
            { name: 'password_hash', type: 'character varying(255)', nullable: false, default: null, autoIncrement: false, onUpdate: null, comment: null },
            { name: 'created_at', type: 'timestamp with time zone', nullable: true, default: 'now()', autoIncrement: false, onUpdate: null, comment: null },
            { name: 'updated_at', type: 'timestamp with time zone', nullable: true, default: 'now()', autoIncrement: false, onUpdate: null, comment: null },
          ],
          primaryKey: { name: 'users_pkey', columns: ['id'] },
          uniques: [
            { name: 'users_username_key', columns: ['username'] },
            { name: 'users_email_key', columns: ['email'] },
          ],
          foreignKeys: [],
          indexes: [],
        },
      ],
      enums: [],
      triggers: [],
    };
    const expected = tableOf(normal(resolveSchema(agents, postgresRules)), 'users');
    expect(withoutConstraintNames(normal(catalog).tables[0]!)).toEqual(withoutConstraintNames(expected));
  });

  it('chat on PostgreSQL: enum defaults with their casts, smallint, comments', () => {
    const expected = tableOf(normal(resolveSchema(chat, postgresRules)), 'messages');
    const catalogColumns = expected.columns.map((c) => ({
      ...c,
      type: c.type === 'timestamptz' ? 'timestamp with time zone' : c.type,
      default:
        c.default === "'text'" ? "'text'::messages_content_type" : c.default === 'CURRENT_TIMESTAMP' ? 'now()' : c.default,
    }));
    const actual: DbSchema = {
      dialect: 'postgres',
      tables: [{ ...expected, columns: catalogColumns, indexes: [...expected.indexes].reverse() }],
      enums: [],
      triggers: [],
    };
    expect(normal(actual).tables[0]).toEqual(expected);
  });
});

describe('MySQL and MariaDB spellings', () => {
  it.each([
    ['bigint(20)', 'bigint'],
    ['bigint', 'bigint'],
    ['int(11)', 'int'],
    ['INT(11) UNSIGNED', 'int unsigned'],
    ['int(10) unsigned zerofill', 'int(10) unsigned zerofill'],
    ['smallint(6)', 'smallint'],
    ['tinyint(4)', 'tinyint'],
    ['tinyint', 'tinyint'],
    ['tinyint(1)', 'tinyint(1)'],
    ['boolean', 'tinyint(1)'],
    ['integer', 'int'],
    ['varchar(50)', 'varchar(50)'],
    ['VARCHAR(50)', 'varchar(50)'],
    ['decimal(10, 2)', 'decimal(10,2)'],
    ['longtext', 'longtext'],
    ['json', 'json'],
    ["enum('user','assistant','system')", "enum('user','assistant','system')"],
    ["ENUM('user', 'assistant', 'system')", "enum('user','assistant','system')"],
    ["enum('a''b','c\\\\d')", "enum('a''b','c\\\\d')"],
    ["enum('a\\'b')", "enum('a''b')"],
    ["enum('A','b')", "enum('A','b')"],
  ])('type %j -> %j', (input, expected) => {
    expect(normalizeMysqlType(input)).toBe(expected);
  });

  it.each([
    ['CURRENT_TIMESTAMP', 'timestamp', 'CURRENT_TIMESTAMP'],
    ['current_timestamp()', 'timestamp', 'CURRENT_TIMESTAMP'],
    ['current_timestamp(0)', 'timestamp', 'CURRENT_TIMESTAMP'],
    ['now()', 'timestamp', 'CURRENT_TIMESTAMP'],
    ['localtimestamp', 'timestamp', 'CURRENT_TIMESTAMP'],
    ['current_timestamp(3)', 'timestamp(3)', 'CURRENT_TIMESTAMP(3)'],
    ["'running'", 'varchar(20)', "'running'"],
    ["'it''s'", 'varchar(20)', "'it''s'"],
    ["'it\\'s'", 'varchar(20)', "'it''s'"],
    ["'NULL'", 'varchar(20)', "'NULL'"],
    ['NULL', 'varchar(20)', null],
    ['NULL', 'bigint', null],
    [null, 'bigint', null],
    ['1', 'tinyint', '1'],
    ["'1'", 'tinyint', '1'],
    ["'1'", 'varchar(5)', "'1'"],
    ['-1.50', 'decimal(10,2)', '-1.5'],
    ['uuid()', 'varchar(36)', 'uuid()'],
  ])('default %j on %s -> %j', (input, type, expected) => {
    expect(normalizeMysqlDefault(input, type)).toBe(expected);
  });

  it('on update: both flavors to CURRENT_TIMESTAMP', () => {
    expect(normalizeMysqlOnUpdate('current_timestamp()')).toBe('CURRENT_TIMESTAMP');
    expect(normalizeMysqlOnUpdate('CURRENT_TIMESTAMP')).toBe('CURRENT_TIMESTAMP');
    expect(normalizeMysqlOnUpdate('current_timestamp(6)')).toBe('CURRENT_TIMESTAMP(6)');
    expect(normalizeMysqlOnUpdate(null)).toBeNull();
  });

  it('RESTRICT is NO ACTION (InnoDB checks immediately either way)', () => {
    expect(normalizeMysqlFkAction('RESTRICT')).toBe('NO ACTION');
    expect(normalizeMysqlFkAction('NO ACTION')).toBe('NO ACTION');
    expect(normalizeMysqlFkAction('CASCADE')).toBe('CASCADE');
    expect(normalizeMysqlFkAction('SET NULL')).toBe('SET NULL');
  });
});

describe('normalize', () => {
  const variants = [
    ['agents', agents, 'postgres', postgresRules],
    ['agents', agents, 'mysql', mysqlRules],
    ['chat', chat, 'postgres', postgresRules],
    ['chat', chat, 'mysql', mysqlRules],
  ] as const;

  it.each(variants)('%s on %s: the expected variant is already in canonical spelling', (_n, def, _d, rules) => {
    const expected = resolveSchema(def, rules);
    const normalForm = normal(expected);
    for (const table of expected.tables) {
      expect(tableOf(normalForm, table.name).columns).toEqual(table.columns);
    }
    expect(normalForm.enums).toEqual([...expected.enums].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it.each(variants)('%s on %s: normalize is idempotent and does not touch its input', (_n, def, _d, rules) => {
    const expected = resolveSchema(def, rules);
    const before = structuredClone(expected);
    const once = normal(expected);
    expect(normal(once)).toEqual(once);
    expect(expected).toEqual(before);
  });

  it('sorts tables, indexes, uniques, foreign keys, enums and triggers; keeps column and key order', () => {
    const schema: DbSchema = {
      dialect: 'postgres',
      tables: [
        {
          name: 'b',
          comment: '',
          columns: [
            { name: 'z', type: 'text', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: '' },
            { name: 'a', type: 'text', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: null },
          ],
          primaryKey: null,
          uniques: [
            { name: 'u2', columns: ['z', 'a'] },
            { name: 'u1', columns: ['a'] },
          ],
          foreignKeys: [
            { name: 'f2', columns: ['z'], refTable: 'a', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
            { name: 'f1', columns: ['a'], refTable: 'a', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' },
          ],
          indexes: [
            { name: 'ix_b', columns: ['z', 'a'], unique: false, method: 'BTREE', where: null, valid: true },
            { name: 'ix_a', columns: ['a'], unique: false, method: 'btree', where: null, implicit: false, valid: false },
          ],
        },
        { name: 'a', comment: 'A', columns: [], primaryKey: null, uniques: [], foreignKeys: [], indexes: [] },
      ],
      enums: [
        { name: 'e2', labels: ['y', 'x'] },
        { name: 'e1', labels: ['b', 'a'] },
      ],
      triggers: [
        { name: 't2', table: 'b', timing: 'before  update', function: 'f' },
        { name: 't1', table: 'b', timing: 'BEFORE UPDATE', function: 'f' },
      ],
    };
    const n = normal(schema);
    expect(n.tables.map((t) => t.name)).toEqual(['a', 'b']);
    const b = n.tables[1]!;
    expect(b.comment).toBeNull();
    expect(b.columns.map((c) => [c.name, c.comment])).toEqual([
      ['z', null],
      ['a', null],
    ]);
    expect(b.uniques).toEqual([
      { name: 'u1', columns: ['a'] },
      { name: 'u2', columns: ['z', 'a'] },
    ]);
    expect(b.foreignKeys.map((f) => f.name)).toEqual(['f1', 'f2']);
    expect(b.indexes).toEqual([
      { name: 'ix_a', columns: ['a'], unique: false, method: 'btree', where: null, valid: false },
      { name: 'ix_b', columns: ['z', 'a'], unique: false, method: 'btree', where: null },
    ]);
    expect(n.enums).toEqual([
      { name: 'e1', labels: ['b', 'a'] },
      { name: 'e2', labels: ['y', 'x'] },
    ]);
    expect(n.triggers.map((t) => [t.name, t.timing])).toEqual([
      ['t1', 'BEFORE UPDATE'],
      ['t2', 'BEFORE UPDATE'],
    ]);
  });

  it('an auto-increment column has no default; a nullable column defaulting to NULL has none either', () => {
    const schema: DbSchema = {
      dialect: 'mysql',
      tables: [
        {
          name: 't',
          comment: null,
          columns: [
            { name: 'id', type: 'bigint(20)', nullable: false, default: 'NULL', autoIncrement: true, onUpdate: null, comment: null },
            { name: 'x', type: 'varchar(5)', nullable: true, default: 'NULL', autoIncrement: false, onUpdate: null, comment: null },
          ],
          primaryKey: { name: 'PRIMARY', columns: ['id'] },
          uniques: [],
          foreignKeys: [],
          indexes: [],
        },
      ],
      enums: [],
      triggers: [],
    };
    expect(normal(schema).tables[0]!.columns.map((c) => c.default)).toEqual([null, null]);
  });
});

describe('what only a live database has', () => {
  const base = (): DbSchema => structuredClone(resolveSchema(agents, postgresRules));

  it('a definition has none of it: its normal form carries no collation, charset, checks or views', () => {
    const n = normal(base());
    expect(JSON.stringify(n)).not.toMatch(/"(collation|charset|checks|views)"/);
  });

  it('CHECKs by name without `CHECK` and outer parentheses; empty lists dropped', () => {
    const s = base();
    const users = tableOf(s, 'users');
    users.checks = [
      { name: 'b_positive', expression: 'CHECK ((n > 0))' },
      { name: 'a_named', expression: " (email <> '') " },
    ];
    tableOf(s, 'sessions').checks = [];
    const n = normal(s);
    expect(tableOf(n, 'users').checks).toEqual([
      { name: 'a_named', expression: "email <> ''" },
      { name: 'b_positive', expression: 'n > 0' },
    ]);
    expect(tableOf(n, 'sessions')).not.toHaveProperty('checks');
  });

  it('collation kept, charset lower case, view uses once each and sorted', () => {
    const s = base();
    const username = tableOf(s, 'users').columns.find((c) => c.name === 'username')!;
    username.collation = 'C';
    username.charset = 'LATIN1';
    s.views = [
      { view: 'v2', table: 'users', column: 'email' },
      { view: 'v1', table: 'users', column: 'username' },
      { view: 'v2', table: 'users', column: 'email' },
    ];
    const n = normal(s);
    expect(tableOf(n, 'users').columns.find((c) => c.name === 'username')).toMatchObject({ collation: 'C', charset: 'latin1' });
    expect(n.views).toEqual([
      { view: 'v1', table: 'users', column: 'username' },
      { view: 'v2', table: 'users', column: 'email' },
    ]);
  });
});
