import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/changes.js';
import { diff } from '../../src/diff/differ.js';
import type { DbSchema } from '../../src/schema/model.js';
import { tableOf, VARIANTS, variantNames } from '../support/variants.js';

const table = tableOf;
const column = (s: DbSchema, t: string, name: string) => table(s, t).columns.find((c) => c.name === name)!;
const brief = (changes: Change[]) => changes.map((c) => [c.kind, c.table, c.name]);

/** Give every constraint the design leaves unnamed an engine-style name, as a live database would. */
function nameLikeAnEngine(s: DbSchema): void {
  for (const t of s.tables) {
    if (t.primaryKey) t.primaryKey.name = s.dialect === 'mysql' ? 'PRIMARY' : `${t.name}_pkey`;
    t.uniques.forEach((u, i) => (u.name = `${t.name}_${u.columns.join('_')}_key${i}`));
    t.foreignKeys.forEach((fk, i) => (fk.name = s.dialect === 'mysql' ? `${t.name}_ibfk_${i + 1}` : `${t.name}_${fk.columns[0]}_fkey`));
    for (const i of t.indexes) if (i.implicit) i.name = `${t.name}_${i.columns.join('_')}_foreign`;
    // Some introspectors also list the indexes behind keys; the constraints speak for them.
    const keys = [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniques];
    for (const k of keys) t.indexes.push({ name: k.name!, columns: [...k.columns], unique: true, method: 'btree', where: null });
  }
}

describe('diff: no drift', () => {
  it.each(variantNames)('%s: identical models give no change', (v) => {
    expect(diff(structuredClone(VARIANTS[v]()), VARIANTS[v]())).toEqual([]);
  });

  it.each(variantNames)('%s: engine names of unnamed constraints give no change', (v) => {
    const actual = structuredClone(VARIANTS[v]());
    nameLikeAnEngine(actual);
    expect(diff(actual, VARIANTS[v]())).toEqual([]);
  });

  it("leaves dbkit's bookkeeping tables out", () => {
    const expected = VARIANTS['agents/postgres']();
    const actual = structuredClone(expected);
    actual.tables.push({ ...structuredClone(table(expected, 'files')), name: 'dbkit_migrations' });
    expect(diff(actual, expected)).toEqual([]);
  });
});

/** The six tamperings of the issue, on one table of each schema. */
const TAMPER = {
  agents: {
    table: 'runs',
    index: () => 'idx_runs_status',
    type: ['status', 'varchar(30)'],
    fk: 'session_id',
    fkName: 'FOREIGN KEY (session_id) REFERENCES sessions (id)',
    onDelete: 'SET NULL',
    default: ['status', "'queued'"],
    nullable: 'task',
  },
  chat: {
    table: 'api_calls',
    index: (s: DbSchema) => table(s, 'api_calls').indexes.find((i) => i.columns.join() === 'model_name')!.name,
    type: ['model_name', 'varchar(50)'],
    fk: 'conversation_id',
    fkName: 'FOREIGN KEY (conversation_id) REFERENCES conversations (id)',
    onDelete: 'CASCADE',
    default: ['request_tokens', '1'],
    nullable: 'model_name',
  },
} as const;

describe.each(variantNames)('diff: tampering with %s', (v) => {
  const t = TAMPER[v.startsWith('agents') ? 'agents' : 'chat'];
  const expected = VARIANTS[v]();
  const tamper = (f: (actual: DbSchema) => void): Change[] => {
    const actual = structuredClone(expected);
    nameLikeAnEngine(actual);
    f(actual);
    return diff(actual, expected);
  };
  const dropIndex = (a: DbSchema) => {
    const tb = table(a, t.table);
    tb.indexes = tb.indexes.filter((i) => i.name !== t.index(expected));
  };
  const changeType = (a: DbSchema) => void (column(a, t.table, t.type[0]).type = t.type[1]);
  const addColumn = (a: DbSchema) =>
    void table(a, t.table).columns.push({
      name: 'priority',
      type: 'integer',
      nullable: true,
      default: null,
      autoIncrement: false,
      onUpdate: null,
      comment: null,
    });
  const changeOnDelete = (a: DbSchema) =>
    void (table(a, t.table).foreignKeys.find((fk) => fk.columns[0] === t.fk)!.onDelete = t.onDelete);
  const changeDefault = (a: DbSchema) => void (column(a, t.table, t.default[0]).default = t.default[1]);
  const changeNullability = (a: DbSchema) =>
    void (column(a, t.table, t.nullable).nullable = !column(a, t.table, t.nullable).nullable);

  it('a dropped index', () => {
    expect(brief(tamper(dropIndex))).toEqual([['index_missing', t.table, t.index(expected)]]);
  });
  it("a column's type or length", () => {
    const changes = tamper(changeType);
    expect(brief(changes)).toEqual([['column_type', t.table, t.type[0]]]);
    expect(changes[0]).toMatchObject({ expected: column(expected, t.table, t.type[0]).type, actual: t.type[1] });
  });
  it('an added column', () => {
    expect(brief(tamper(addColumn))).toEqual([['column_extra', t.table, 'priority']]);
  });
  it("a foreign key's ON DELETE, matched by structure", () => {
    const changes = tamper(changeOnDelete);
    expect(brief(changes)).toEqual([['foreign_key_changed', t.table, t.fkName]]);
    expect(changes[0]!.actual).toMatchObject({ onDelete: t.onDelete });
    expect(changes[0]!.message).toContain(`ON DELETE ${t.onDelete}`);
  });
  it('a default', () => {
    expect(brief(tamper(changeDefault))).toEqual([['column_default', t.table, t.default[0]]]);
  });
  it('nullability', () => {
    expect(brief(tamper(changeNullability))).toEqual([['column_nullable', t.table, t.nullable]]);
  });
  it('all six at once: each exactly once, in kind order', () => {
    const changes = tamper((a) =>
      [dropIndex, changeType, addColumn, changeOnDelete, changeDefault, changeNullability].forEach((f) => f(a)),
    );
    expect(brief(changes)).toEqual([
      ['column_extra', t.table, 'priority'],
      ['column_type', t.table, t.type[0]],
      ['column_nullable', t.table, t.nullable],
      ['column_default', t.table, t.default[0]],
      ['foreign_key_changed', t.table, t.fkName],
      ['index_missing', t.table, t.index(expected)],
    ]);
    expect(JSON.parse(JSON.stringify(changes))).toEqual(changes);
  });
});

describe('diff: other kinds', () => {
  const pg = VARIANTS['chat/postgres']();
  const my = VARIANTS['chat/mysql']();
  const run = (expected: DbSchema, f: (a: DbSchema) => void) => {
    const actual = structuredClone(expected);
    f(actual);
    return diff(actual, expected);
  };

  it('tables missing and extra, nothing reported inside them', () => {
    const changes = run(pg, (a) => {
      a.tables = a.tables.filter((t) => t.name !== 'api_calls');
      a.tables.push({ ...structuredClone(table(pg, 'users')), name: 'aardvarks' });
    });
    expect(brief(changes)).toEqual([
      ['table_extra', 'aardvarks', 'aardvarks'],
      ['table_missing', 'api_calls', 'api_calls'],
    ]);
    expect(changes[1]!.expected).toEqual(table(pg, 'api_calls'));
  });

  it('a missing column, and comments of tables and columns', () => {
    const changes = run(my, (a) => {
      const users = table(a, 'users');
      users.columns = users.columns.filter((c) => c.name !== 'phone');
      users.comment = null;
      column(a, 'users', 'email').comment = 'E-mail';
    });
    expect(changes).toEqual([
      {
        kind: 'table_comment',
        table: 'users',
        name: 'users',
        expected: 'User information table',
        actual: null,
        message: "Table users has no comment, expected comment 'User information table'.",
      },
      {
        kind: 'column_missing',
        table: 'users',
        name: 'phone',
        expected: column(my, 'users', 'phone'),
        actual: null,
        message: 'Column users.phone (varchar(20)) is missing.',
      },
      {
        kind: 'column_comment',
        table: 'users',
        name: 'email',
        expected: 'Email address',
        actual: 'E-mail',
        message: "Column users.email has comment 'E-mail', expected comment 'Email address'.",
      },
    ]);
  });

  it('auto-increment and ON UPDATE', () => {
    const changes = run(my, (a) => {
      column(a, 'users', 'id').autoIncrement = false;
      column(a, 'users', 'updated_at').onUpdate = null;
    });
    expect(changes.map((c) => c.message)).toEqual([
      'Column users.id is not auto-increment, expected auto-increment.',
      'Column users.updated_at has no ON UPDATE, expected ON UPDATE CURRENT_TIMESTAMP.',
    ]);
    expect(brief(changes)).toEqual([
      ['column_auto_increment', 'users', 'id'],
      ['column_on_update', 'users', 'updated_at'],
    ]);
  });

  it('primary key, unique constraints and foreign keys missing or extra', () => {
    const changes = run(pg, (a) => {
      const users = table(a, 'users');
      users.primaryKey = { name: 'users_pkey', columns: ['id', 'email'] };
      users.uniques = users.uniques.filter((u) => u.columns[0] !== 'email');
      users.uniques.push({ name: 'users_phone_key', columns: ['phone'] });
      const messages = table(a, 'messages');
      messages.foreignKeys = messages.foreignKeys.filter((fk) => fk.columns[0] !== 'user_id');
      messages.foreignKeys.push({
        name: 'messages_status_fkey',
        columns: ['status'],
        refTable: 'users',
        refColumns: ['status'],
        onDelete: 'NO ACTION',
        onUpdate: 'NO ACTION',
      });
    });
    expect(brief(changes)).toEqual([
      ['foreign_key_missing', 'messages', 'FOREIGN KEY (user_id) REFERENCES users (id)'],
      ['foreign_key_extra', 'messages', 'FOREIGN KEY (status) REFERENCES users (status)'],
      ['primary_key', 'users', 'PRIMARY KEY'],
      ['unique_missing', 'users', 'UNIQUE (email)'],
      ['unique_extra', 'users', 'UNIQUE (phone)'],
    ]);
    expect(changes[2]!.message).toBe('Table users has PRIMARY KEY (id, email), expected PRIMARY KEY (id).');
  });

  it('a missing primary key', () => {
    const changes = run(pg, (a) => void (table(a, 'users').primaryKey = null));
    expect(changes).toEqual([
      {
        kind: 'primary_key',
        table: 'users',
        name: 'PRIMARY KEY',
        expected: { name: null, columns: ['id'] },
        actual: null,
        message: 'Table users has no PRIMARY KEY, expected PRIMARY KEY (id).',
      },
    ]);
  });

  it('a changed default, in words', () => {
    const changes = run(pg, (a) => void (column(a, 'api_calls', 'request_tokens').default = null));
    expect(changes.map((c) => c.message)).toEqual(['Column api_calls.request_tokens has no default, expected default 0.']);
  });

  it('an index changed under its name is one change', () => {
    const changes = run(pg, (a) => {
      const i = table(a, 'api_calls').indexes.find((x) => x.name === 'idx_api_calls_user_model_date')!;
      i.columns = ['model_name', 'user_id', 'created_at'];
      i.unique = true;
      i.method = 'hash';
      i.where = 'user_id IS NOT NULL';
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'index_changed', table: 'api_calls', name: 'idx_api_calls_user_model_date' });
    expect(changes[0]!.message).toBe(
      'Index idx_api_calls_user_model_date on api_calls differs: columns (model_name, user_id, created_at), ' +
        'expected (user_id, model_name, created_at); unique, expected not unique; method hash, expected btree; ' +
        'predicate user_id IS NOT NULL, expected none.',
    );
  });

  it('an extra index', () => {
    const changes = run(pg, (a) =>
      table(a, 'users').indexes.push({ name: 'idx_users_phone', columns: ['phone'], unique: false, method: 'btree', where: null }),
    );
    expect(changes).toEqual([
      {
        kind: 'index_extra',
        table: 'users',
        name: 'idx_users_phone',
        expected: null,
        actual: { name: 'idx_users_phone', columns: ['phone'], unique: false, method: 'btree', where: null },
        message: 'Index idx_users_phone (phone) on users is not in the definition.',
      },
    ]);
  });

  it('MySQL implicit foreign-key index: matched by columns, satisfied by a covering index, else missing', () => {
    const implicit = table(my, 'api_calls').indexes.find((i) => i.implicit && i.columns[0] === 'message_id')!;
    expect(implicit).toBeDefined();
    const renamed = run(my, (a) => {
      table(a, 'api_calls').indexes.find((i) => i.name === implicit.name)!.name = 'api_calls_message_id_foreign';
    });
    expect(renamed).toEqual([]);

    // MySQL drops its own index when one that leads with the FK columns is added: one change, the new index.
    const covered = run(my, (a) => {
      const t = table(a, 'api_calls');
      t.indexes = t.indexes.filter((i) => i.name !== implicit.name);
      t.indexes.push({ name: 'idx_message_model', columns: ['message_id', 'model_name'], unique: false, method: 'btree', where: null });
    });
    expect(brief(covered)).toEqual([['index_extra', 'api_calls', 'idx_message_model']]);

    const missing = run(my, (a) => {
      const t = table(a, 'api_calls');
      t.indexes = t.indexes.filter((i) => i.name !== implicit.name);
    });
    expect(brief(missing)).toEqual([['index_missing', 'api_calls', implicit.name]]);
  });

  it('enum types (schema level, listed first) and triggers', () => {
    const changes = run(pg, (a) => {
      a.enums.find((e) => e.name === 'messages_role')!.labels = ['user', 'assistant'];
      a.enums = a.enums.filter((e) => e.name !== 'messages_content_type');
      a.enums.push({ name: 'mood', labels: ['happy'] });
      a.triggers = a.triggers.filter((t) => t.table !== 'users');
      a.triggers.find((t) => t.table === 'conversations')!.timing = 'AFTER UPDATE';
      a.triggers.push({ name: 'trg_audit', table: 'api_calls', timing: 'AFTER INSERT', function: 'audit' });
    });
    expect(brief(changes)).toEqual([
      ['enum_missing', null, 'messages_content_type'],
      ['enum_extra', null, 'mood'],
      ['enum_labels', null, 'messages_role'],
      ['trigger_extra', 'api_calls', 'trg_audit'],
      ['trigger_changed', 'conversations', 'trg_conversations_updated_at'],
      ['trigger_missing', 'users', 'trg_users_updated_at'],
    ]);
    expect(changes[2]!.message).toBe(
      "Enum type messages_role has labels ('user', 'assistant'), expected ('user', 'assistant', 'system').",
    );
    expect(changes[4]!.message).toBe(
      'Trigger trg_conversations_updated_at is AFTER UPDATE on conversations executing set_updated_at, ' +
        'expected BEFORE UPDATE on conversations executing set_updated_at.',
    );
  });

  it('is deterministic whatever the order of the inputs', () => {
    const actual = structuredClone(pg);
    column(actual, 'users', 'phone').type = 'text';
    column(actual, 'api_calls', 'client_ip').nullable = false;
    const shuffled = structuredClone(actual);
    shuffled.tables.reverse();
    for (const t of shuffled.tables) t.columns.reverse();
    expect(diff(shuffled, pg)).toEqual(diff(actual, pg));
    expect(brief(diff(actual, pg))).toEqual([
      ['column_nullable', 'api_calls', 'client_ip'],
      ['column_type', 'users', 'phone'],
    ]);
  });
});

describe('diff: triggers and CHECKs a DBA added', () => {
  it('are reported on defined tables only; a table the definition lacks is reported as a whole', () => {
    const expected = VARIANTS['agents/postgres']();
    const actual = structuredClone(expected);
    actual.tables.push({ ...structuredClone(table(expected, 'files')), name: 'files_archive' });
    actual.triggers.push(
      { name: 'audit', table: 'files', timing: 'AFTER INSERT', function: 'audit_fn' },
      { name: 'audit', table: 'files_archive', timing: 'AFTER INSERT', function: 'audit_fn' },
    );
    table(actual, 'files').checks = [{ name: 'size_positive', expression: 'size > 0' }];
    expect(brief(diff(actual, expected))).toEqual([
      ['check_extra', 'files', 'size_positive'],
      ['trigger_extra', 'files', 'audit'],
      ['table_extra', 'files_archive', 'files_archive'],
    ]);
  });
});
