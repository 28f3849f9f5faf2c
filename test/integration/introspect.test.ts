/**
 * Introspection + normalizer on real engines. Each schema document's SQL is
 * run by hand (through psql / the mariadb client, or statement by statement
 * on PGlite); what the introspector reads back, normalized, must equal the
 * normalized expected variant (constraint names the documents leave to the
 * engine aside). The other two variants are built from dbkit's own DDL.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlDdl } from '../../dialects/mysql/ddl.js';
import { introspectMysql } from '../../dialects/mysql/introspect.js';
import { knexSql } from '../../src/db/sql.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { postgresDdl } from '../../dialects/postgres/ddl.js';
import { introspectPostgres } from '../../dialects/postgres/introspect.js';
import { postgresRules } from '../../dialects/postgres/types.js';
import { agents } from '../../src/schema/agents.js';
import { chat } from '../../src/schema/chat.js';
import { variantSteps } from '../../src/schema/ddl.js';
import type { SchemaDef } from '../../src/schema/definition.js';
import type { DbSchema, Table } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import type { VariantRules } from '../../src/schema/variant.js';
import { freshMysql, freshPostgres, runMysqlClient, runPsql, type FreshDatabase } from '../support/databases.js';

// ------------------------------------------------------------------ helpers

const DOCS = path.resolve(__dirname, '../../../shared/schema-docs');
const FIXTURES = path.resolve(__dirname, '../fixtures');

/** The ```sql blocks of a schema document (or the checked-in copy when the documents are not at hand). */
function documentSql(doc: string, fixture: string): string {
  const file = path.join(DOCS, doc);
  if (!fs.existsSync(file)) return fs.readFileSync(path.join(FIXTURES, fixture), 'utf8');
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
}

const AGENTS_SQL = documentSql('000_f30492a7c44bdc9e.txt', 'agents.doc.sql');
const CHAT_SQL = documentSql('003_415f29d6d8534f6b.txt', 'chat.doc.sql');

/** Split a plain DDL script (no semicolons inside literals, `--` comments only) into statements. */
const statements = (sql: string): string[] =>
  sql
    .replace(/--[^\n]*/g, '')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Constraint names the design leaves to the engine are compared by structure: blank them. */
function structure(schema: DbSchema): DbSchema {
  return {
    ...schema,
    tables: schema.tables.map(
      (t): Table => ({
        ...t,
        primaryKey: t.primaryKey && { ...t.primaryKey, name: null },
        uniques: t.uniques.map((u) => ({ ...u, name: null })),
        foreignKeys: t.foreignKeys.map((f) => ({ ...f, name: null })),
        // MySQL's own foreign-key index is not marked in the catalog: compare it by name and columns.
        indexes: t.indexes.map(({ implicit: _implicit, ...i }) => i),
      }),
    ),
  };
}

const expectedOf = (def: SchemaDef, rules: VariantRules): DbSchema => normal(resolveSchema(def, rules));

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

async function fresh(engine: 'postgres' | 'mysql'): Promise<FreshDatabase> {
  const db = engine === 'postgres' ? await freshPostgres('introspect') : await freshMysql('introspect');
  cleanups.push(db.drop);
  return db;
}

function open(engine: 'postgres' | 'mysql', url: string): Knex {
  const k = knexFactory(engine === 'postgres' ? { client: 'pg', connection: url } : { client: 'mysql2', connection: url });
  cleanups.push(() => k.destroy());
  return k;
}

/** Introspect while counting the statements sent. */
async function introspectCounting(engine: 'postgres' | 'mysql', k: Knex, namespace: string) {
  let queries = 0;
  const count = (): void => void queries++;
  k.on('query', count);
  try {
    const schema = engine === 'postgres' ? await introspectPostgres(knexSql(k, 'postgres'), namespace) : await introspectMysql(knexSql(k, 'mysql'), namespace);
    return { schema, queries };
  } finally {
    k.off('query', count);
  }
}

// -------------------------------------------------------------- documents

describe('the agents document on PostgreSQL', () => {
  it('reads back as the expected PostgreSQL variant', async () => {
    const db = await fresh('postgres');
    await runPsql(db.url, AGENTS_SQL);
    const k = open('postgres', db.url);
    const { schema } = await introspectCounting('postgres', k, 'public');
    const actual = normal(schema);
    expect(structure(actual)).toEqual(structure(expectedOf(agents, postgresRules)));

    // The engine's names for the constraints the document leaves unnamed.
    const users = actual.tables.find((t) => t.name === 'users')!;
    expect(users.primaryKey).toEqual({ name: 'users_pkey', columns: ['id'] });
    expect(users.uniques.map((u) => u.name)).toEqual(['users_email_key', 'users_username_key']);
    const settings = actual.tables.find((t) => t.name === 'settings')!;
    expect(settings.uniques).toEqual([{ name: 'settings_user_id_key_key', columns: ['user_id', 'key'] }]);
    expect(settings.foreignKeys[0]!.name).toBe('settings_user_id_fkey');
  });

  it('reads the same on PGlite (statement by statement, in memory)', async () => {
    const { default: ClientPgLite } = await import('knex-pglite');
    const k = knexFactory({
      client: ClientPgLite as unknown as Knex.Config['client'],
      dialect: 'postgres',
      connection: {},
    } as Knex.Config);
    cleanups.push(() => k.destroy());
    for (const statement of statements(AGENTS_SQL)) await k.raw(statement);
    const { schema, queries } = await introspectCounting('postgres', k, 'public');
    expect(queries).toBe(7);
    expect(structure(normal(schema))).toEqual(structure(expectedOf(agents, postgresRules)));
  });
});

describe('the chat document on MariaDB', () => {
  it('reads back as the expected MySQL variant', async () => {
    const db = await fresh('mysql');
    await runMysqlClient(db.url, CHAT_SQL);
    const k = open('mysql', db.url);
    const { schema } = await introspectCounting('mysql', k, db.name);
    const actual = normal(schema);
    const expected = expectedOf(chat, mysqlRules);
    expect(structure(actual)).toEqual(structure(expected));

    // MariaDB names the index it makes for an unindexed foreign key after the
    // key's first column, which is the name the expected variant gives it.
    const apiCalls = (s: DbSchema) => s.tables.find((t) => t.name === 'api_calls')!;
    const implicit = apiCalls(expected).indexes.filter((i) => i.implicit);
    expect(implicit.map((i) => i.name)).toEqual(['conversation_id', 'message_id']);
    for (const e of implicit) {
      expect(apiCalls(actual).indexes.find((i) => i.name === e.name)).toEqual({ ...e, implicit: undefined });
    }
    // ... and the constraints `<table>_ibfk_<n>`; the unique keys after their column.
    expect(apiCalls(actual).foreignKeys.map((f) => f.name)).toEqual(['api_calls_ibfk_2', 'api_calls_ibfk_3', 'api_calls_ibfk_1']);
    expect(actual.tables.find((t) => t.name === 'users')!.uniques.map((u) => u.name)).toEqual(['email', 'username']);
  });
});

// ----------------------------------------------- dbkit's DDL, the other variants

describe("dbkit's DDL reads back as the variant it was emitted from", () => {
  it('chat on PostgreSQL: enum types, triggers, comments, explicit FK indexes; outside the search_path', async () => {
    const db = await fresh('postgres');
    const expected = resolveSchema(chat, postgresRules);
    const ddl = variantSteps(expected, postgresDdl).flatMap((s) => s.up);
    await runPsql(db.url, ['CREATE SCHEMA chat_ns', 'SET search_path TO chat_ns', ...ddl].map((s) => `${s};\n`).join(''));
    const k = open('postgres', db.url); // search_path stays "$user", public
    const actual = normal((await introspectCounting('postgres', k, 'chat_ns')).schema);
    expect(structure(actual)).toEqual(structure(normal(expected)));
    expect(actual.enums.map((e) => e.name)).toEqual(['messages_content_type', 'messages_role']);
    expect(actual.triggers).toEqual([
      { name: 'trg_conversations_updated_at', table: 'conversations', timing: 'BEFORE UPDATE', function: 'set_updated_at' },
      { name: 'trg_users_updated_at', table: 'users', timing: 'BEFORE UPDATE', function: 'set_updated_at' },
    ]);
    // Nothing of it is visible in public.
    expect((await introspectPostgres(knexSql(k, 'postgres'), 'public')).tables).toEqual([]);
  });

  it('agents on MariaDB: JSON columns (LONGTEXT + json_valid), varchar defaults, implicit FK index', async () => {
    const db = await fresh('mysql');
    const expected = resolveSchema(agents, mysqlRules);
    const k = open('mysql', db.url);
    for (const statement of variantSteps(expected, mysqlDdl).flatMap((s) => s.up)) await k.raw(statement);
    const actual = normal((await introspectCounting('mysql', k, db.name)).schema);
    expect(structure(actual)).toEqual(structure(normal(expected)));
    const gallery = actual.tables.find((t) => t.name === 'gallery')!;
    expect(gallery.columns.find((c) => c.name === 'tags')!.type).toBe('json');
    expect(gallery.indexes.map((i) => i.name)).toEqual(['idx_gallery_user_id', 'run_id']);
  });
});

// ---------------------------------------------------------------- cost, scope

describe('introspection cost and scope', () => {
  const extraTables = (n: number, engine: 'postgres' | 'mysql') =>
    Array.from({ length: n }, (_, i) =>
      engine === 'postgres'
        ? `CREATE TABLE extra_${i} (id integer PRIMARY KEY, ref integer REFERENCES extra_0(id), note text UNIQUE)`
        : `CREATE TABLE extra_${i} (id int PRIMARY KEY, ref int, note varchar(10) UNIQUE, FOREIGN KEY (ref) REFERENCES extra_0(id))`,
    );

  it.each(['postgres', 'mysql'] as const)('%s: a constant number of catalog queries; dbkit_ tables left out', async (engine) => {
    const db = await fresh(engine);
    const k = open(engine, db.url);
    const ns = engine === 'postgres' ? 'public' : db.name;
    for (const s of extraTables(1, engine)) await k.raw(s);
    await k.raw('CREATE TABLE dbkit_migrations (id integer PRIMARY KEY, name varchar(255))');
    const few = await introspectCounting(engine, k, ns);
    for (const s of extraTables(12, engine).slice(1)) await k.raw(s);
    const many = await introspectCounting(engine, k, ns);
    expect(few.schema.tables.map((t) => t.name)).toEqual(['extra_0']);
    expect(many.schema.tables).toHaveLength(12);
    expect(many.queries).toBe(few.queries);
    expect(many.queries).toBeLessThanOrEqual(8);
  });

  it('postgres: partial, expression, non-btree and invalid-looking indexes; serial and identity columns', async () => {
    const db = await fresh('postgres');
    const k = open('postgres', db.url);
    await k.raw(`CREATE TABLE t (
      id serial PRIMARY KEY,
      big bigint GENERATED ALWAYS AS IDENTITY,
      email varchar(100),
      "timestamp" timestamptz DEFAULT now(),
      tags text[] DEFAULT '{}',
      data jsonb
    )`);
    await k.raw('CREATE INDEX t_partial ON t (email) WHERE email IS NOT NULL');
    await k.raw('CREATE UNIQUE INDEX t_lower ON t (lower(email))');
    await k.raw('CREATE INDEX t_gin ON t USING gin (data)');
    await k.raw('CREATE INDEX t_ts ON t ("timestamp" DESC)');
    const t = normal(await introspectPostgres(knexSql(k, 'postgres'), 'public')).tables[0]!;
    expect(t.columns.map((c) => [c.name, c.type, c.default, c.autoIncrement])).toEqual([
      ['id', 'integer', null, true],
      ['big', 'bigint', null, true],
      ['email', 'varchar(100)', null, false],
      ['timestamp', 'timestamptz', 'CURRENT_TIMESTAMP', false],
      ['tags', 'text[]', "'{}'", false],
      ['data', 'jsonb', null, false],
    ]);
    expect(t.indexes).toEqual([
      { name: 't_gin', columns: ['data'], unique: false, method: 'gin', where: null },
      { name: 't_lower', columns: ['lower(email::text)'], unique: true, method: 'btree', where: null },
      { name: 't_partial', columns: ['email'], unique: false, method: 'btree', where: 'email IS NOT NULL' },
      { name: 't_ts', columns: ['timestamp'], unique: false, method: 'btree', where: null },
    ]);
  });
});

// ------------------------------------- collations, CHECKs, triggers, views

describe('what a DBA adds: collations, CHECK constraints, triggers, views', () => {
  it('postgres: an explicit collation, a CHECK (NOT VALID too), the views that use each column', async () => {
    const db = await fresh('postgres');
    const k = open('postgres', db.url);
    await k.raw(`CREATE TABLE t (id integer PRIMARY KEY, title varchar(50) COLLATE "C", body text COLLATE "default", n integer)`);
    await k.raw(`ALTER TABLE t ADD CONSTRAINT title_not_empty CHECK (title <> '')`);
    await k.raw('ALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID');
    await k.raw('CREATE VIEW v_titles AS SELECT id, title FROM t');
    await k.raw('CREATE SCHEMA reports');
    await k.raw('CREATE VIEW reports.v_n AS SELECT n FROM public.t');
    const s = normal(await introspectPostgres(knexSql(k, 'postgres'), 'public'));
    const t = s.tables[0]!;
    expect(t.columns.map((c) => [c.name, c.collation ?? null])).toEqual([
      ['id', null],
      ['title', 'C'],
      ['body', null],
      ['n', null],
    ]);
    expect(t.checks).toEqual([
      { name: 'n_positive', expression: 'n > 0' },
      { name: 'title_not_empty', expression: "(title)::text <> ''::text" },
    ]);
    expect(s.views).toEqual([
      { view: 'reports.v_n', table: 't', column: 'n' },
      { view: 'v_titles', table: 't', column: 'id' },
      { view: 'v_titles', table: 't', column: 'title' },
    ]);
  });

  it("mariadb: a column's character set and collation against its table's, CHECKs but not JSON's own, triggers, views", async () => {
    const db = await fresh('mysql');
    const k = open('mysql', db.url);
    await k.raw(
      `CREATE TABLE t (id int PRIMARY KEY, title varchar(50) CHARACTER SET latin1, code varchar(10) COLLATE utf8mb4_bin,
        body text, doc json, n int, CONSTRAINT n_positive CHECK (n > 0)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
    );
    await k.raw('CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW SET NEW.n = NEW.n + 1');
    await k.raw('CREATE VIEW v_titles AS SELECT id, title FROM t');
    const s = normal(await introspectMysql(knexSql(k, 'mysql'), db.name));
    const t = s.tables[0]!;
    expect(t.columns.map((c) => [c.name, c.type, c.charset ?? null, c.collation ?? null])).toEqual([
      ['id', 'int', null, null],
      ['title', 'varchar(50)', 'latin1', null],
      ['code', 'varchar(10)', null, 'utf8mb4_bin'],
      ['body', 'text', null, null],
      ['doc', 'json', null, null],
      ['n', 'int', null, null],
    ]);
    expect(t.checks).toEqual([{ name: 'n_positive', expression: '`n` > 0' }]);
    expect(s.triggers).toEqual([{ name: 't_touch', table: 't', timing: 'BEFORE UPDATE', function: '' }]);
    expect(s.views).toEqual([
      { view: 'v_titles', table: 't', column: 'id' },
      { view: 'v_titles', table: 't', column: 'title' },
    ]);
  });
});
