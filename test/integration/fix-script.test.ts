/**
 * `dbkit diff --sql` on real drift (issue 12, acceptance 7), on PostgreSQL
 * (the agents document run by hand through psql) and MariaDB (built by
 * `dbkit migrate`): the drift is made with admin SQL over data, the fix
 * script is piped through `psql -v ON_ERROR_STOP=1` / the `mariadb` client,
 * and then the schema diffs clean except what the script refused in a
 * comment, and no value changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json, type CliResult } from '../support/cli.js';
import { adminExec, dumpTables, freshMysql, freshPostgres, openAdmin, runMysqlClient, runPsql } from '../support/databases.js';

type Engine = 'postgres' | 'mysql';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

interface DiffJson {
  changes: { kind: string; table: string | null; name: string; message: string }[];
  dependentViews?: { view: string; table: string; column: string | null; message: string }[];
}

const AGENTS_DOC = fs.readFileSync(path.resolve(__dirname, '../fixtures/agents.doc.sql'), 'utf8');

const DATA = {
  agents: {
    postgres: `
      INSERT INTO users (id, username, email, password_hash) VALUES
        ('00000000-0000-4000-8000-000000000001', 'ada', 'ada@example.com', 'x'),
        ('00000000-0000-4000-8000-000000000002', 'bob', 'bob@example.com', 'y');
      INSERT INTO sessions (id, user_id, title) VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'first');`,
    mysql: `
      INSERT INTO users (id, username, email, password_hash) VALUES (1, 'ada', 'ada@example.com', 'x'), (2, 'bob', 'bob@example.com', 'y');
      INSERT INTO sessions (id, user_id, title) VALUES (1, 1, 'first');`,
  },
  chat: `
    INSERT INTO users (id, username, email, password_hash, nickname, phone) VALUES (1, 'ada', 'ada@example.com', 'x', 'Zoë', '+1 555');
    INSERT INTO conversations (id, user_id, title, model_name) VALUES (1, 1, 'first', 'gpt-x');`,
};

interface Target {
  engine: Engine;
  schema: 'agents' | 'chat';
  url: string;
  tables: string[];
}

/** PostgreSQL: the agents document by hand. MariaDB: `dbkit migrate` (utf8mb4 tables, whatever the server's default). */
async function build(engine: Engine, schema: 'agents' | 'chat' = engine === 'postgres' ? 'agents' : 'chat'): Promise<Target> {
  const db = engine === 'postgres' ? await freshPostgres('fix') : await freshMysql('fix');
  cleanups.push(db.drop);
  if (engine === 'postgres' && schema === 'agents') await runPsql(db.url, AGENTS_DOC);
  else {
    const r = await dbkit(['migrate', '--url', db.url, '--schema', schema]);
    expect(r.code, r.stderr).toBe(0);
  }
  await adminExec(db.url, schema === 'chat' ? DATA.chat : DATA.agents[engine]);
  return { engine, schema, url: db.url, tables: schema === 'chat' ? ['users', 'conversations'] : ['users', 'sessions'] };
}

async function dump(t: Target): Promise<string> {
  const db = await openAdmin(t.url);
  try {
    return await dumpTables(db, t.tables);
  } finally {
    await db.close();
  }
}

const fixScript = async (t: Target): Promise<CliResult> => {
  const r = await dbkit(['diff', '--sql', '--url', t.url, '--schema', t.schema]);
  expect(r.code, r.stderr).toBe(1);
  return r;
};
const apply = (t: Target, script: string) => (t.engine === 'postgres' ? runPsql(t.url, script) : runMysqlClient(t.url, script));
const changes = async (t: Target): Promise<string[]> =>
  json<DiffJson>(await dbkit(['diff', '--json', '--url', t.url, '--schema', t.schema])).changes.map((c) => `${c.kind} ${c.table}.${c.name}`);

/** Every commented-out statement after its reason: uncommented, it must be a complete statement. */
function commentedStatements(script: string): Array<{ reason: string; sql: string }> {
  const out: Array<{ reason: string; sql: string }> = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^-- ((?:refused|kept): .*)$/.exec(lines[i]!);
    if (!m) continue;
    const body: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.startsWith('-- ')) {
      body.push(lines[++i]!.slice(3));
      if (body[body.length - 1]!.endsWith(';')) break;
    }
    out.push({ reason: m[1]!, sql: body.join('\n') });
  }
  return out;
}

/** The script with the statements commented out for `why` uncommented (what a DBA does once they accept them). */
function uncomment(script: string, why: 'refused' | 'kept'): string {
  const refused = new Set(commentedStatements(script).filter((c) => c.reason.startsWith(why)).map((c) => c.sql));
  let out = script;
  for (const sql of refused) out = out.replace(sql.split('\n').map((l) => `-- ${l}`).join('\n'), sql);
  return out;
}

/** Run the fix script and check what is left: only `remaining`, values unchanged. */
async function fixAndCheck(t: Target, remaining: string[]): Promise<string> {
  const before = await dump(t);
  const { stdout } = await fixScript(t);
  for (const c of commentedStatements(stdout)) expect(c.sql, c.reason).toMatch(/;$/);
  await apply(t, stdout);
  expect((await changes(t)).sort()).toEqual([...remaining].sort());
  expect(await dump(t)).toBe(before);
  return stdout;
}

describe.each(['postgres', 'mysql'] as const)('fix scripts on %s', (engine) => {
  const pg = engine === 'postgres';

  it('refuse to narrow a widened varchar holding a longer value, and leave it intact', async () => {
    const t = await build(engine);
    const long = 'x'.repeat(280);
    await adminExec(
      t.url,
      pg
        ? `ALTER TABLE sessions ALTER COLUMN title TYPE varchar(300); UPDATE sessions SET title = '${long}'`
        : `ALTER TABLE conversations MODIFY title varchar(300) COMMENT 'Conversation title'; UPDATE conversations SET title = '${long}'`,
    );
    const table = pg ? 'sessions' : 'conversations';
    const script = await fixAndCheck(t, [`column_type ${table}.title`]);
    expect(script).toContain(`-- refused: it narrows column ${table}.title from varchar(300) to varchar(255) (values longer than 255 characters do not fit)`);
    expect(script).not.toMatch(/^[^-\n].*varchar\(255\)/m);
    expect(script).not.toMatch(/::varchar/);
  }, 180_000);

  it('recreate four dropped tables in dependency order, foreign keys last', async () => {
    const t = await build(engine, 'agents');
    await adminExec(t.url, pg ? 'DROP TABLE runs, messages, files, gallery CASCADE' : 'DROP TABLE messages, files, gallery, runs');
    const script = await fixAndCheck(t, []);
    const q = pg ? '"' : '`';
    const created = [...script.matchAll(new RegExp(`^CREATE TABLE ${q}(\\w+)${q}`, 'gm'))].map((m) => m[1]);
    expect(created).toEqual(['runs', 'files', 'gallery', 'messages']);
    expect(script.indexOf('FOREIGN KEY')).toBeGreaterThan(script.lastIndexOf('CREATE TABLE'));
    if (pg) expect(script).toMatch(/^BEGIN;$[\s\S]*^COMMIT;$/m);
  }, 180_000);

  it('comment out destructive statements so that two uncommented together run', async () => {
    const t = await build(engine);
    await adminExec(
      t.url,
      pg
        ? 'ALTER TABLE files ADD COLUMN checksum text; CREATE TABLE audit_log (id integer PRIMARY KEY, note text)'
        : 'ALTER TABLE messages ADD COLUMN edited_at timestamp NULL; CREATE TABLE audit_log (id int PRIMARY KEY, note text)',
    );
    const { stdout } = await fixScript(t);
    const refused = commentedStatements(stdout).filter((c) => c.reason.startsWith('refused'));
    expect(refused.map((c) => c.reason)).toEqual([
      pg ? 'refused: it drops column files.checksum (its values are lost)' : 'refused: it drops column messages.edited_at (its values are lost)',
      'refused: it drops table audit_log (its rows are lost)',
    ]);
    const before = await dump(t);
    await apply(t, uncomment(stdout, 'refused'));
    expect(await changes(t)).toEqual([]);
    expect(await dump(t)).toBe(before);
  }, 180_000);

  it('name a view that stands in the way, in the report and before the statement', async () => {
    const t = await build(engine);
    if (pg) {
      await adminExec(t.url, 'ALTER TABLE sessions ALTER COLUMN title TYPE varchar(100); CREATE VIEW session_titles AS SELECT id, title FROM sessions');
    } else {
      await adminExec(t.url, 'ALTER TABLE conversations ADD COLUMN legacy varchar(20); CREATE VIEW conversation_legacy AS SELECT id, legacy FROM conversations');
    }
    const message = pg
      ? 'View session_titles uses sessions.title: the statement fails while the view exists (drop the view first, create it again after).'
      : 'View conversation_legacy uses conversations.legacy: the statement leaves the view invalid (create it again after).';
    const report = await dbkit(['diff', '--url', t.url, '--schema', t.schema]);
    expect(report.stdout).toContain(message);
    const doc = json<DiffJson>(await dbkit(['diff', '--json', '--url', t.url, '--schema', t.schema]));
    expect(doc.dependentViews?.map((v) => v.message)).toEqual([message]);
    const { stdout } = await fixScript(t);
    const statement = pg
      ? 'ALTER TABLE "sessions" ALTER COLUMN "title" TYPE varchar(255);'
      : '-- refused: it drops column conversations.legacy (its values are lost)\n-- ALTER TABLE `conversations` DROP COLUMN `legacy`, ALGORITHM=INSTANT;';
    expect(stdout).toContain(`-- ${message}\n${statement}`);
    if (pg) {
      // As the comment says: the script fails while the view is there; without it, it runs.
      await expect(apply(t, stdout)).rejects.toThrow(/cannot alter type of a column used by a view or rule/);
      const before = await dump(t);
      await adminExec(t.url, 'DROP VIEW session_titles');
      await apply(t, stdout);
      await adminExec(t.url, 'CREATE VIEW session_titles AS SELECT id, title FROM sessions');
      expect(await changes(t)).toEqual([]);
      expect(await dump(t)).toBe(before);
    } else {
      await apply(t, stdout);
      expect(await changes(t)).toEqual(['column_extra conversations.legacy']);
    }
  }, 180_000);

  it('report an extra CHECK constraint and keep it, its drop commented out', async () => {
    const t = await build(engine);
    const table = pg ? 'sessions' : 'conversations';
    await adminExec(t.url, `ALTER TABLE ${table} ADD CONSTRAINT title_not_blank CHECK (title <> '')`);
    const script = await fixAndCheck(t, [`check_extra ${table}.title_not_blank`]);
    const kept = commentedStatements(script).find((c) => c.sql.includes('title_not_blank'))!;
    expect(kept.reason).toBe('kept: the CHECK constraint is not in the definition, but a DBA may have added it on purpose');
    expect(kept.sql).toBe(pg ? 'ALTER TABLE "sessions" DROP CONSTRAINT "title_not_blank";' : 'ALTER TABLE `conversations` DROP CONSTRAINT `title_not_blank`;');
    // Uncommented, the drop runs.
    await apply(t, uncomment(script, 'kept'));
    expect(await changes(t)).toEqual([]);
  }, 180_000);

  it('report collation and character set drift on defined columns, and repair it', async () => {
    const t = await build(engine);
    if (pg) {
      await adminExec(t.url, 'ALTER TABLE users ALTER COLUMN username TYPE varchar(50) COLLATE "C"');
      const found = json<DiffJson>(await dbkit(['diff', '--json', '--url', t.url, '--schema', t.schema])).changes;
      expect(found.map((c) => c.message)).toEqual(['Column users.username has collation C, expected the default.']);
      const script = await fixAndCheck(t, []);
      expect(script).toContain('ALTER TABLE "users" ALTER COLUMN "username" TYPE varchar(50);');
    } else {
      await adminExec(
        t.url,
        `ALTER TABLE users MODIFY nickname varchar(100) CHARACTER SET latin1 COMMENT 'User nickname', MODIFY phone varchar(20) COLLATE utf8mb4_bin COMMENT 'Phone number'`,
      );
      expect((await changes(t)).sort()).toEqual(['column_charset users.nickname', 'column_collation users.phone']);
      const script = await fixAndCheck(t, []);
      expect(script).toContain("MODIFY COLUMN `nickname` varchar(100) COMMENT 'User nickname'");
    }
  }, 180_000);

  it('report extra triggers (and on PostgreSQL an extra GIN index), their drops commented out', async () => {
    const t = await build(engine);
    if (pg) {
      await adminExec(
        t.url,
        `CREATE INDEX sessions_config_gin ON sessions USING gin (config);
         CREATE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER sessions_audit AFTER INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION audit_fn()`,
      );
      const script = await fixAndCheck(t, ['index_extra sessions.sessions_config_gin', 'trigger_extra sessions.sessions_audit']);
      expect(commentedStatements(script).map((c) => c.sql)).toEqual(['DROP TRIGGER "sessions_audit" ON "sessions";', 'DROP INDEX "sessions_config_gin";']);
      await apply(t, uncomment(script, 'kept'));
      expect(await changes(t)).toEqual([]);
    } else {
      await adminExec(t.url, 'CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.status = NEW.status');
      const found = json<DiffJson>(await dbkit(['diff', '--json', '--url', t.url, '--schema', t.schema])).changes;
      expect(found.map((c) => c.message)).toEqual(['Trigger users_touch (BEFORE UPDATE on users) is not in the definition.']);
      const script = await fixAndCheck(t, ['trigger_extra users.users_touch']);
      expect(commentedStatements(script)).toEqual([
        { reason: 'kept: the trigger is not in the definition, but a DBA may have added it on purpose', sql: 'DROP TRIGGER `users_touch`;' },
      ]);
      await apply(t, uncomment(script, 'kept'));
      expect(await changes(t)).toEqual([]);
    }
  }, 180_000);
});
