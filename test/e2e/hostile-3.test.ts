/**
 * Hostile cases found by the review of issue 20, through the real binary:
 * - a definition name with a line break (a column named
 *   'x\nDROP TABLE gallery;\n--', an index name) left the SQL header comment
 *   of the migration make wrote, and migrate ran the hidden statement: make
 *   now refuses such names (exit 2, each problem on a line of its own) and
 *   nothing is written, so nothing runs; a default or a comment that spans
 *   lines (a line "DROP TABLE gallery;" in it) is allowed, is a quoted literal
 *   in the statement and comment lines in the header, migrate --dry-run lists
 *   exactly the planned statements, and every engine stores the text as written;
 * - system namespaces are refused (exit 2 naming them) from the flag, the
 *   config file and a targets file, before anything connects or is written;
 * - a dbkit_checksums of 0.1.0's shape in a database dbkit never touched
 *   (no dbkit_migrations beside it) is not taken for dbkit's (exit 5), and
 *   nothing is changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkout } from '../support/checkout.js';
import { dbkit, json, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPglite, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-hostile3-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

type Engine = 'postgres' | 'pglite' | 'mysql';
async function fresh(engine: Engine, prefix: string): Promise<FreshDatabase> {
  const db = engine === 'postgres' ? await freshPostgres(prefix) : engine === 'mysql' ? await freshMysql(prefix) : await freshPglite(prefix);
  dbs.push(db);
  return db;
}

const tablesOf = async (url: string): Promise<string[]> =>
  (
    await adminQuery<{ t: string }>(
      url,
      url.startsWith('mysql')
        ? 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'
        : "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
  ).map((r) => r.t);

const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

/** The lines of stderr after the first: one per problem. */
const problemLines = (r: CliResult): string[] => r.stderr.trimEnd().split('\n').slice(1).map((l) => l.trim());

describe('a line break in a definition name never reaches a SQL file', () => {
  it("the review's column 'x\\nDROP TABLE gallery;\\n--' and index names with line breaks: make exits 2 naming each, writes nothing; migrate on PostgreSQL and PGlite keeps gallery", async () => {
    const co = checkout(tmp());
    co.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", "{ name: 'title', type: t.varchar(255), notNull: true },\n        { name: 'x\\nDROP TABLE gallery;\\n--', type: t.text() },");
    co.edit(
      'agents.ts',
      "{ name: 'idx_runs_status', columns: ['status'] },",
      "{ name: 'idx_runs_status', columns: ['status'] },\n        { name: 'idx_runs_x\\rDROP TABLE gallery;', columns: ['task'] },\n        { name: 'idx_runs_y\\u2028DROP TABLE users;', columns: ['status'] },",
    );
    const before = listing(path.join(co.root, 'migrations'));
    const r = await co.run(['make', 'nl', '--schema', 'agents']);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('dbkit: make: the definition of agents in src/schema/ has 3 problems: fix them, then make again (nothing was written)');
    expect(problemLines(r).sort()).toEqual(
      [
        'a column of sessions "x\\nDROP TABLE gallery;\\n--": a name may not hold a control or format character or a line break (U+000A)',
        'an index of runs "idx_runs_x\\rDROP TABLE gallery;": a name may not hold a control or format character or a line break (U+000D)',
        'an index of runs "idx_runs_y\\u{2028}DROP TABLE users;": a name may not hold a control or format character or a line break (U+2028)',
      ].sort(),
    );
    expect(r.stdout).toBe('');
    expect(listing(path.join(co.root, 'migrations'))).toEqual(before);

    for (const engine of ['postgres', 'pglite'] as const) {
      const db = await fresh(engine, 'nl_name');
      const m = await co.run(['migrate', '--url', db.url, '--schema', 'agents', '--json']);
      expect(m.code, m.stderr).toBe(0);
      expect(json<{ migrations: unknown[] }>(m).migrations).toHaveLength(7);
      expect(await tablesOf(db.url)).toContain('gallery');
    }
  }, 240_000);

  it('a default and a comment that span lines are quoted literals in the statements and comment lines in the header; PostgreSQL, PGlite and MariaDB store them as written', async () => {
    const co = checkout(tmp());
    const comment = 'two lines\n-- and a third; DROP TABLE gallery;\nend';
    const title = "untitled\nDROP TABLE gallery;\n-- it's \\n";
    // ALTER COLUMN ... SET DEFAULT: its header line ("does: alter column sessions.title: default '...'") quotes the default.
    co.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", `{ name: 'title', type: t.varchar(255), notNull: true, default: str(${JSON.stringify(title)}) },`);
    co.edit('agents.ts', "{ name: 'username', type: t.varchar(50), unique: true, notNull: true },", `{ name: 'username', type: t.varchar(50), unique: true, notNull: true, comment: ${JSON.stringify(comment)} },`);
    const made = await co.run(['make', 'title_text', '--schema', 'agents']);
    expect(made.code, made.stderr).toBe(0);
    const dir = path.join(co.root, 'migrations', 'agents', co.migrations('agents').at(-1)!);

    const sqlLiteral = (s: string, mysql: boolean) => `'${(mysql ? s.replace(/\\/g, '\\\\') : s).replace(/'/g, "''")}'`;
    const expected = {
      postgres: [
        `ALTER TABLE "sessions" ALTER COLUMN "title" SET DEFAULT ${sqlLiteral(title, false)}`,
        `COMMENT ON COLUMN "users"."username" IS ${sqlLiteral(comment, false)}`,
      ],
      mysql: [
        `ALTER TABLE \`sessions\` ALTER COLUMN \`title\` SET DEFAULT ${sqlLiteral(title, true)}, ALGORITHM=INSTANT`,
        `ALTER TABLE \`users\` MODIFY COLUMN \`username\` varchar(50) NOT NULL COMMENT ${sqlLiteral(comment, true)}, ALGORITHM=INPLACE, LOCK=NONE`,
      ],
    };
    for (const dialect of ['postgres', 'mysql'] as const) {
      const text = fs.readFileSync(path.join(dir, `${dialect}.up.sql`), 'utf8');
      const header = text.slice(0, text.indexOf(expected[dialect][0]!)).split('\n').filter((l) => l !== '');
      expect(header.length).toBeGreaterThan(2);
      for (const line of header) expect(line, `${dialect}.up.sql header`).toMatch(/^--( |> statement-breakpoint$)/);
      expect(header).toContain('-- DROP TABLE gallery;');
      expect(text).toContain(expected[dialect].join(`;\n--> statement-breakpoint\n`));
    }

    // check replays the files (PGlite) and lints them: what they hold is what was planned.
    const check = await co.run(['check', '--schema', 'agents']);
    expect(check.code, check.stdout + check.stderr).toBe(0);

    for (const engine of ['postgres', 'pglite', 'mysql'] as const) {
      const db = await fresh(engine, 'nl_text');
      const args = ['--url', db.url, '--schema', 'agents'];
      // The dry run lists exactly the planned statements of the new migration.
      const dry = await co.run(['migrate', ...args, '--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      const listed = dry.stdout.slice(dry.stdout.indexOf('_title_text (up)\n') + '_title_text (up)\n'.length);
      expect(listed).toBe(`${expected[engine === 'mysql' ? 'mysql' : 'postgres'].map((s) => `${s};\n`).join('')}`);

      const m = await co.run(['migrate', ...args, '--quiet']);
      expect(m.code, m.stderr).toBe(0);
      expect(await tablesOf(db.url)).toContain('gallery');
      const d = await co.run(['diff', ...args]);
      expect(d.code, d.stdout).toBe(0);
      const my = engine === 'mysql';
      const [user] = await adminQuery<{ id: unknown }>(db.url, my ? 'SELECT 1 AS id' : "INSERT INTO users (username, email, password_hash) VALUES ('u', 'e', 'p') RETURNING id");
      if (my) await adminExec(db.url, "INSERT INTO users (username, email, password_hash) VALUES ('u', 'e', 'p'); INSERT INTO sessions (user_id) SELECT id FROM users");
      else await adminQuery(db.url, 'INSERT INTO sessions (user_id) VALUES ($1)', [user!.id]);
      const [row] = await adminQuery<{ title: string; c: string }>(
        db.url,
        my
          ? "SELECT s.title, c.COLUMN_COMMENT AS c FROM sessions s, information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME = 'users' AND c.COLUMN_NAME = 'username'"
          : "SELECT title, col_description('users'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'username')::int) AS c FROM sessions",
      );
      expect(row).toEqual({ title, c: comment });
    }
  }, 300_000);
});

describe('make names every problem in one run', () => {
  it('an index on a missing column no longer hides a duplicate index name (PostgreSQL: per schema) nor a key MySQL cannot build', async () => {
    const co = checkout(tmp());
    co.edit(
      'agents.ts',
      "      indexes: [{ name: 'idx_sessions_user_id', columns: ['user_id'] }],",
      "      indexes: [{ name: 'idx_sessions_user_id', columns: ['user_id'] }, { name: 'idx_sessions_nope', columns: ['nope'] }, { name: 'idx_runs_status', columns: ['title'] }],",
    );
    co.edit('agents.ts', "        { name: 'idx_messages_timestamp', columns: ['timestamp'] },\n", "        { name: 'idx_messages_timestamp', columns: ['timestamp'] },\n        { name: 'idx_messages_kind', columns: ['message_type', 'sender', 'content'] },\n");
    const r = await co.run(['make', 'three', '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('dbkit: make: the definition of agents in src/schema/ has 3 problems: fix them, then make again (nothing was written)');
    expect(problemLines(r).sort()).toEqual(
      [
        'index idx_sessions_nope on table sessions names column nope, which the table does not have',
        'on postgres the name idx_runs_status is taken 2 times (an index of table sessions, an index of table runs): index names are per schema there',
        'index idx_messages_kind of table messages on mysql: column content is text, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
      ].sort(),
    );
    expect(co.migrations('agents')).toHaveLength(7);
  }, 120_000);
});

describe('a system namespace is refused (exit 2 naming it), from the flag, the config file and a targets file; nothing is created', () => {
  /** Every relation named dbkit* in the database (PostgreSQL: any schema of it; MariaDB: it and the system databases). */
  const dbkitObjects = async (url: string): Promise<string[]> =>
    (
      await adminQuery<{ o: string }>(
        url,
        url.startsWith('mysql')
          ? "SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS o FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'dbkit%' AND TABLE_SCHEMA IN ('mysql', 'information_schema', 'performance_schema', 'sys', DATABASE()) ORDER BY 1"
          : "SELECT n.nspname || '.' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname LIKE 'dbkit%' ORDER BY 1",
      )
    ).map((r) => r.o);

  it.each([
    ['postgres', ['information_schema', 'pg_catalog', 'pg_toast', 'pg_temp', 'pg_temp_3', 'pg_toast_temp_1', 'pg_mine']],
    ['pglite', ['information_schema', 'pg_temp']],
    ['mysql', ['mysql', 'information_schema', 'performance_schema', 'sys', 'MySQL']],
  ] as const)('%s: --namespace %j', async (engine, names) => {
    const db = await fresh(engine, 'sysns');
    for (const ns of names) {
      const r = await dbkit(['migrate', '--url', db.url, '--namespace', ns]);
      expect(r.code, `${ns}: ${r.stderr}`).toBe(2);
      expect(r.stderr, ns).toMatch(new RegExp(`^dbkit: --namespace ${ns}: .*(system|temporary|reserves|out-of-line|catalog).*; dbkit creates and changes its tables there, so it refuses: give a namespace of your own\\n$`));
      expect(r.stdout).toBe('');
    }
    expect(await dbkitObjects(db.url)).toEqual([]);
    // A namespace of its own still works.
    const own = engine === 'mysql' ? db.name : 'app';
    expect((await dbkit(['migrate', '--url', db.url, '--namespace', own, '--quiet'])).code).toBe(0);
    expect((await dbkitObjects(db.url)).length).toBeGreaterThan(0);
  }, 180_000);

  it('the config file\'s "namespace" and a targets file\'s target are named as the source', async () => {
    const [pgDb, myDb] = [await fresh('postgres', 'sysns_cfg'), await fresh('mysql', 'sysns_cfg')];
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ url: pgDb.url, namespace: 'information_schema' }));
    const r = await dbkit(['migrate'], { cwd: dir, env: { DATABASE_URL: undefined } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      `dbkit: "namespace" in ${path.join(dir, 'dbkit.config.json')} information_schema: information_schema is the SQL-standard catalog of PostgreSQL; dbkit creates and changes its tables there, so it refuses: give a namespace of your own\n`,
    );

    const targets = path.join(dir, 'targets.json');
    fs.writeFileSync(targets, JSON.stringify({ targets: [{ name: 'app', url: pgDb.url }, { name: 'sys', url: myDb.url, namespace: 'mysql' }] }));
    const t = await dbkit(['migrate', '--targets', targets, '--json']);
    expect(t.code, t.stderr).toBe(2);
    expect(json<{ error: { message: string } }>(t).error.message).toBe(
      `targets file ${targets}, target sys: "namespace" mysql: mysql is a system database of MySQL/MariaDB (mysql, information_schema, performance_schema, sys); dbkit creates and changes its tables there, so it refuses: give a namespace of your own`,
    );
    // Refused before any target ran: the other target's database is untouched too.
    expect(await dbkitObjects(pgDb.url)).toEqual([]);
    expect(await dbkitObjects(myDb.url)).toEqual([]);
  }, 180_000);
});

describe("a dbkit_checksums of 0.1.0's shape in a database dbkit never migrated is not dbkit's", () => {
  /** The namespace's relations with kind, columns, types and comment, and the rows of dbkit_checksums. */
  async function snapshot(url: string): Promise<string> {
    const my = url.startsWith('mysql');
    const catalog = await adminQuery(
      url,
      my
        ? `SELECT t.TABLE_NAME AS t, t.TABLE_TYPE AS k, t.TABLE_COMMENT AS c, GROUP_CONCAT(CONCAT(col.COLUMN_NAME, ' ', col.COLUMN_TYPE) ORDER BY col.ORDINAL_POSITION) AS cols
           FROM information_schema.TABLES t LEFT JOIN information_schema.COLUMNS col ON col.TABLE_SCHEMA = t.TABLE_SCHEMA AND col.TABLE_NAME = t.TABLE_NAME
           WHERE t.TABLE_SCHEMA = DATABASE() GROUP BY t.TABLE_NAME, t.TABLE_TYPE, t.TABLE_COMMENT ORDER BY 1`
        : `SELECT c.relname AS t, c.relkind::text AS k, obj_description(c.oid, 'pg_class') AS c,
             string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ',' ORDER BY a.attnum) AS cols
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname = 'public' GROUP BY c.oid, c.relname, c.relkind ORDER BY 1`,
    );
    const rows = await adminQuery(url, 'SELECT * FROM dbkit_checksums ORDER BY 1');
    return JSON.stringify({ catalog, rows });
  }

  it.each(['postgres', 'mysql'] as const)('%s: migrate, status and diff refuse it (exit 5) and change nothing', async (engine) => {
    const db = await fresh(engine, 'foreign_sums');
    await adminExec(
      db.url,
      "CREATE TABLE dbkit_checksums (name varchar(255) NOT NULL PRIMARY KEY, checksum varchar(64) NOT NULL); INSERT INTO dbkit_checksums VALUES ('invoice-2024', 'paid'), ('invoice-2025', 'open')",
    );
    const before = await snapshot(db.url);
    for (const args of [['migrate'], ['migrate', '--dry-run'], ['status'], ['diff']]) {
      const r = await dbkit([...args, '--url', db.url]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(5);
      expect(r.stderr, args.join(' ')).toMatch(
        /^dbkit: refusing to use dbkit's bookkeeping: \S*dbkit_checksums is a table of dbkit's shape without dbkit's marker and without \S*dbkit_migrations beside it \(an older dbkit made it only together with dbkit_migrations\), so it is not dbkit's\. dbkit did not create it/,
      );
      expect(await snapshot(db.url), args.join(' ')).toBe(before);
    }
  }, 180_000);
});
