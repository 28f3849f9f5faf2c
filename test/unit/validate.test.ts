/** src/schema/validate.ts: each problem a definition can have, named in one sentence; both real definitions have none. */
import { describe, expect, it } from 'vitest';
import { mysqlIndexKey } from '../../dialects/mysql/index-key.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { postgresRules } from '../../dialects/postgres/types.js';
import { definitionProblems } from '../../src/migrate/author/compose.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import { t as type, type ColumnDef, type SchemaDef, type TableDef } from '../../src/schema/definition.js';
import { validateDefinition } from '../../src/schema/validate.js';

const RULES = [postgresRules, mysqlRules];
const validate = (def: SchemaDef) => validateDefinition(def, RULES);

/** A copy of `base` with `change` applied to table `table`. */
function changed(base: SchemaDef, table: string, change: (t: TableDef) => void): SchemaDef {
  const def = structuredClone(base);
  change(def.tables.find((x) => x.name === table)!);
  return def;
}
const column = (t: TableDef, name: string): ColumnDef => t.columns.find((c) => c.name === name)!;

describe('the real definitions', () => {
  it('agents and chat have no problem, on either variant', () => {
    expect(validate(agents)).toEqual([]);
    expect(validate(chat)).toEqual([]);
    expect(definitionProblems(agents)).toEqual([]);
    expect(definitionProblems(chat)).toEqual([]);
  });
});

describe('each problem, in one sentence', () => {
  it.each<[string, SchemaDef, string[]]>([
    [
      'a foreign key to a table the schema does not define',
      changed(chat, 'messages', (t) => (column(t, 'conversation_id').references = { table: 'conversation', onDelete: 'CASCADE' })),
      ['column messages.conversation_id references table conversation, which the schema does not define'],
    ],
    [
      'a foreign key to a table without an id column',
      changed(changed(chat, 'users', (t) => (column(t, 'id').name = 'user_id')), 'users', () => undefined),
      [
        'column conversations.user_id references users.id, which table users does not have',
        'column messages.user_id references users.id, which table users does not have',
        'column api_calls.user_id references users.id, which table users does not have',
      ],
    ],
    [
      'a foreign key on a column that is not a reference',
      changed(chat, 'messages', (t) => (column(t, 'status').references = { table: 'users', onDelete: 'CASCADE' })),
      ['column messages.status references users but is tinyint, not a reference (t.ref())'],
    ],
    [
      'SET NULL on a NOT NULL column',
      changed(chat, 'messages', (t) => (column(t, 'user_id').references = { table: 'users', onDelete: 'SET NULL' })),
      ['column messages.user_id is NOT NULL but its foreign key is ON DELETE SET NULL'],
    ],
    [
      'a column defined twice (names compared without case, as MySQL does)',
      changed(chat, 'users', (t) => t.columns.push({ name: 'Email', type: type.varchar(10) })),
      ['table users: column Email is defined twice'],
    ],
    [
      'a table defined twice',
      { ...chat, tables: [...chat.tables, structuredClone(chat.tables[0]!)] },
      ['table users is defined twice'],
    ],
    [
      'an index on a column the table does not have',
      changed(chat, 'conversations', (t) => t.indexes!.push({ name: 'idx_owner', columns: ['owner_id'] })),
      ['index idx_owner on table conversations names column owner_id, which the table does not have'],
    ],
    [
      'an index listing a column twice, and one with no columns',
      changed(chat, 'conversations', (t) => t.indexes!.push({ name: 'idx_twice', columns: ['user_id', 'user_id'] }, { name: 'idx_none', columns: [] })),
      ['index idx_twice on table conversations lists column user_id twice', 'index idx_none on table conversations has no columns'],
    ],
    [
      'a unique constraint on a column the table does not have',
      changed(agents, 'settings', (t) => t.uniques!.push(['user_id', 'scope'])),
      ['a unique constraint (user_id, scope) on table settings names column scope, which the table does not have'],
    ],
    [
      'a duplicate index name in one table',
      changed(chat, 'conversations', (t) => t.indexes!.push({ name: 'idx_user_id', columns: ['title'] })),
      ['table conversations: index idx_user_id is defined twice'],
    ],
    [
      'varchar(0), and one longer than a MySQL row holds',
      changed(chat, 'users', (t) => {
        column(t, 'phone').type = type.varchar(0);
        column(t, 'nickname').type = type.varchar(70_000);
      }),
      ['column users.nickname is varchar(70000): the length must be a whole number from 1 to 16383', 'column users.phone is varchar(0): the length must be a whole number from 1 to 16383'],
    ],
    [
      'a type dbkit does not know (esbuild does not type-check the definition)',
      changed(chat, 'users', (t) => (column(t, 'phone').type = { kind: 'varchr', length: 20 } as unknown as ColumnDef['type'])),
      ['column users.phone has an unknown type "varchr" (use the t.* constructors of src/schema/definition.ts)'],
    ],
    [
      'an enum without labels, and one listing a label twice',
      changed(chat, 'messages', (t) => {
        column(t, 'role').type = type.enum();
        column(t, 'content_type').type = type.enum('text', 'image_url', 'text');
        column(t, 'content_type').default = { kind: 'string', value: 'text' };
      }),
      ['column messages.role is an enum without labels', "column messages.content_type: enum label 'text' is listed twice"],
    ],
    [
      'defaults of the wrong type',
      changed(chat, 'messages', (t) => {
        column(t, 'content_type').default = { kind: 'string', value: 'audio' };
        column(t, 'status').default = { kind: 'now' };
        column(t, 'content').default = { kind: 'string', value: '{}' };
      }),
      [
        "column messages.content_type: the default 'audio' is not one of its enum labels",
        'column messages.content: a json_text column cannot have a literal default (MySQL 8 refuses one)',
        'column messages.status: a "now" default needs a timestamp column, not tinyint',
      ],
    ],
    [
      'ON UPDATE on a column that is not a timestamp, and two id columns',
      changed(chat, 'users', (t) => {
        column(t, 'status').onUpdateNow = true;
        column(t, 'last_login_at').type = type.id();
      }),
      ['table users has 2 id columns (id, last_login_at): one is its key', 'column users.status is refreshed on update (onUpdateNow) but is not a timestamp'],
    ],
    [
      'a name longer than PostgreSQL keeps',
      changed(chat, 'users', (t) => t.columns.push({ name: 'x'.repeat(64), type: type.text() })),
      [`a column of users ${'x'.repeat(64)}: the name is 64 bytes long (at most 63: PostgreSQL cuts longer names)`],
    ],
  ])('%s', (_what, def, problems) => {
    expect(validate(def).sort()).toEqual([...problems].sort());
  });
});

describe('names of each variant', () => {
  it('index names repeat per table on MySQL, but collide per schema on PostgreSQL (agents is native there: names as written)', () => {
    // The same index name on two tables of agents: fine on MySQL, a collision on PostgreSQL.
    const def = changed(agents, 'files', (t) => t.indexes!.push({ name: 'idx_runs_session_id', columns: ['run_id'] }));
    expect(validateDefinition(def, [mysqlRules])).toEqual([]);
    expect(validateDefinition(def, [postgresRules])).toEqual([
      'on postgres the name idx_runs_session_id is taken 2 times (an index of table runs, an index of table files): index names are per schema there',
    ]);
  });

  it('chat on PostgreSQL: idx_<table>_<name> per schema, so the same name on two tables is fine; an index named like a table is not', () => {
    expect(validate(chat)).toEqual([]);
    const def = changed(chat, 'messages', (t) => t.indexes!.push({ name: 'idx_api_calls', columns: ['user_id'] }));
    const renamed = changed(def, 'api_calls', () => undefined);
    renamed.tables.push({ name: 'idx_messages_api_calls', columns: [{ name: 'id', type: type.id() }] });
    expect(validateDefinition(renamed, [postgresRules])).toEqual([
      'on postgres the name idx_messages_api_calls is taken 2 times (an index of table messages, table idx_messages_api_calls): index names are per schema there',
    ]);
    expect(validateDefinition(renamed, [mysqlRules])).toEqual([]);
  });

  it('names a variant makes from a table and a column (PostgreSQL enum types, updated_at triggers): too long is refused, naming what to shorten', () => {
    const long = 'c'.repeat(50);
    // messages_<50> (59 bytes) and set_<50>_at (57) fit; trg_messages_<50>_at is 66 bytes; a 55-byte enum column makes a 64-byte type name.
    const def = changed(chat, 'messages', (t) =>
      t.columns.push({ name: long, type: type.enum('a', 'b') }, { name: `${long}_at`, type: type.timestamp(), onUpdateNow: true }, { name: 'e'.repeat(55), type: type.enum('x') }),
    );
    expect(validateDefinition(def, [mysqlRules])).toEqual([]);
    expect(validateDefinition(def, [postgresRules]).sort()).toEqual(
      [
        `enum type messages_${'e'.repeat(55)} on postgres: the name is 64 bytes long (at most 63: shorten the table or column it is named after)`,
        `trigger trg_messages_${long}_at on postgres: the name is 66 bytes long (at most 63: shorten the table or column it is named after)`,
      ].sort(),
    );
  });

  it('a physical index name too long on one variant only', () => {
    const long = 'idx_' + 'a'.repeat(50);
    const def = changed(chat, 'api_calls', (t) => t.indexes!.push({ name: long, columns: ['user_id'] }));
    expect(validateDefinition(def, [mysqlRules])).toEqual([]);
    expect(validateDefinition(def, [postgresRules])).toEqual([
      `index idx_api_calls_${'a'.repeat(50)} of table api_calls on postgres: the name is 64 bytes long (at most 63)`,
    ]);
  });
});

describe('keys MySQL/MariaDB cannot build (InnoDB)', () => {
  it('an index over a TEXT column (agents messages(message_type, sender, content)): refused on mysql, naming the index and the column; fine on postgres', () => {
    const def = changed(agents, 'messages', (t) => t.indexes!.push({ name: 'idx_messages_kind', columns: ['message_type', 'sender', 'content'] }));
    const problem =
      'index idx_messages_kind of table messages on mysql: column content is text, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar';
    expect(validate(def)).toEqual([problem]);
    expect(definitionProblems(def)).toEqual([problem]);
    expect(validateDefinition(def, [postgresRules])).toEqual([]);
  });

  it('a unique constraint over JSON, a unique column of LONGTEXT and an index over a JSON array: each refused', () => {
    const def = changed(chat, 'api_calls', (t) => {
      t.columns.push({ name: 'doc', type: type.json() }, { name: 'body', type: type.longtext(), unique: true }, { name: 'tags', type: type.textArray() });
      (t.uniques ??= []).push(['user_id', 'doc']);
      t.indexes!.push({ name: 'idx_tags', columns: ['tags'], unique: true });
    });
    expect(validate(def)).toEqual([
      'a unique constraint (body) of table api_calls on mysql: column body is longtext, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
      'a unique constraint (user_id, doc) of table api_calls on mysql: column doc is json, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
      'index idx_tags of table api_calls on mysql: column tags is json, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
    ]);
  });

  it('a key longer than 3072 bytes (utf8mb4: 4 bytes per character of a varchar) is refused; 3072 exactly is fine', () => {
    // bigint 8 + varchar(766) 3064 = 3072: MariaDB 10.11 builds it; varchar(767) = 3076 is ER_TOO_LONG_KEY.
    const at = (n: number) =>
      changed(agents, 'messages', (t) => {
        column(t, 'sender').type = type.varchar(n);
        t.indexes!.push({ name: 'idx_messages_run_sender', columns: ['run_id', 'sender'] });
      });
    expect(validate(at(766))).toEqual([]);
    expect(validate(at(767))).toEqual([
      "index idx_messages_run_sender of table messages on mysql: the key is 3076 bytes long (run_id bigint: 8, sender varchar(767): 3068), at most 3072 (InnoDB's limit; utf8mb4 takes 4 bytes per character of a varchar): shorten a varchar or leave a column out",
    ]);
    // A unique column of one long varchar (MariaDB would hash it, MySQL 8 refuses it): refused too.
    const unique = changed(chat, 'users', (t) => (column(t, 'email').type = type.varchar(1000)));
    expect(validate(unique)).toEqual([
      "a unique constraint (email) of table users on mysql: the key is 4000 bytes long (email varchar(1000): 4000), at most 3072 (InnoDB's limit; utf8mb4 takes 4 bytes per character of a varchar): shorten a varchar or leave a column out",
    ]);
  });

  it('what each MySQL column type adds to a key', () => {
    const bytes = (type: string, charset = 'utf8mb4') => mysqlIndexKey.columnBytes(type, charset);
    expect([bytes('bigint'), bytes('int'), bytes('smallint'), bytes('tinyint'), bytes('timestamp')]).toEqual([8, 4, 2, 1, 4]);
    expect([bytes('varchar(100)'), bytes('varchar(100)', 'latin1'), bytes('char(10)', 'utf8mb3')]).toEqual([400, 100, 30]);
    expect(bytes("enum('a','b,c','it''s')")).toBe(1);
    expect(bytes(`enum(${Array.from({ length: 256 }, (_, i) => `'l${i}'`).join(',')})`)).toBe(2);
    expect(['text', 'longtext', 'mediumtext', 'tinytext', 'blob', 'longblob', 'json'].map((t) => bytes(t))).toEqual([null, null, null, null, null, null, null]);
  });
});

describe('names and texts that would not stay in their place in a SQL file', () => {
  it('a control or format character, a line break or a quote in any name (table, column, index, enum label): refused, each named on one line', () => {
    const def = changed(agents, 'sessions', (t) => {
      t.columns.push({ name: 'x\nDROP TABLE gallery;\n--', type: type.text() }, { name: 'a"b', type: type.text() }, { name: 'tab\there', type: type.text() });
      t.columns.push({ name: 'kind', type: type.enum('plain', 'odd\r\nDROP TABLE users;') });
      t.indexes!.push({ name: 'idx_sessions_x\u2028DROP TABLE gallery', columns: ['title'] }, { name: 'idx_sessions_`title`', columns: ['title'] });
    });
    def.tables.push({ name: 'zero\u200bwidth', columns: [{ name: 'id', type: type.id() }] }, { name: ' padded', columns: [{ name: 'id', type: type.id() }] });
    const problems = validate(def);
    expect(problems.sort()).toEqual(
      [
        'a column of sessions "x\\nDROP TABLE gallery;\\n--": a name may not hold a control or format character or a line break (U+000A)',
        'a column of sessions a"b: a name may not hold the quote character " (PostgreSQL quotes names with ", MySQL with `)',
        'a column of sessions "tab\\there": a name may not hold a control or format character or a line break (U+0009)',
        'column sessions.kind: enum label "odd\\r\\nDROP TABLE users;" holds a control or format character or a line break (U+000D)',
        'an index of sessions "idx_sessions_x\\u{2028}DROP TABLE gallery": a name may not hold a control or format character or a line break (U+2028)',
        'an index of sessions idx_sessions_`title`: a name may not hold the quote character ` (PostgreSQL quotes names with ", MySQL with `)',
        'a table "zero\\u{200B}width": a name may not hold a control or format character or a line break (U+200B)',
        'a table " padded": a name may not begin or end with a space',
      ].sort(),
    );
    // One line each: nothing a problem quotes breaks it.
    for (const p of problems) expect(p).not.toMatch(/[\p{C}\p{Zl}\p{Zp}]/u);
  });

  it('comments and string defaults may span lines (\\n), but hold no other control character and no breakpoint line', () => {
    const fine = changed(agents, 'sessions', (t) => {
      column(t, 'title').comment = 'two\n-- lines\nDROP TABLE gallery;';
      column(t, 'title').default = { kind: 'string', value: 'untitled\n\tDROP TABLE gallery;\n--' };
    });
    expect(validate(fine)).toEqual([]);
    const bad = changed(agents, 'sessions', (t) => {
      column(t, 'title').comment = 'a\r\nb';
      column(t, 'title').default = { kind: 'string', value: 'x\n--> statement-breakpoint\nDROP TABLE gallery; --' };
      t.comment = 'nul\u0000';
    });
    expect(validate(bad).sort()).toEqual(
      [
        'the comment of column sessions.title holds a control or format character (U+000D): only line feeds (\\n) and tabs may break it',
        'column sessions.title: the default has a line "--> statement-breakpoint", which would split its statement in the SQL file',
        'the comment of table sessions holds a control or format character (U+0000): only line feeds (\\n) and tabs may break it',
      ].sort(),
    );
  });

  it('names MySQL takes otherwise: a trailing space, a character beyond U+FFFF (PostgreSQL takes both)', () => {
    const def = changed(chat, 'users', (t) => t.columns.push({ name: 'emoji_\u{1F600}', type: type.text() }));
    expect(validateDefinition(def, [postgresRules])).toEqual([]);
    expect(validateDefinition(def, [mysqlRules])).toEqual(['a column of users "emoji_\u{1F600}" on mysql: MySQL allows only characters up to U+FFFF in names (it holds U+1F600)']);
  });
});

describe('every problem in one run', () => {
  it('an index on a missing column does not hide a duplicate index name of the variant (nor a key MySQL cannot build)', () => {
    const def = changed(agents, 'sessions', (t) => {
      t.indexes!.push({ name: 'idx_sessions_nope', columns: ['nope'] }, { name: 'idx_runs_status', columns: ['title'] });
    });
    const withText = changed(def, 'messages', (t) => t.indexes!.push({ name: 'idx_messages_kind', columns: ['message_type', 'sender', 'content'] }));
    expect(validate(withText).sort()).toEqual(
      [
        'index idx_sessions_nope on table sessions names column nope, which the table does not have',
        'on postgres the name idx_runs_status is taken 2 times (an index of table sessions, an index of table runs): index names are per schema there',
        'index idx_messages_kind of table messages on mysql: column content is text, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
      ].sort(),
    );
  });

  it('what the definition says is wrong is said once (a column or an index defined twice is not also a collision of the variant)', () => {
    const def = changed(agents, 'sessions', (t) => {
      t.columns.push({ name: 'title', type: type.text() });
      t.indexes!.push({ name: 'idx_sessions_user_id', columns: ['title'] }, { name: 'x'.repeat(64), columns: ['title'] });
    });
    expect(validate(def).sort()).toEqual(
      [
        'table sessions: column title is defined twice',
        'table sessions: index idx_sessions_user_id is defined twice',
        `an index of sessions ${'x'.repeat(64)}: the name is 64 bytes long (at most 63: PostgreSQL cuts longer names)`,
      ].sort(),
    );
  });
});
