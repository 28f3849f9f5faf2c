/** The planner's core: renames, candidates, order, warnings, what a fix script refuses. */
import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../src/plan/order.js';
import { inverseRenames, PlanError, renameCandidates } from '../../src/plan/plan.js';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { agents } from '../../src/schema/agents.js';
import { num, t } from '../../src/schema/definition.js';
import { column, evolve, table } from '../support/evolutions.js';
import { planOf } from '../support/plans.js';
import { tableOf, VARIANTS } from '../support/variants.js';
import { planChange, typeChangeRisk } from '../support/planners.js';

const pgOf = (s: typeof agents) => resolveSchema(s, dialects.postgres.rules);

describe('renames', () => {
  const renamed = evolve(agents, (s) => {
    column(s, 'users', 'username').name = 'handle';
    table(s, 'gallery').name = 'albums';
  });

  it('are never guessed: a drop and an add are candidates, each with the flag that settles it', () => {
    expect(renameCandidates(pgOf(agents), pgOf(renamed))).toEqual([
      { kind: 'table', table: null, from: 'gallery', to: 'albums', flag: '--rename gallery=albums' },
      { kind: 'column', table: 'users', from: 'username', to: 'handle', flag: '--rename users.username=handle' },
    ]);
    const plan = planChange(pgOf(agents), pgOf(renamed), { purpose: 'migration' });
    expect(plan.operations.map((o) => o.op)).toEqual(expect.arrayContaining(['drop_column', 'add_column', 'drop_table', 'create_table']));
    expect(plan.warnings.filter((w) => w.level === 'data-loss').map((w) => w.message)).toEqual([
      'drops column users.username (its values are lost)',
      'drops table gallery (its rows are lost)',
    ]);
  });

  it('once declared, come first and leave no candidate', () => {
    const renames = { tables: { gallery: 'albums' }, columns: { users: { username: 'handle' } } };
    expect(renameCandidates(pgOf(agents), pgOf(renamed), renames)).toEqual([]);
    const plan = planChange(pgOf(agents), pgOf(renamed), { renames, purpose: 'migration' });
    expect(plan.operations).toEqual([
      { op: 'rename_table', from: 'gallery', to: 'albums' },
      { op: 'rename_column', table: 'users', from: 'username', to: 'handle' },
    ]);
    expect(plan.warnings).toEqual([]);
    expect(inverseRenames(renames)).toEqual({ tables: { albums: 'gallery' }, columns: { users: { handle: 'username' } } });
  });

  it('that do not fit the models are refused, naming why', () => {
    const plan = (renames: Parameters<typeof planChange>[2]['renames']) => () =>
      planChange(pgOf(agents), pgOf(renamed), { renames, purpose: 'migration' });
    expect(plan({ tables: { nope: 'albums' }, columns: {} })).toThrow(new PlanError('cannot rename table nope: there is no such table'));
    expect(plan({ tables: { users: 'people' }, columns: {} })).toThrow(/the definition has no table people/);
    expect(plan({ tables: {}, columns: { users: { email: 'handle' } } })).toThrow(/the definition still has a column users.email/);
    expect(plan({ tables: {}, columns: { users: { bio: 'handle' } } })).toThrow(/there is no column bio/);
  });

  it('candidates pair columns of the same family only', () => {
    const changed = evolve(agents, (s) => {
      table(s, 'files').columns = table(s, 'files').columns.filter((c) => c.name !== 'size');
      table(s, 'files').columns.push({ name: 'bytes', type: t.bigint() }, { name: 'label', type: t.text() });
    });
    expect(renameCandidates(pgOf(agents), pgOf(changed)).map((c) => c.flag)).toEqual(['--rename files.size=bytes']);
  });
});

describe('order', () => {
  it('puts referenced tables first, cycles alphabetically', () => {
    const edges = new Map([
      ['files', new Set(['runs'])],
      ['runs', new Set(['sessions', 'users'])],
      ['sessions', new Set(['users'])],
      ['a', new Set(['b'])],
      ['b', new Set(['a'])],
    ]);
    expect(dependencyOrder(['files', 'runs', 'sessions', 'users', 'a', 'b'], edges)).toEqual(['users', 'sessions', 'runs', 'files', 'a', 'b']);
  });

  it('creates enum types and functions before tables, foreign keys after them, and drops the other way round', () => {
    const ops = planChange({ ...VARIANTS['chat/postgres'](), tables: [], enums: [], triggers: [] }, VARIANTS['chat/postgres'](), { purpose: 'migration' }).operations;
    const kinds = ops.map((o) => o.op);
    const last = (k: string) => kinds.lastIndexOf(k as never);
    const first = (k: string) => kinds.indexOf(k as never);
    expect(last('create_enum')).toBeLessThan(first('create_table'));
    expect(last('create_function')).toBeLessThan(first('create_trigger'));
    expect(last('create_table')).toBeLessThan(first('add_foreign_key'));
    expect(ops.filter((o) => o.op === 'create_table').map((o) => (o.op === 'create_table' ? o.table.name : ''))).toEqual([
      'users',
      'conversations',
      'messages',
      'api_calls',
    ]);
    const down = planChange(VARIANTS['chat/postgres'](), { ...VARIANTS['chat/postgres'](), tables: [], enums: [], triggers: [] }, { purpose: 'migration' });
    expect(down.operations.map((o) => o.op)).toEqual(['drop_table', 'drop_table', 'drop_table', 'drop_table', 'drop_enum', 'drop_enum', 'drop_function']);
  });
});

describe('warnings', () => {
  it('tell data loss from what may fail', () => {
    expect(typeChangeRisk('postgres', 'varchar(300)', 'varchar(255)')).toMatchObject({ level: 'data-loss', narrowing: true });
    expect(typeChangeRisk('postgres', 'varchar(255)', 'text')).toBeNull();
    expect(typeChangeRisk('postgres', 'integer', 'bigint')).toBeNull();
    expect(typeChangeRisk('postgres', 'bigint', 'integer')).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('postgres', 'text', 'jsonb')).toMatchObject({ level: 'may-fail' });
    expect(typeChangeRisk('postgres', 'timestamptz', 'timestamp')).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('postgres', 'numeric(10,2)', 'numeric(12,2)')).toBeNull();
    expect(typeChangeRisk('postgres', 'numeric(10,2)', 'numeric(10,1)')).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('mysql', 'text', 'longtext')).toBeNull();
    expect(typeChangeRisk('mysql', 'longtext', 'text')).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('mysql', 'varchar(300)', 'text')).toBeNull();
    expect(typeChangeRisk('mysql', "enum('a','b')", "enum('a','b','c')")).toBeNull();
    expect(typeChangeRisk('mysql', "enum('a','b')", "enum('b','a')")).toBeNull();
    expect(typeChangeRisk('mysql', "enum('a','b')", "enum('a')")).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('mysql', 'int', 'int unsigned')).toMatchObject({ level: 'data-loss' });
    expect(typeChangeRisk('mysql', 'int unsigned', 'bigint')).toBeNull();
  });

  it('name the object of each risky operation', () => {
    expect(planOf('dropped column', 'mysql').warnings).toEqual([
      { level: 'data-loss', operation: 0, message: 'drops column files.file_hash (its values are lost)' },
    ]);
    const notNull = evolve(agents, (s) => (column(s, 'gallery', 'description').notNull = true));
    expect(planChange(pgOf(agents), pgOf(notNull), { purpose: 'migration' }).warnings).toEqual([
      { level: 'may-fail', operation: 0, message: 'makes column gallery.description NOT NULL (fails if it holds NULLs)' },
    ]);
    // A new table is empty: nothing on it can fail.
    expect(planOf('new table with foreign keys', 'postgres').warnings).toEqual([]);
  });

  it('gate a foreign key over an existing column (orphans make it fail), not one that cannot have orphans', () => {
    const unreferenced = evolve(agents, (s) => delete column(s, 'gallery', 'run_id').references);
    for (const dialect of ['postgres', 'mysql'] as const) {
      const of = (s: typeof agents) => resolveSchema(s, dialects[dialect].rules);
      expect(planChange(of(unreferenced), of(agents), { purpose: 'migration' }).warnings.map((w) => [w.level, w.message])).toEqual([
        ['may-fail', 'adds foreign key (run_id) on gallery -> runs (orphans make it fail: values with no runs row)'],
      ]);
      // A new nullable column holds NULL in every row; an ON DELETE change re-adds a key the data already kept.
      expect(planOf('new foreign key', dialect).warnings).toEqual([]);
      expect(planOf('foreign key action', dialect).warnings).toEqual([]);
    }
    // A new column with a default puts that value in every row: it may be an orphan.
    const defaulted = evolve(agents, (s) => table(s, 'files').columns.push({ name: 'owner_id', type: t.bigint(), notNull: true, default: num(1), references: { table: 'users', onDelete: 'CASCADE' } }));
    const mysqlOf = (s: typeof agents) => resolveSchema(s, dialects.mysql.rules);
    expect(planChange(mysqlOf(agents), mysqlOf(defaulted), { purpose: 'migration' }).warnings.map((w) => w.message)).toContain(
      'adds foreign key (owner_id) on files -> users (orphans make it fail: values with no users row)',
    );
  });
});

describe('fix scripts', () => {
  it('refuse what loses data, keep extra indexes, triggers and CHECKs, and apply the rest', () => {
    const expected = VARIANTS['chat/postgres']();
    const actual = structuredClone(expected);
    const convs = tableOf(actual, 'conversations');
    convs.columns.find((c) => c.name === 'title')!.type = 'varchar(300)';
    convs.columns.find((c) => c.name === 'title')!.comment = 'changed';
    convs.columns.push({ name: 'legacy', type: 'text', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: null });
    convs.indexes.push({ name: 'conv_title_gin', columns: ['title'], unique: false, method: 'gin', where: null });
    convs.checks = [{ name: 'title_not_empty', expression: "(title)::text <> ''::text" }];
    actual.triggers.push({ name: 'audit', table: 'conversations', timing: 'AFTER INSERT', function: 'audit_fn' });
    const plan = planChange(actual, expected, { purpose: 'fix' });
    const shown = plan.statements.map((s) => [s.sql, s.disabled ?? null]);
    expect(shown).toEqual([
      ['DROP TRIGGER "audit" ON "conversations"', 'kept: the trigger is not in the definition, but a DBA may have added it on purpose'],
      ['ALTER TABLE "conversations" DROP CONSTRAINT "title_not_empty"', 'kept: the CHECK constraint is not in the definition, but a DBA may have added it on purpose'],
      ['DROP INDEX "conv_title_gin"', 'kept: the index is not in the definition, but a DBA may have added it on purpose'],
      [`COMMENT ON COLUMN "conversations"."title" IS 'Conversation title'`, null],
      [
        'ALTER TABLE "conversations" ALTER COLUMN "title" TYPE varchar(255)',
        'refused: it narrows column conversations.title from varchar(300) to varchar(255) (values longer than 255 characters do not fit)',
      ],
      ['ALTER TABLE "conversations" DROP COLUMN "legacy"', 'refused: it drops column conversations.legacy (its values are lost)'],
    ]);
    expect(plan.transactional).toBe(true);
  });

  it('keep an enum type that a refused drop still uses', () => {
    const expected = VARIANTS['chat/postgres']();
    const actual = structuredClone(expected);
    actual.enums.push({ name: 'legacy_kind', labels: ['a'] });
    tableOf(actual, 'users').columns.push({ name: 'kind', type: 'legacy_kind', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: null });
    const plan = planChange(actual, expected, { purpose: 'fix' });
    expect(plan.statements.map((s) => [s.sql, s.disabled])).toEqual([
      ['ALTER TABLE "users" DROP COLUMN "kind"', 'refused: it drops column users.kind (its values are lost)'],
      ['DROP TYPE "legacy_kind"', 'kept: column users.kind (refused above) still uses the type'],
    ]);
  });
});

describe('describeOperation', () => {
  it('says each operation in one line', async () => {
    const { describeOperation } = await import('../../src/plan/plan.js');
    const lines = (name: string, dialect: 'postgres' | 'mysql' = 'postgres') => planOf(name, dialect).operations.map(describeOperation);
    expect(lines('nullable column')).toEqual(['add column users.bio text']);
    expect(lines('wider varchar')).toEqual(['alter column sessions.title: varchar(255) -> varchar(300)']);
    expect(lines('enum label appended')).toEqual(["alter enum type messages_role: add 'tool'"]);
    expect(lines('new foreign key')).toEqual(['add column files.session_id uuid', 'add foreign key files (session_id) -> sessions ON DELETE SET NULL']);
    expect(lines('declared table rename').slice(0, 2)).toEqual([
      'rename table messages -> chat_messages',
      'rename index idx_messages_conversation_id -> idx_chat_messages_conversation_id on chat_messages',
    ]);
    expect(lines('ON UPDATE added', 'mysql')).toEqual(['alter column users.last_login_at: default CURRENT_TIMESTAMP, ON UPDATE CURRENT_TIMESTAMP']);
  });
});
