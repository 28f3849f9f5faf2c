/**
 * catalogToSchema from information_schema rows as MySQL 8 and MariaDB 10.11
 * document them (MySQL 8: bare literal defaults, DEFAULT_GENERATED, no
 * integer display widths, native JSON, NO ACTION; MariaDB: quoted literals,
 * current_timestamp(), `NULL` for DEFAULT NULL, bigint(20), JSON as LONGTEXT
 * + CHECK (json_valid(...)), RESTRICT). Both must normalize to the same model,
 * and that model must be the expected variant.
 */
import { describe, expect, it } from 'vitest';
import {
  catalogToSchema,
  type CheckRow,
  type ColumnRow,
  type ForeignKeyRow,
  type MysqlCatalog,
  type MysqlFlavor,
  type StatisticsRow,
} from '../../dialects/mysql/introspect.js';
import { diffColumns } from '../../src/diff/columns.js';
import { diffTableCharset, followsTable } from '../../src/diff/table-charset.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import type { Table } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { tableOf, withoutConstraintNames } from '../support/variants.js';

const expectedMysql = (def: typeof chat, table: string): Table => tableOf(normal(resolveSchema(def, mysqlRules)), table);

type Col = [name: string, columnDefault: string | null, nullable: 'YES' | 'NO', dataType: string, columnType: string, extra: string, comment: string];

const columns = (table: string, cols: Col[]): ColumnRow[] =>
  cols.map(([name, def, nullable, dataType, columnType, extra, comment], i) => ({
    TABLE_NAME: table,
    COLUMN_NAME: name,
    ORDINAL_POSITION: i + 1,
    COLUMN_DEFAULT: def,
    IS_NULLABLE: nullable,
    DATA_TYPE: dataType,
    COLUMN_TYPE: columnType,
    EXTRA: extra,
    COLUMN_COMMENT: comment,
  }));

/** One STATISTICS row per key part: [index, column, non-unique]. */
const statistics = (table: string, flavor: MysqlFlavor, parts: [string, string, 0 | 1][]): StatisticsRow[] => {
  const seq = new Map<string, number>();
  return parts.map(([index, column, nonUnique]) => {
    seq.set(index, (seq.get(index) ?? 0) + 1);
    return {
      TABLE_NAME: table,
      INDEX_NAME: index,
      SEQ_IN_INDEX: seq.get(index)!,
      COLUMN_NAME: column,
      NON_UNIQUE: nonUnique,
      INDEX_TYPE: 'BTREE',
      SUB_PART: null,
      ...(flavor === 'mysql' ? { EXPRESSION: null } : {}),
    };
  });
};

const fk = (table: string, name: string, column: string, ref: string, update: string, del: string): ForeignKeyRow => ({
  TABLE_NAME: table,
  CONSTRAINT_NAME: name,
  COLUMN_NAME: column,
  ORDINAL_POSITION: 1,
  REFERENCED_TABLE_NAME: ref,
  REFERENCED_COLUMN_NAME: 'id',
  UPDATE_RULE: update,
  DELETE_RULE: del,
});

// ----------------------------------------------------- chat `users` (document)

const USERS_KEYS = (flavor: MysqlFlavor) =>
  statistics('users', flavor, [
    ['PRIMARY', 'id', 0],
    ['username', 'username', 0],
    ['email', 'email', 0],
  ]);

/** MySQL 8.0 (8.0.19+): what the document's CREATE TABLE users reads back as. */
const MYSQL8_USERS: MysqlCatalog = {
  tables: [{ TABLE_NAME: 'users', TABLE_COMMENT: 'User information table' }],
  columns: columns('users', [
    ['id', null, 'NO', 'bigint', 'bigint', 'auto_increment', 'User unique identifier'],
    ['username', null, 'NO', 'varchar', 'varchar(50)', '', 'Username'],
    ['email', null, 'NO', 'varchar', 'varchar(100)', '', 'Email address'],
    ['password_hash', null, 'NO', 'varchar', 'varchar(255)', '', 'Password hash value'],
    ['nickname', null, 'YES', 'varchar', 'varchar(100)', '', 'User nickname'],
    ['avatar_url', null, 'YES', 'varchar', 'varchar(500)', '', 'Avatar URL'],
    ['phone', null, 'YES', 'varchar', 'varchar(20)', '', 'Phone number'],
    ['status', '1', 'YES', 'tinyint', 'tinyint', '', 'User status: 1-active, 0-disabled'],
    ['created_at', 'CURRENT_TIMESTAMP', 'YES', 'timestamp', 'timestamp', 'DEFAULT_GENERATED', 'Creation time'],
    [
      'updated_at',
      'CURRENT_TIMESTAMP',
      'YES',
      'timestamp',
      'timestamp',
      'DEFAULT_GENERATED on update CURRENT_TIMESTAMP',
      'Update time',
    ],
    ['last_login_at', null, 'YES', 'timestamp', 'timestamp', '', 'Last login time'],
  ]),
  statistics: USERS_KEYS('mysql'),
  foreignKeys: [],
  checks: [],
};

/** MariaDB 10.11: the same table (as read from a real server). */
const MARIADB_USERS: MysqlCatalog = {
  tables: [{ TABLE_NAME: 'users', TABLE_COMMENT: 'User information table' }],
  columns: columns('users', [
    ['id', null, 'NO', 'bigint', 'bigint(20)', 'auto_increment', 'User unique identifier'],
    ['username', null, 'NO', 'varchar', 'varchar(50)', '', 'Username'],
    ['email', null, 'NO', 'varchar', 'varchar(100)', '', 'Email address'],
    ['password_hash', null, 'NO', 'varchar', 'varchar(255)', '', 'Password hash value'],
    ['nickname', 'NULL', 'YES', 'varchar', 'varchar(100)', '', 'User nickname'],
    ['avatar_url', 'NULL', 'YES', 'varchar', 'varchar(500)', '', 'Avatar URL'],
    ['phone', 'NULL', 'YES', 'varchar', 'varchar(20)', '', 'Phone number'],
    ['status', '1', 'YES', 'tinyint', 'tinyint(4)', '', 'User status: 1-active, 0-disabled'],
    ['created_at', 'current_timestamp()', 'YES', 'timestamp', 'timestamp', '', 'Creation time'],
    ['updated_at', 'current_timestamp()', 'YES', 'timestamp', 'timestamp', 'on update current_timestamp()', 'Update time'],
    ['last_login_at', 'NULL', 'YES', 'timestamp', 'timestamp', '', 'Last login time'],
  ]),
  statistics: USERS_KEYS('mariadb'),
  foreignKeys: [],
  checks: [],
};

describe('chat users: MySQL 8 and MariaDB catalogs', () => {
  const mysql8 = catalogToSchema(MYSQL8_USERS, 'mysql');
  const mariadb = catalogToSchema(MARIADB_USERS, 'mariadb');

  it('read what each server says, in its own spelling', () => {
    const m = tableOf(mysql8, 'users');
    const d = tableOf(mariadb, 'users');
    expect(m.columns.find((c) => c.name === 'updated_at')).toMatchObject({ default: 'CURRENT_TIMESTAMP', onUpdate: 'CURRENT_TIMESTAMP' });
    expect(d.columns.find((c) => c.name === 'updated_at')).toMatchObject({ default: 'current_timestamp()', onUpdate: 'current_timestamp()' });
    expect(d.columns.find((c) => c.name === 'status')).toMatchObject({ type: 'tinyint(4)', default: '1' });
    expect(m.columns[0]).toEqual({
      name: 'id',
      type: 'bigint',
      nullable: false,
      default: null,
      autoIncrement: true,
      onUpdate: null,
      comment: 'User unique identifier',
    });
    expect(m.primaryKey).toEqual({ name: 'PRIMARY', columns: ['id'] });
    expect(m.uniques).toEqual([
      { name: 'email', columns: ['email'] },
      { name: 'username', columns: ['username'] },
    ]);
    expect(m.indexes).toEqual([]);
  });

  it('normalize to the same model', () => {
    expect(normal(mariadb)).toEqual(normal(mysql8));
  });

  it('which is the expected variant, constraint names aside', () => {
    const expected = expectedMysql(chat, 'users');
    expect(withoutConstraintNames(tableOf(normal(mysql8), 'users'))).toEqual(withoutConstraintNames(expected));
    expect(withoutConstraintNames(tableOf(normal(mariadb), 'users'))).toEqual(withoutConstraintNames(expected));
  });
});

// --------------------------------- agents `runs` on MySQL (varchar default, JSON)

const RUNS_KEYS = (flavor: MysqlFlavor) =>
  statistics('runs', flavor, [
    ['PRIMARY', 'id', 0],
    ['idx_runs_session_id', 'session_id', 1],
    ['idx_runs_user_id', 'user_id', 1],
    ['idx_runs_status', 'status', 1],
    ['idx_runs_created_at', 'created_at', 1],
  ]);

const MYSQL8_RUNS: MysqlCatalog = {
  tables: [{ TABLE_NAME: 'runs', TABLE_COMMENT: '' }],
  columns: columns('runs', [
    ['id', null, 'NO', 'bigint', 'bigint', 'auto_increment', ''],
    ['session_id', null, 'NO', 'bigint', 'bigint', '', ''],
    ['user_id', null, 'NO', 'bigint', 'bigint', '', ''],
    ['task', null, 'NO', 'text', 'text', '', ''],
    ['status', 'running', 'NO', 'varchar', 'varchar(20)', '', ''],
    ['config', null, 'YES', 'json', 'json', '', ''],
    ['result', null, 'YES', 'json', 'json', '', ''],
    ['usage_statistics', null, 'YES', 'json', 'json', '', ''],
    ['created_at', 'CURRENT_TIMESTAMP', 'YES', 'timestamp', 'timestamp', 'DEFAULT_GENERATED', ''],
    ['updated_at', 'CURRENT_TIMESTAMP', 'YES', 'timestamp', 'timestamp', 'DEFAULT_GENERATED', ''],
    ['completed_at', null, 'YES', 'timestamp', 'timestamp', '', ''],
  ]),
  statistics: RUNS_KEYS('mysql'),
  foreignKeys: [
    fk('runs', 'runs_ibfk_1', 'session_id', 'sessions', 'NO ACTION', 'CASCADE'),
    fk('runs', 'runs_ibfk_2', 'user_id', 'users', 'NO ACTION', 'CASCADE'),
  ],
  checks: [],
};

const jsonCheck = (table: string, column: string): CheckRow => ({
  TABLE_NAME: table,
  CONSTRAINT_NAME: column,
  CHECK_CLAUSE: `json_valid(\`${column}\`)`,
});

const MARIADB_RUNS: MysqlCatalog = {
  tables: [{ TABLE_NAME: 'runs', TABLE_COMMENT: '' }],
  columns: columns('runs', [
    ['id', null, 'NO', 'bigint', 'bigint(20)', 'auto_increment', ''],
    ['session_id', null, 'NO', 'bigint', 'bigint(20)', '', ''],
    ['user_id', null, 'NO', 'bigint', 'bigint(20)', '', ''],
    ['task', null, 'NO', 'text', 'text', '', ''],
    ['status', "'running'", 'NO', 'varchar', 'varchar(20)', '', ''],
    ['config', 'NULL', 'YES', 'longtext', 'longtext', '', ''],
    ['result', 'NULL', 'YES', 'longtext', 'longtext', '', ''],
    ['usage_statistics', 'NULL', 'YES', 'longtext', 'longtext', '', ''],
    ['created_at', 'current_timestamp()', 'YES', 'timestamp', 'timestamp', '', ''],
    ['updated_at', 'current_timestamp()', 'YES', 'timestamp', 'timestamp', '', ''],
    ['completed_at', 'NULL', 'YES', 'timestamp', 'timestamp', '', ''],
  ]),
  statistics: RUNS_KEYS('mariadb'),
  foreignKeys: [
    fk('runs', 'runs_ibfk_1', 'session_id', 'sessions', 'RESTRICT', 'CASCADE'),
    fk('runs', 'runs_ibfk_2', 'user_id', 'users', 'RESTRICT', 'CASCADE'),
  ],
  checks: [jsonCheck('runs', 'config'), jsonCheck('runs', 'result'), jsonCheck('runs', 'usage_statistics')],
};

describe('agents runs on MySQL: literal defaults, JSON, foreign-key rules', () => {
  const mysql8 = catalogToSchema(MYSQL8_RUNS, 'mysql');
  const mariadb = catalogToSchema(MARIADB_RUNS, 'mariadb');

  it("MySQL 8's bare literal default is quoted; MariaDB's already is", () => {
    expect(tableOf(mysql8, 'runs').columns.find((c) => c.name === 'status')!.default).toBe("'running'");
    expect(tableOf(mariadb, 'runs').columns.find((c) => c.name === 'status')!.default).toBe("'running'");
  });

  it("MariaDB's LONGTEXT + CHECK (json_valid(col)) is JSON", () => {
    const types = tableOf(mariadb, 'runs').columns.map((c) => c.type);
    expect(types.slice(5, 8)).toEqual(['json', 'json', 'json']);
    // Without its check a LONGTEXT is a LONGTEXT.
    const noChecks = catalogToSchema({ ...MARIADB_RUNS, checks: [] }, 'mariadb');
    expect(tableOf(noChecks, 'runs').columns[5]!.type).toBe('longtext');
    // MySQL 8 has a real JSON type; a check there does not change the type.
    const mysqlLongtext = catalogToSchema({ ...MARIADB_RUNS, checks: MARIADB_RUNS.checks }, 'mysql');
    expect(tableOf(mysqlLongtext, 'runs').columns[5]!.type).toBe('longtext');
  });

  it('RESTRICT (MariaDB) and NO ACTION (MySQL 8) normalize alike', () => {
    expect(tableOf(mariadb, 'runs').foreignKeys[0]!.onUpdate).toBe('RESTRICT');
    expect(normal(mariadb)).toEqual(normal(mysql8));
  });

  it('equal the expected variant, constraint names aside', () => {
    const expected = expectedMysql(agents, 'runs');
    expect(withoutConstraintNames(tableOf(normal(mysql8), 'runs'))).toEqual(withoutConstraintNames(expected));
  });
});

// ---------------------------------------------------------------- details

describe('catalogToSchema details', () => {
  const base: MysqlCatalog = { tables: [], columns: [], statistics: [], foreignKeys: [], checks: [] };

  it('the implicit foreign-key index of api_calls is an ordinary index named after its column', () => {
    const catalog: MysqlCatalog = {
      ...base,
      tables: [{ TABLE_NAME: 'api_calls', TABLE_COMMENT: 'API call records table' }],
      statistics: statistics('api_calls', 'mariadb', [
        ['PRIMARY', 'id', 0],
        ['conversation_id', 'conversation_id', 1],
        ['message_id', 'message_id', 1],
      ]),
    };
    const t = tableOf(normal(catalogToSchema(catalog, 'mariadb')), 'api_calls');
    const implicit = expectedMysql(chat, 'api_calls').indexes.filter((i) => i.implicit);
    expect(t.indexes).toEqual(implicit.map(({ implicit: _i, ...i }) => i));
  });

  it('MySQL 8: quotes non-numeric literals, keeps expressions and numbers', () => {
    const catalog: MysqlCatalog = {
      ...base,
      tables: [{ TABLE_NAME: 't', TABLE_COMMENT: '' }],
      columns: columns('t', [
        ['a', "it's", 'YES', 'varchar', 'varchar(10)', '', ''],
        ['b', 'uuid()', 'YES', 'varchar', 'varchar(36)', 'DEFAULT_GENERATED', ''],
        ['c', '-1.50', 'YES', 'decimal', 'decimal(10,2)', '', ''],
        ['d', 'text', 'NO', 'enum', "enum('text','image_url')", '', ''],
        ['e', 'CURRENT_TIMESTAMP', 'YES', 'timestamp', 'timestamp', 'on update CURRENT_TIMESTAMP', ''],
        ['f', 'NULL', 'YES', 'varchar', 'varchar(10)', '', ''],
        ['g', "b'1'", 'YES', 'bit', 'bit(1)', '', ''],
      ]),
    };
    const cols = tableOf(catalogToSchema(catalog, 'mysql'), 't').columns;
    expect(cols.map((c) => c.default)).toEqual(["'it''s'", 'uuid()', '-1.50', "'text'", 'CURRENT_TIMESTAMP', "'NULL'", "b'1'"]);
    expect(cols[4]!.onUpdate).toBe('CURRENT_TIMESTAMP');
    expect(normal(catalogToSchema(catalog, 'mysql')).tables[0]!.columns.map((c) => c.default)).toEqual([
      "'it''s'",
      'uuid()',
      '-1.5',
      "'text'",
      'CURRENT_TIMESTAMP',
      "'NULL'",
      "b'1'",
    ]);
  });

  it('skips dbkit_ tables; empty comments are null; orders by name and position', () => {
    const catalog: MysqlCatalog = {
      ...base,
      tables: [
        { TABLE_NAME: 'zeta', TABLE_COMMENT: '' },
        { TABLE_NAME: 'dbkit_migrations', TABLE_COMMENT: '' },
        { TABLE_NAME: 'alpha', TABLE_COMMENT: 'A' },
      ],
      columns: [
        ...columns('dbkit_migrations', [['name', null, 'NO', 'varchar', 'varchar(255)', '', '']]),
        ...columns('zeta', [
          ['x', null, 'YES', 'int', 'int', '', ''],
          ['y', null, 'YES', 'int', 'int', '', 'Y'],
        ]).reverse(),
      ],
    };
    const s = catalogToSchema(catalog, 'mysql');
    expect(s.tables.map((t) => [t.name, t.comment])).toEqual([
      ['alpha', 'A'],
      ['zeta', null],
    ]);
    expect(tableOf(s, 'zeta').columns.map((c) => [c.name, c.comment])).toEqual([
      ['x', null],
      ['y', 'Y'],
    ]);
  });

  it('multi-column keys in key order, prefix and functional key parts, index methods', () => {
    const catalog: MysqlCatalog = {
      ...base,
      tables: [{ TABLE_NAME: 't', TABLE_COMMENT: '' }],
      statistics: [
        { TABLE_NAME: 't', INDEX_NAME: 'ix', SEQ_IN_INDEX: 2, COLUMN_NAME: 'b', NON_UNIQUE: 1, INDEX_TYPE: 'BTREE', SUB_PART: 10, EXPRESSION: null },
        { TABLE_NAME: 't', INDEX_NAME: 'ix', SEQ_IN_INDEX: 1, COLUMN_NAME: 'a', NON_UNIQUE: 1, INDEX_TYPE: 'BTREE', SUB_PART: null, EXPRESSION: null },
        { TABLE_NAME: 't', INDEX_NAME: 'fx', SEQ_IN_INDEX: 1, COLUMN_NAME: null, NON_UNIQUE: 1, INDEX_TYPE: 'BTREE', SUB_PART: null, EXPRESSION: 'lower(`email`)' },
        { TABLE_NAME: 't', INDEX_NAME: 'ft', SEQ_IN_INDEX: 1, COLUMN_NAME: 'body', NON_UNIQUE: 1, INDEX_TYPE: 'FULLTEXT', SUB_PART: null, EXPRESSION: null },
        { TABLE_NAME: 't', INDEX_NAME: 'uq', SEQ_IN_INDEX: 2, COLUMN_NAME: 'k', NON_UNIQUE: '0', INDEX_TYPE: 'BTREE', SUB_PART: null, EXPRESSION: null },
        { TABLE_NAME: 't', INDEX_NAME: 'uq', SEQ_IN_INDEX: 1, COLUMN_NAME: 'u', NON_UNIQUE: '0', INDEX_TYPE: 'BTREE', SUB_PART: null, EXPRESSION: null },
      ],
      foreignKeys: [
        { ...fk('t', 'fk2', 'p2', 'parent', 'CASCADE', 'SET NULL'), ORDINAL_POSITION: 2, REFERENCED_COLUMN_NAME: 'b' },
        { ...fk('t', 'fk2', 'p1', 'parent', 'CASCADE', 'SET NULL'), ORDINAL_POSITION: 1, REFERENCED_COLUMN_NAME: 'a' },
      ],
    };
    const t = tableOf(catalogToSchema(catalog, 'mysql'), 't');
    expect(t.indexes).toEqual([
      { name: 'ft', columns: ['body'], unique: false, method: 'fulltext', where: null },
      { name: 'fx', columns: ['(lower(`email`))'], unique: false, method: 'btree', where: null },
      { name: 'ix', columns: ['a', 'b(10)'], unique: false, method: 'btree', where: null },
    ]);
    expect(t.uniques).toEqual([{ name: 'uq', columns: ['u', 'k'] }]);
    expect(t.foreignKeys).toEqual([
      { name: 'fk2', columns: ['p1', 'p2'], refTable: 'parent', refColumns: ['a', 'b'], onDelete: 'SET NULL', onUpdate: 'CASCADE' },
    ]);
  });

  it('values mysql2 hands back as Buffers are read as text', () => {
    const catalog: MysqlCatalog = {
      ...base,
      tables: [{ TABLE_NAME: Buffer.from('t'), TABLE_COMMENT: Buffer.from('') }],
      columns: columns('t', [['a', null, 'YES', 'int', 'int', '', '']]).map((c) => ({ ...c, COLUMN_TYPE: Buffer.from('int') })),
    };
    expect(catalogToSchema(catalog, 'mysql').tables[0]).toMatchObject({ name: 't', comment: null, columns: [{ name: 'a', type: 'int' }] });
  });
});

describe('what a DBA adds, as each server documents it', () => {
  const empty: MysqlCatalog = { tables: [], columns: [], statistics: [], foreignKeys: [], checks: [] };
  const withCharsets = (flavor: MysqlFlavor, tableCollation: string) => ({
    ...empty,
    tables: [{ TABLE_NAME: 't', TABLE_COMMENT: '', TABLE_COLLATION: tableCollation }],
    columns: [
      ...columns('t', [
        ['title', null, 'YES', 'varchar', 'varchar(50)', '', ''],
        ['code', null, 'YES', 'varchar', 'varchar(10)', '', ''],
        ['latin', null, 'YES', 'varchar', 'varchar(10)', '', ''],
        ['n', null, 'YES', 'int', 'int', '', ''],
        ['doc', null, 'YES', flavor === 'mysql' ? 'json' : 'longtext', flavor === 'mysql' ? 'json' : 'longtext', '', ''],
      ]),
    ].map((row) => {
      const name = String(row.COLUMN_NAME);
      const collation = name === 'code' ? 'utf8mb4_bin' : name === 'latin' ? 'latin1_swedish_ci' : name === 'n' ? null : name === 'doc' ? (flavor === 'mysql' ? null : 'utf8mb4_bin') : tableCollation;
      return { ...row, CHARACTER_SET_NAME: collation && collation.split('_')[0]!, COLLATION_NAME: collation };
    }),
  });

  it.each([
    ['mysql', 'utf8mb4_0900_ai_ci'],
    ['mariadb', 'utf8mb4_general_ci'],
  ] as const)('%s: a character set or collation other than the table default, JSON aside', (flavor, tableCollation) => {
    const catalog: MysqlCatalog = {
      ...withCharsets(flavor, tableCollation),
      checks: flavor === 'mariadb' ? [{ TABLE_NAME: 't', CONSTRAINT_NAME: 'doc', CHECK_CLAUSE: 'json_valid(`doc`)' }] : [],
    };
    const cols = tableOf(normal(catalogToSchema(catalog, flavor)), 't').columns;
    expect(cols.map((c) => [c.name, c.type, c.charset ?? null, c.collation ?? null])).toEqual([
      ['title', 'varchar(50)', null, null],
      ['code', 'varchar(10)', null, 'utf8mb4_bin'],
      ['latin', 'varchar(10)', 'latin1', null],
      ['n', 'int', null, null],
      ['doc', 'json', null, null],
    ]);
    expect(tableOf(catalogToSchema(catalog, flavor), 't').checks).toBeUndefined();
  });

  it('a table in another character set as a whole is not drift of its columns: they follow the table (its form), and only the table is a change', () => {
    const catalog = withCharsets('mariadb', 'latin1_swedish_ci');
    catalog.columns = catalog.columns.map((c) => (String(c.COLUMN_NAME) === 'title' ? { ...c, CHARACTER_SET_NAME: 'latin1', COLLATION_NAME: 'latin1_swedish_ci' } : c));
    const t = tableOf(catalogToSchema(catalog, 'mariadb'), 't');
    expect([t.charset, t.columns[0]!.name, t.columns[0]!.charset]).toEqual(['latin1', 'title', 'latin1']);
    expect(followsTable(t, t.columns[0]!)).toBe(true);
    const expectedT = { ...t, charset: undefined, columns: t.columns.map((c) => ({ ...c, charset: undefined, collation: undefined })) };
    expect(diffTableCharset(t, expectedT).map((c) => c.kind)).toEqual(['table_charset']);
    expect(diffColumns(t, expectedT).filter((c) => c.name === 'title')).toEqual([]);
  });

  it.each([
    ['mariadb', 'utf8mb4_general_ci'],
    ['mysql', 'utf8mb4_0900_ai_ci'],
  ] as const)('%s: a table whose default alone drifted: its columns are compared with what the definition expects (utf8mb4, the server default collation %s), not with the table', (flavor, utf8mb4) => {
    const catalog = withCharsets(flavor, utf8mb4);
    const t = tableOf(
      catalogToSchema(
        {
          ...catalog,
          tables: [{ TABLE_NAME: 't', TABLE_COMMENT: '', TABLE_COLLATION: 'latin1_swedish_ci', TABLE_CHARSET: 'latin1', COLLATION_IS_DEFAULT: 'Yes', SCHEMA_COLLATION: utf8mb4, UTF8MB4_COLLATION: utf8mb4 }],
        },
        flavor,
      ),
      't',
    );
    expect(t.charset).toBe('latin1');
    // title: the server's utf8mb4 default (as expected); code: utf8mb4_bin; latin: latin1_swedish_ci, the table's own (it follows the table).
    expect(t.columns.map((c) => [c.name, c.charset ?? null, c.collation ?? null])).toEqual([
      ['title', null, null],
      ['code', null, 'utf8mb4_bin'],
      ['latin', 'latin1', null],
      ['n', null, null],
      // MariaDB: a LONGTEXT here (no json_valid CHECK in these rows); MySQL 8: JSON, no collation.
      ['doc', null, flavor === 'mariadb' ? 'utf8mb4_bin' : null],
    ]);
  });

  it('MySQL 8: CHECKs with their table from TABLE_CONSTRAINTS, a json_valid CHECK of a native JSON column is a real one', () => {
    const catalog: MysqlCatalog = {
      ...withCharsets('mysql', 'utf8mb4_0900_ai_ci'),
      checks: [
        { TABLE_NAME: 't', CONSTRAINT_NAME: 't_chk_1', CHECK_CLAUSE: "(`title` <> _utf8mb4\\'\\')" },
        { TABLE_NAME: 't', CONSTRAINT_NAME: 'doc_valid', CHECK_CLAUSE: 'json_valid(`doc`)' },
      ],
    };
    expect(tableOf(normal(catalogToSchema(catalog, 'mysql')), 't').checks).toEqual([
      { name: 'doc_valid', expression: 'json_valid(`doc`)' },
      { name: 't_chk_1', expression: "`title` <> _utf8mb4\\'\\'" },
    ]);
  });

  it('triggers: timing and event, no function', () => {
    const catalog: MysqlCatalog = {
      ...withCharsets('mysql', 'utf8mb4_0900_ai_ci'),
      triggers: [
        { TRIGGER_NAME: 't_touch', EVENT_OBJECT_TABLE: 't', ACTION_TIMING: 'BEFORE', EVENT_MANIPULATION: 'UPDATE' },
        { TRIGGER_NAME: 'elsewhere', EVENT_OBJECT_TABLE: 'dbkit_migrations', ACTION_TIMING: 'AFTER', EVENT_MANIPULATION: 'INSERT' },
      ],
    };
    expect(catalogToSchema(catalog, 'mysql').triggers).toEqual([{ name: 't_touch', table: 't', timing: 'BEFORE UPDATE', function: '' }]);
  });

  it('views: MySQL 8 VIEW_TABLE_USAGE names tables (of any schema); MariaDB definitions name columns', () => {
    const mysql8: MysqlCatalog = {
      ...withCharsets('mysql', 'utf8mb4_0900_ai_ci'),
      views: [
        { VIEW_SCHEMA: 'app', VIEW_NAME: 'v_titles', TABLE_NAME: 't' },
        { VIEW_SCHEMA: 'reports', VIEW_NAME: 'v_all', TABLE_NAME: 't' },
        { VIEW_SCHEMA: 'app', VIEW_NAME: 'v_gone', TABLE_NAME: 'dropped' },
      ],
    };
    expect(catalogToSchema(mysql8, 'mysql', 'app').views).toEqual([
      { view: 'v_titles', table: 't', column: null },
      { view: 'reports.v_all', table: 't', column: null },
    ]);
    const mariadb: MysqlCatalog = {
      ...withCharsets('mariadb', 'utf8mb4_general_ci'),
      views: [
        { VIEW_SCHEMA: 'app', VIEW_NAME: 'v_titles', VIEW_DEFINITION: 'select `app`.`t`.`title` AS `title`,`app`.`t`.`n` AS `n` from `app`.`t`' },
        { VIEW_SCHEMA: 'app', VIEW_NAME: 'v_count', VIEW_DEFINITION: 'select count(0) AS `c` from `app`.`t`' },
      ],
    };
    expect(catalogToSchema(mariadb, 'mariadb', 'app').views).toEqual([
      { view: 'v_titles', table: 't', column: 'title' },
      { view: 'v_titles', table: 't', column: 'n' },
      { view: 'v_count', table: 't', column: null },
    ]);
  });
});
