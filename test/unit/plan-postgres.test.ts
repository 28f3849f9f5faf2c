/** The planner's PostgreSQL statements, exactly (test/support/evolutions.ts for the changes). */
import { describe, expect, it } from 'vitest';
import { defaultName } from '../../dialects/postgres/plan-names.js';
import { usingClause } from '../../dialects/postgres/plan-columns.js';
import { addColumnRewrites, notNullCheckName, typeChangeKeepsRows } from '../../dialects/postgres/plan-online.js';
import type { Column, DbSchema } from '../../src/schema/model.js';
import { planOf, sqlOf } from '../support/plans.js';
import { tableOf, VARIANTS } from '../support/variants.js';
import { planChange } from '../support/planners.js';

const pg = (name: string) => planOf(name, 'postgres');

describe('PostgreSQL plans: columns', () => {
  it('adds a nullable column, and a NOT NULL one with its default', () => {
    expect(sqlOf(pg('nullable column'))).toEqual(['ALTER TABLE "users" ADD COLUMN "bio" text']);
    expect(sqlOf(pg('NOT NULL column with a default'))).toEqual([`ALTER TABLE "sessions" ADD COLUMN "kind" varchar(20) DEFAULT 'chat' NOT NULL`]);
    expect(pg('NOT NULL column with a default').warnings).toEqual([]);
  });

  it('warns that a NOT NULL column without a default fails on a table with rows', () => {
    expect(pg('NOT NULL column without a default').warnings).toEqual([
      {
        level: 'may-fail',
        operation: 0,
        message: 'adds NOT NULL column users.tz without a default to an existing table (fails if the table has rows)',
      },
    ]);
  });

  it('widens a varchar without USING, and narrows one without a cast that would cut', () => {
    expect(sqlOf(pg('wider varchar'))).toEqual(['ALTER TABLE "sessions" ALTER COLUMN "title" TYPE varchar(300)']);
    const narrow = pg('narrower varchar');
    expect(sqlOf(narrow)).toEqual(['ALTER TABLE "sessions" ALTER COLUMN "title" TYPE varchar(200)']);
    expect(narrow.warnings).toEqual([
      {
        level: 'data-loss',
        operation: 0,
        message: 'narrows column sessions.title from varchar(255) to varchar(200) (values longer than 200 characters do not fit)',
      },
    ]);
    for (const s of sqlOf(narrow)) expect(s).not.toMatch(/USING|::/);
  });

  it('converts text to jsonb with USING, the default dropped and set again around it', () => {
    expect(sqlOf(planOf('column retyped to JSON', 'postgres'))).toEqual([
      'ALTER TABLE "api_calls" ALTER COLUMN "request_content" TYPE jsonb USING "request_content"::jsonb',
    ]);
    expect(usingClause('c', 'varchar(300)', 'varchar(255)')).toBe('');
    expect(usingClause('c', 'text', 'integer')).toBe(' USING "c"::integer');
    expect(usingClause('c', 'integer', 'bigint')).toBe('');
    expect(usingClause('c', 'timestamptz', 'timestamp')).toBe('');
    expect(usingClause('c', 'text', 'messages_role')).toBe(' USING "c"::text::"messages_role"');
    // Never an explicit cast to a bounded string type, arrays included: assignment checks the length.
    expect(usingClause('c', 'text[]', 'varchar(20)[]')).toBe('');
    expect(usingClause('c', 'text', 'varchar(20)[]')).toBe(' USING "c"::text[]');
    expect(usingClause('c', 'jsonb', 'varchar(20)')).toBe('');
    const from: DbSchema = { dialect: 'postgres', tables: [], enums: [], triggers: [] };
    const table = (type: string, dflt: string) => ({
      name: 't',
      comment: null,
      columns: [{ name: 'n', type, nullable: true, default: dflt, autoIncrement: false, onUpdate: null, comment: null }],
      primaryKey: null,
      uniques: [],
      foreignKeys: [],
      indexes: [],
    });
    const plan = planChange({ ...from, tables: [table('text', "'1'")] }, { ...from, tables: [table('integer', '1')] }, { purpose: 'migration' });
    expect(sqlOf(plan)).toEqual(['ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT, ALTER COLUMN "n" TYPE integer USING "n"::integer, ALTER COLUMN "n" SET DEFAULT 1']);
  });

  it('renames a declared column', () => {
    expect(sqlOf(pg('declared column rename'))).toEqual(['ALTER TABLE "users" RENAME COLUMN "username" TO "handle"']);
  });

  it('sets comments', () => {
    expect(sqlOf(pg('comments'))).toEqual([
      `COMMENT ON COLUMN "users"."phone" IS 'Phone number (E.164)'`,
      `COMMENT ON TABLE "users" IS 'People'`,
    ]);
  });
});

describe('PostgreSQL plans: online DDL', () => {
  it('builds an index on an existing table CONCURRENTLY, outside a transaction, and says so', () => {
    const plan = pg('index on an existing table');
    expect(sqlOf(plan)).toEqual(['CREATE INDEX CONCURRENTLY "idx_messages_sender" ON "messages" ("sender")']);
    expect(plan.transactional).toBe(false);
    expect(plan.nonTransactionalReason).toMatch(/index on messages .*CONCURRENTLY.*transaction/);
    // A fix script is one transaction: no CONCURRENTLY there.
    const fix = planOf('index on an existing table', 'postgres', 'fix');
    expect(sqlOf(fix)).toEqual(['CREATE INDEX "idx_messages_sender" ON "messages" ("sender")']);
    expect(fix.transactional).toBe(true);
  });

  it('adds a foreign key to an existing table NOT VALID, then validates it', () => {
    expect(sqlOf(pg('new foreign key'))).toEqual([
      'ALTER TABLE "files" ADD COLUMN "session_id" uuid',
      'ALTER TABLE "files" ADD CONSTRAINT "files_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE SET NULL NOT VALID',
      'ALTER TABLE "files" VALIDATE CONSTRAINT "files_session_id_fkey"',
    ]);
  });

  it('adds a unique constraint from a unique index built concurrently', () => {
    const plan = pg('unique constraint');
    expect(sqlOf(plan)).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY "files_file_hash_key" ON "files" ("file_hash")',
      'ALTER TABLE "files" ADD CONSTRAINT "files_file_hash_key" UNIQUE USING INDEX "files_file_hash_key"',
    ]);
    expect(plan.warnings.map((w) => w.level)).toEqual(['may-fail']);
    expect(sqlOf(planOf('unique constraint', 'postgres', 'fix'))).toEqual(['ALTER TABLE "files" ADD UNIQUE ("file_hash")']);
  });

  it('names constraints as PostgreSQL does, cut to 63 bytes', () => {
    expect(defaultName('files', ['file_hash'], 'key')).toBe('files_file_hash_key');
    expect(defaultName('users', [], 'pkey')).toBe('users_pkey');
    // The longer part is cut first, then both by turns (makeObjectName).
    expect(defaultName('a_very_long_table_name_that_goes_on_and_on_and_on_and_on', ['user_id'], 'fkey')).toBe(
      'a_very_long_table_name_that_goes_on_and_on__user_id_fkey',
    );
    expect(defaultName('a_very_long_table_name_that_goes_on_and_on', ['a_very_long_column_name_too'], 'fkey')).toBe(
      'a_very_long_tab_a_very_long_col_fkey',
    );
  });

  it('drops an unnamed constraint by looking its name up, and a named one by name', () => {
    const [drop, add, validate] = sqlOf(pg('foreign key action'));
    expect(drop).toContain(`WHERE c.conrelid = '"gallery"'::regclass`);
    expect(drop).toContain(`= ARRAY['run_id']::text[]`);
    expect(drop).toContain(`AND c.confrelid = '"runs"'::regclass`);
    expect(drop).toMatch(/^DO \$dbkit\$\n[\s\S]*EXECUTE format\('ALTER TABLE %I DROP CONSTRAINT %I', 'gallery', found\);\nEND\n\$dbkit\$$/);
    expect(add).toBe(
      'ALTER TABLE "gallery" ADD CONSTRAINT "gallery_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs" ("id") ON DELETE SET NULL NOT VALID',
    );
    expect(validate).toBe('ALTER TABLE "gallery" VALIDATE CONSTRAINT "gallery_run_id_fkey"');

    const expected = VARIANTS['agents/postgres']();
    const actual = structuredClone(expected);
    const fk = tableOf(actual, 'gallery').foreignKeys.find((f) => f.columns[0] === 'run_id')!;
    fk.name = 'gallery_run_id_fkey';
    fk.onDelete = 'SET NULL';
    expect(sqlOf(planChange(actual, expected, { purpose: 'fix' }))).toEqual([
      'ALTER TABLE "gallery" DROP CONSTRAINT "gallery_run_id_fkey"',
      'ALTER TABLE "gallery" ADD CONSTRAINT "gallery_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs" ("id") ON DELETE CASCADE NOT VALID',
      'ALTER TABLE "gallery" VALIDATE CONSTRAINT "gallery_run_id_fkey"',
    ]);
  });
});

describe('PostgreSQL plans: enum types', () => {
  it('appends a label with ADD VALUE, marked to commit first', () => {
    const plan = pg('enum label appended');
    expect(plan.statements).toEqual([
      { sql: `ALTER TYPE "messages_role" ADD VALUE IF NOT EXISTS 'tool' AFTER 'system'`, operation: 0, operations: [0], commitFirst: true },
    ]);
    expect(plan.transactional).toBe(true);
  });

  it('is not transactional when a label it adds is used later in the plan', () => {
    const from = VARIANTS['chat/postgres']();
    const to = structuredClone(from);
    to.enums.find((e) => e.name === 'messages_role')!.labels.unshift('tool');
    tableOf(to, 'messages').columns.find((c) => c.name === 'role')!.default = "'tool'";
    const plan = planChange(from, to, { purpose: 'migration' });
    expect(sqlOf(plan)).toEqual([
      `ALTER TYPE "messages_role" ADD VALUE IF NOT EXISTS 'tool' BEFORE 'user'`,
      `ALTER TABLE "messages" ALTER COLUMN "role" SET DEFAULT 'tool'`,
    ]);
    expect(plan.transactional).toBe(false);
    expect(plan.nonTransactionalReason).toBe(`it adds label 'tool' to enum type messages_role and uses it, which needs the label committed first`);
  });

  it('removes a label by swapping the type, converting through text', () => {
    const plan = pg('enum label removed');
    expect(sqlOf(plan)).toEqual([
      `CREATE TYPE "messages_content_type__new" AS ENUM ('text', 'image_url')`,
      'ALTER TABLE "messages" ALTER COLUMN "content_type" DROP DEFAULT, ' +
        'ALTER COLUMN "content_type" TYPE "messages_content_type__new" USING "content_type"::text::"messages_content_type__new", ' +
        `ALTER COLUMN "content_type" SET DEFAULT 'text'`,
      'DROP TYPE "messages_content_type"',
      'ALTER TYPE "messages_content_type__new" RENAME TO "messages_content_type"',
    ]);
    expect(plan.warnings).toEqual([
      { level: 'data-loss', operation: 0, message: "removes 'video_url' from enum type messages_content_type (rows holding it make it fail)" },
    ]);
  });
});

describe('PostgreSQL plans: tables', () => {
  it('creates a table without its foreign keys, then adds them', () => {
    expect(sqlOf(pg('new table with foreign keys'))).toEqual([
      'CREATE TABLE "tags" (\n' +
        '    "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n' +
        '    "user_id" uuid NOT NULL,\n' +
        '    "run_id" uuid,\n' +
        '    "label" varchar(50) NOT NULL,\n' +
        '    "created_at" timestamptz DEFAULT now(),\n' +
        '    UNIQUE ("user_id", "label")\n' +
        ')',
      'CREATE INDEX "idx_tags_run_id" ON "tags" ("run_id")',
      'ALTER TABLE "tags" ADD FOREIGN KEY ("run_id") REFERENCES "runs" ("id") ON DELETE CASCADE',
      'ALTER TABLE "tags" ADD FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE',
    ]);
  });

  it('drops tables referencing first, and creates them referenced first with every foreign key after', () => {
    expect(sqlOf(pg('four tables dropped'))).toEqual(['DROP TABLE "messages"', 'DROP TABLE "gallery"', 'DROP TABLE "files"', 'DROP TABLE "runs"']);
    const back = planOf('four tables dropped', 'postgres', 'fix', true);
    const creates = back.statements.filter((s) => s.sql.startsWith('CREATE TABLE')).map((s) => /CREATE TABLE "(\w+)"/.exec(s.sql)![1]);
    expect(creates).toEqual(['runs', 'files', 'gallery', 'messages']);
    const firstFk = back.statements.findIndex((s) => s.sql.includes('FOREIGN KEY'));
    const lastCreate = back.statements.map((s) => s.sql.startsWith('CREATE')).lastIndexOf(true);
    expect(firstFk).toBeGreaterThan(lastCreate);
    expect(back.statements.every((s) => !s.disabled)).toBe(true);
  });

  it('renames a table with the enum types, indexes and trigger named after it', () => {
    expect(sqlOf(pg('declared table rename'))).toEqual([
      'ALTER TABLE "messages" RENAME TO "chat_messages"',
      'ALTER INDEX "idx_messages_conversation_id" RENAME TO "idx_chat_messages_conversation_id"',
      'ALTER INDEX "idx_messages_created_at" RENAME TO "idx_chat_messages_created_at"',
      'ALTER INDEX "idx_messages_user_id" RENAME TO "idx_chat_messages_user_id"',
      'ALTER TYPE "messages_content_type" RENAME TO "chat_messages_content_type"',
      'ALTER TYPE "messages_role" RENAME TO "chat_messages_role"',
    ]);
    expect(sqlOf(pg('table rename with an update trigger'))).toEqual([
      'ALTER TABLE "conversations" RENAME TO "threads"',
      'ALTER INDEX "idx_conversations_created_at" RENAME TO "idx_threads_created_at"',
      'ALTER INDEX "idx_conversations_user_id" RENAME TO "idx_threads_user_id"',
      'ALTER TRIGGER "trg_conversations_updated_at" ON "threads" RENAME TO "trg_threads_updated_at"',
    ]);
  });

  it('emulates a new ON UPDATE with a function and a BEFORE UPDATE trigger, and removes them on the way down', () => {
    expect(sqlOf(pg('ON UPDATE added'))).toEqual([
      'CREATE OR REPLACE FUNCTION "set_last_login_at"() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW."last_login_at" := now();\n  RETURN NEW;\nEND\n$$',
      'ALTER TABLE "users" ALTER COLUMN "last_login_at" SET DEFAULT now()',
      'CREATE TRIGGER "trg_users_last_login_at" BEFORE UPDATE ON "users" FOR EACH ROW EXECUTE FUNCTION "set_last_login_at"()',
    ]);
    expect(sqlOf(planOf('ON UPDATE added', 'postgres', 'migration', true))).toEqual([
      'DROP TRIGGER "trg_users_last_login_at" ON "users"',
      'ALTER TABLE "users" ALTER COLUMN "last_login_at" DROP DEFAULT',
      'DROP FUNCTION IF EXISTS "set_last_login_at"()',
    ]);
  });
});

describe('PostgreSQL plans: bounded write stalls (docs/online-changes.md)', () => {
  it('validates a new foreign key in a transaction of its own: the migration runs statement by statement', () => {
    const plan = pg('new foreign key');
    expect(plan.statements.map((s) => s.operations)).toEqual([[0], [1], [1]]);
    expect(plan.transactional).toBe(false);
    expect(plan.nonTransactionalReason).toBe(
      'it validates constraint "files_session_id_fkey" on files that existed in a transaction of its own, after adding it NOT VALID, so that writes go on during the scan',
    );
    // A table the plan creates is empty: its foreign keys go in plainly, in the one transaction.
    expect(pg('new table with foreign keys').transactional).toBe(true);
  });

  it('makes a column NOT NULL through a CHECK added NOT VALID, validated, then dropped; the helpers perform no operation', () => {
    const plan = pg('nullable column made NOT NULL');
    expect(sqlOf(plan)).toEqual([
      'ALTER TABLE "files" DROP CONSTRAINT IF EXISTS "dbkit_nn_files_file_hash", ADD CONSTRAINT "dbkit_nn_files_file_hash" CHECK ("file_hash" IS NOT NULL) NOT VALID',
      'ALTER TABLE "files" VALIDATE CONSTRAINT "dbkit_nn_files_file_hash"',
      'ALTER TABLE "files" ALTER COLUMN "file_hash" SET NOT NULL',
      'ALTER TABLE "files" DROP CONSTRAINT IF EXISTS "dbkit_nn_files_file_hash"',
    ]);
    expect(plan.statements.map((s) => s.operations)).toEqual([[], [], [0], []]);
    expect(plan.statements.map((s) => s.operation)).toEqual([0, 0, 0, 0]);
    expect(plan.transactional).toBe(false);
    expect(plan.blocking).toEqual([]);
    expect(plan.warnings.map((w) => w.message)).toEqual(['makes column files.file_hash NOT NULL (fails if it holds NULLs)']);
    // The way back is a catalog change; a fix script (one transaction) sets it plainly.
    expect(sqlOf(planOf('nullable column made NOT NULL', 'postgres', 'migration', true))).toEqual(['ALTER TABLE "files" ALTER COLUMN "file_hash" DROP NOT NULL']);
    expect(sqlOf(planOf('nullable column made NOT NULL', 'postgres', 'fix'))).toEqual(['ALTER TABLE "files" ALTER COLUMN "file_hash" SET NOT NULL']);
  });

  it('cuts the name of the temporary check to 63 bytes, longer name first', () => {
    expect(notNullCheckName('files', 'file_hash')).toBe('dbkit_nn_files_file_hash');
    const name = notNullCheckName('t'.repeat(60), 'c'.repeat(10));
    expect(name).toBe(`dbkit_nn_${'t'.repeat(43)}_${'c'.repeat(10)}`);
    expect(name.length).toBe(63);
  });

  it('marks a type change that rewrites the table as blocking, and one that only changes the catalog not', () => {
    const bigint = pg('integer widened to bigint');
    expect(sqlOf(bigint)).toEqual(['ALTER TABLE "api_calls" ALTER COLUMN "total_tokens" TYPE bigint']);
    expect(bigint.blocking).toEqual([
      {
        statement: 0,
        operation: 0,
        message: 'rewrites table api_calls under an ACCESS EXCLUSIVE lock (alter column api_calls.total_tokens: integer -> bigint): reads and writes wait until it ends',
      },
    ]);
    expect(bigint.statements[0]!.blocking).toBe(bigint.blocking[0]!.message);
    for (const name of ['wider varchar', 'varchar across the length-byte boundary', 'NOT NULL column with a default', 'index on an existing table', 'unique constraint']) {
      expect(pg(name).blocking, name).toEqual([]);
    }
    // Narrowing checks every value by rewriting the table.
    expect(pg('narrower varchar').blocking.map((b) => b.statement)).toEqual([0]);
    // Swapping an enum type converts every column of it.
    expect(pg('enum label removed').blocking.map((b) => [b.statement, b.message])).toEqual([
      [1, "rewrites table messages under an ACCESS EXCLUSIVE lock (alter enum type messages_content_type: remove 'video_url'): reads and writes wait until it ends"],
    ]);
    // A fix script is reviewed and run by hand: nothing marked.
    expect(planOf('integer widened to bigint', 'postgres', 'fix').blocking).toEqual([]);
  });

  it('tells binary-coercible type changes from rewrites (PostgreSQL 9.2+)', () => {
    const keeps: [string, string][] = [
      ['varchar(50)', 'varchar(100)'],
      ['varchar(50)', 'text'],
      ['varchar(20)[]', 'varchar(40)[]'],
      ['numeric(10,2)', 'numeric(12,2)'],
      ['numeric(10,2)', 'numeric'],
      ['timestamptz(3)', 'timestamptz(6)'],
      ['timestamptz(3)', 'timestamptz'],
    ];
    const rewrites: [string, string][] = [
      ['integer', 'bigint'],
      ['smallint', 'integer'],
      ['varchar(100)', 'varchar(50)'],
      ['text', 'varchar(300)'],
      ['text', 'jsonb'],
      ['numeric(10,2)', 'numeric(12,4)'],
      ['timestamp', 'timestamptz'],
      ['varchar(20)', 'varchar(20)[]'],
    ];
    for (const [a, b] of keeps) expect(typeChangeKeepsRows(a, b), `${a} -> ${b}`).toBe(true);
    for (const [a, b] of rewrites) expect(typeChangeKeepsRows(a, b), `${a} -> ${b}`).toBe(false);
  });

  it('marks a new column whose default differs per row, or an identity, as blocking; a constant or now() not', () => {
    const col = (name: string, more: Partial<Column>): Column => ({ name, type: 'uuid', nullable: true, default: null, autoIncrement: false, onUpdate: null, comment: null, ...more });
    const base = VARIANTS['agents/postgres']();
    const to = structuredClone(base);
    tableOf(to, 'files').columns.push(
      col('token', { default: 'gen_random_uuid()' }),
      col('seen_at', { type: 'timestamptz', default: 'now()' }),
      col('seq', { type: 'bigint', autoIncrement: true, nullable: false }),
    );
    const plan = planChange(base, to, { purpose: 'migration' });
    expect(sqlOf(plan)).toEqual([
      'ALTER TABLE "files" ADD COLUMN "seen_at" timestamptz DEFAULT now()',
      'ALTER TABLE "files" ADD COLUMN "seq" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL',
      'ALTER TABLE "files" ADD COLUMN "token" uuid DEFAULT gen_random_uuid()',
    ]);
    expect(plan.blocking.map((b) => b.statement)).toEqual([1, 2]);
    expect(addColumnRewrites(col('x', { default: "'a'" }))).toBe(false);
  });
});
