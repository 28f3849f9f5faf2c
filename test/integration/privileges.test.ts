/**
 * Limited roles (issue 11, acceptance 4), on the suite's servers, against a
 * database an admin migrated and seeded: CONNECT-only, SELECT-only and
 * CREATE-without-table-rights roles get one line naming the privilege, the
 * object and the role (exit 7) from status, rollback, migrate and seed;
 * diff and check-indexes report from what the role can see and say what it
 * could not read, or stop where what is hidden would make the report wrong
 * (MariaDB hides a SELECT-only user's view of foreign keys). Never "0
 * applied", "nothing to roll back", invented pending migrations or missing
 * foreign keys; nothing written. Every run through the real binary, plain
 * and --json.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, json, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPostgres, mysqlAdminUrl, pgAdminUrl, type FreshDatabase } from '../support/databases.js';

const tag = randomBytes(3).toString('hex');
const PASSWORD = 'role-pw-1';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  // In order: a database goes before its roles (PostgreSQL keeps a role with privileges in it).
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

const asRole = (url: string, user: string): string => {
  const u = new URL(url);
  u.username = user;
  u.password = PASSWORD;
  return u.toString();
};

async function snapshot(url: string): Promise<string> {
  const mysql = url.startsWith('mysql');
  const tables = await adminQuery<{ t: string }>(
    url,
    mysql
      ? 'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'
      : "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
  );
  const parts = [tables.map((r) => r.t).join(',')];
  for (const sql of ['SELECT name, batch FROM dbkit_migrations ORDER BY id', 'SELECT * FROM dbkit_migrations_lock', 'SELECT name, checksum FROM dbkit_checksums ORDER BY name', 'SELECT count(*) AS n FROM users']) {
    parts.push(JSON.stringify(await adminQuery(url, sql)));
  }
  if (mysql) parts.push(JSON.stringify(await adminQuery(url, "SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'FOREIGN KEY' ORDER BY 1, 2")));
  return parts.join('\n');
}

async function inBatches<T>(tasks: (() => Promise<T>)[], size = 4): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += size) out.push(...(await Promise.all(tasks.slice(i, i + size).map((t) => t()))));
  return out;
}

/** The one error line, the same in --json; never a wrong state. */
function expectRefusal(r: CliResult, code: number, jsonMode: boolean, ...says: RegExp[]): void {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  for (const s of says) expect(lines[0]).toMatch(s);
  expect(r.stderr).not.toMatch(/0 applied|nothing to roll back|pending|already exists|^\s*(update|insert|create table)/im);
  if (jsonMode) expect(json<{ error: { exitCode: number; message: string } }>(r).error).toEqual({ exitCode: code, message: lines[0]!.replace(/^dbkit: /, '') });
  else expect(r.stdout).toBe('');
}

interface Case {
  args: string[];
  code: number;
  says: RegExp[];
}

/** Each case plain and with --json, a few at a time; then the database is as the admin left it. */
async function refusals(db: FreshDatabase, url: string, cases: Case[]): Promise<void> {
  const before = await snapshot(db.url);
  const runs = cases.flatMap((c) => [false, true].map((j) => ({ ...c, json: j, argv: [...c.args, ...(j ? ['--json'] : []), '--url', url] })));
  const results = await inBatches(runs.map((r) => () => dbkit(r.argv)));
  runs.forEach((run, i) => expectRefusal(results[i]!, run.code, run.json, ...run.says));
  expect(await snapshot(db.url)).toBe(before);
}

const WRITERS = [['migrate'], ['rollback', '--yes'], ['seed', '--users', '2']];

describe('PostgreSQL roles', () => {
  let db: FreshDatabase;
  const role = (name: string) => `${name}_${tag}`;
  const url = (name: string) => asRole(db.url, role(name));
  beforeAll(async () => {
    db = await freshPostgres('privileges');
    cleanups.push(db.drop);
    expect((await dbkit(['migrate', '--url', db.url])).code).toBe(0);
    expect((await dbkit(['seed', '--users', '3', '--seed', '1', '--url', db.url])).code).toBe(0);
    const names = ['conn', 'sel', 'appsel', 'creator', 'nocon', 'rodefault'].map(role);
    await adminExec(pgAdminUrl(), names.map((n) => `CREATE ROLE "${n}" LOGIN PASSWORD '${PASSWORD}';`).join('\n'));
    cleanups.push(() => adminExec(pgAdminUrl(), names.map((n) => `DROP ROLE IF EXISTS "${n}";`).join('\n')));
    const schemaTables = 'users, sessions, runs, messages, files, settings, gallery';
    await adminExec(
      db.url,
      `REVOKE CONNECT ON DATABASE "${db.name}" FROM PUBLIC;
       GRANT CONNECT ON DATABASE "${db.name}" TO ${['conn', 'sel', 'appsel', 'creator', 'rodefault'].map((n) => `"${role(n)}"`).join(', ')};
       GRANT USAGE ON SCHEMA public TO ${['conn', 'sel', 'appsel', 'creator', 'rodefault'].map((n) => `"${role(n)}"`).join(', ')};
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role('sel')}";
       GRANT SELECT ON ${schemaTables} TO "${role('appsel')}";
       GRANT CREATE ON SCHEMA public TO "${role('creator')}";
       ALTER ROLE "${role('rodefault')}" IN DATABASE "${db.name}" SET default_transaction_read_only = on;`,
    );
  }, 240_000);

  it('CONNECT-only: status, rollback, migrate and seed name the missing privilege and the role (exit 7)', async () => {
    const who = new RegExp(`role ${role('conn')} lacks`);
    await refusals(db, url('conn'), [
      { args: ['status'], code: 7, says: [who, /SELECT on public\.dbkit_migrations, public\.dbkit_checksums/] },
      { args: ['migrate', '--dry-run'], code: 7, says: [who, /SELECT on public\.dbkit_migrations/] },
      { args: ['migrate'], code: 7, says: [who, /SELECT, INSERT, UPDATE, DELETE on public\.dbkit_migrations, public\.dbkit_migrations_lock, public\.dbkit_checksums: migrate needs them/] },
      { args: ['rollback', '--yes'], code: 7, says: [who, /SELECT, INSERT, UPDATE, DELETE on public\.dbkit_migrations.*: rollback needs them/] },
      { args: ['seed', '--users', '2'], code: 7, says: [who, /SELECT, INSERT, DELETE on public\.users, public\.sessions, .*: seed needs them/] },
    ]);
  }, 300_000);

  it('CONNECT-only: diff and check-indexes report from the catalog and say the migration state is unknown', async () => {
    const plain = await dbkit(['diff', '--url', url('conn')]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('no drift');
    expect(plain.stderr).toMatch(new RegExp(`role ${role('conn')} lacks SELECT on public\\.dbkit_migrations, public\\.dbkit_checksums: whether migrations are pending here is unknown`));
    expect(plain.stderr).not.toMatch(/are pending here \(dbkit status\)/);
    const d = json<{ changes: unknown[]; pendingMigrations: unknown; unread: { privilege: string; object: string; role: string }[] }>(await dbkit(['diff', '--json', '--url', url('conn')]));
    expect(d.changes).toEqual([]);
    expect(d.pendingMigrations).toBeNull();
    expect(d.unread).toContainEqual({ privilege: 'SELECT', object: 'public.dbkit_migrations', role: role('conn') });
    const idx = await dbkit(['check-indexes', '--json', '--url', url('conn')]);
    expect(idx.code, idx.stderr).toBe(0);
    expect(json<{ ok: boolean }>(idx).ok).toBe(true);
  }, 300_000);

  it('SELECT on every table: status reads the truth; rollback, migrate and seed name what is missing', async () => {
    const status = await dbkit(['status', '--json', '--url', url('sel')]);
    expect(status.code, status.stderr).toBe(0);
    expect(json<{ upToDate: boolean; counts: { applied: number } }>(status)).toMatchObject({ upToDate: true, counts: { applied: 7 } });
    const who = new RegExp(`role ${role('sel')} lacks`);
    await refusals(db, url('sel'), [
      { args: ['migrate'], code: 7, says: [who, /INSERT, UPDATE, DELETE on public\.dbkit_migrations, public\.dbkit_migrations_lock, public\.dbkit_checksums: migrate/] },
      { args: ['rollback', '--yes'], code: 7, says: [who, /ownership \(owner: \w+\) on public\.users/] },
      { args: ['seed', '--users', '2'], code: 7, says: [who, /INSERT, DELETE on public\.users, public\.sessions/] },
    ]);
    const diff = await dbkit(['diff', '--json', '--url', url('sel')]);
    expect(json<{ changes: unknown[]; pendingMigrations: unknown }>(diff)).toMatchObject({ changes: [], pendingMigrations: [] });
  }, 300_000);

  it("SELECT on the schema's tables but not dbkit's: status refuses instead of saying 0 applied", async () => {
    await refusals(db, url('appsel'), [
      { args: ['status'], code: 7, says: [new RegExp(`role ${role('appsel')} lacks SELECT on public\\.dbkit_migrations`)] },
      { args: ['rollback', '--yes'], code: 7, says: [/SELECT, INSERT, UPDATE, DELETE on public\.dbkit_migrations/] },
    ]);
  }, 300_000);

  it('CREATE on the schema but no table rights: migrate names the privileges, not "dbkit_checksums already exists"', async () => {
    await refusals(db, url('creator'), [
      { args: ['migrate'], code: 7, says: [new RegExp(`role ${role('creator')} lacks SELECT, INSERT, UPDATE, DELETE on public\\.dbkit_migrations, public\\.dbkit_migrations_lock, public\\.dbkit_checksums: migrate needs them`)] },
    ]);
  }, 300_000);

  it('no CONNECT on the database: exit 7, not "cannot connect"', async () => {
    await refusals(db, url('nocon'), [
      ...[['status'], ['migrate'], ['rollback', '--yes']].map((args) => ({ args, code: 7, says: [/may not use the database of .*: permission denied for database/] })),
    ]);
  }, 300_000);

  it('a role whose transactions are read-only by default: migrate, rollback and seed say the server is read-only (exit 6)', async () => {
    await refusals(db, url('rodefault'), WRITERS.map((args) => ({ args, code: 6, says: [/is read-only \(default_transaction_read_only is on\)/] })));
  }, 300_000);
});

describe('MariaDB users', () => {
  let db: FreshDatabase;
  const user = (name: string) => `${name}_${tag}`;
  const url = (name: string) => asRole(db.url, user(name));
  beforeAll(async () => {
    db = await freshMysql('privileges');
    cleanups.push(db.drop);
    expect((await dbkit(['migrate', '--url', db.url])).code).toBe(0);
    expect((await dbkit(['seed', '--users', '3', '--seed', '1', '--url', db.url])).code).toBe(0);
    const names = ['usage', 'sel', 'one', 'refs'].map(user);
    await adminExec(mysqlAdminUrl(), names.map((n) => `CREATE USER '${n}'@'%' IDENTIFIED BY '${PASSWORD}';`).join('\n'));
    cleanups.push(() => adminExec(mysqlAdminUrl(), names.map((n) => `DROP USER IF EXISTS '${n}'@'%';`).join('\n')));
    await adminExec(
      mysqlAdminUrl(),
      `GRANT USAGE ON \`${db.name}\`.* TO '${user('usage')}'@'%';
       GRANT SELECT ON \`${db.name}\`.* TO '${user('sel')}'@'%';
       GRANT SELECT ON \`${db.name}\`.users TO '${user('one')}'@'%';
       GRANT SELECT, REFERENCES ON \`${db.name}\`.* TO '${user('refs')}'@'%';`,
    );
  }, 240_000);

  it('USAGE only: every command is refused with exit 7 (no privilege on the database)', async () => {
    await refusals(db, url('usage'), [
      ...[['status'], ['diff'], ...WRITERS].map((args) => ({ args, code: 7, says: [new RegExp(`may not use the database of .*Access denied for user '${user('usage')}'`)] })),
    ]);
  }, 300_000);

  it('SELECT only: status reads the truth; migrate, rollback and seed name what is missing; diff stops rather than report hidden foreign keys missing', async () => {
    const status = await dbkit(['status', '--json', '--url', url('sel')]);
    expect(json<{ upToDate: boolean; counts: { applied: number } }>(status)).toMatchObject({ upToDate: true, counts: { applied: 5 } });
    const who = new RegExp(`user '${user('sel')}'@'%'`);
    await refusals(db, url('sel'), [
      { args: ['migrate'], code: 7, says: [who, new RegExp(`INSERT, UPDATE, DELETE on ${db.name}\\.dbkit_migrations`)] },
      { args: ['rollback', '--yes'], code: 7, says: [who, new RegExp(`DROP on ${db.name}\\.users`)] },
      { args: ['seed', '--users', '2'], code: 7, says: [who, new RegExp(`INSERT, DELETE on ${db.name}\\.users`)] },
      // Its --sql once re-created six foreign keys that were there all along.
      { args: ['diff', '--sql'], code: 7, says: [who, /cannot see the constraints of .*messages/, /GRANT REFERENCES ON/, /stopped rather than report them missing/] },
      { args: ['diff'], code: 7, says: [who, /cannot see the constraints/] },
    ]);
  }, 300_000);

  it('SELECT only: check-indexes reports (InnoDB indexes every foreign key) and says what it could not see', async () => {
    const admin = json<{ ok: boolean; expected: unknown[]; advisories: unknown[] }>(await dbkit(['check-indexes', '--json', '--url', db.url]));
    const r = await dbkit(['check-indexes', '--json', '--url', url('sel')]);
    expect(r.code, r.stderr).toBe(0);
    const seen = json<{ ok: boolean; expected: unknown[]; advisories: unknown[]; unread: { object: string }[] }>(r);
    expect({ ok: seen.ok, expected: seen.expected, advisories: seen.advisories }).toEqual({ ok: admin.ok, expected: admin.expected, advisories: admin.advisories });
    expect(seen.unread.map((u) => u.object)).toContain(`${db.name}.messages`);
    expect(r.stderr).toMatch(/warning: .*cannot see the constraints of .*findings about foreign keys are left out/);
  }, 300_000);

  it('SELECT on one table: status and diff refuse (information_schema hides the rest) instead of reporting them missing', async () => {
    const who = new RegExp(`user '${user('one')}'@'%' lacks SELECT`);
    await refusals(db, url('one'), [
      { args: ['status'], code: 7, says: [who, new RegExp(`SELECT on ${db.name}\\.dbkit_migrations`)] },
      { args: ['diff'], code: 7, says: [who, new RegExp(`SELECT on ${db.name}\\.api_calls, ${db.name}\\.conversations, ${db.name}\\.messages:`), /whether they are there cannot be told/] },
      { args: ['check-indexes'], code: 7, says: [who, new RegExp(`SELECT on ${db.name}\\.api_calls, ${db.name}\\.conversations, ${db.name}\\.messages:`)] },
      { args: ['migrate'], code: 7, says: [who, /: migrate needs them/] },
    ]);
  }, 300_000);

  it('SELECT and REFERENCES: diff sees the foreign keys and finds no drift', async () => {
    const r = await dbkit(['diff', '--json', '--url', url('refs')]);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ changes: unknown[]; pendingMigrations: string[] }>(r)).toMatchObject({ changes: [], pendingMigrations: [] });
    expect(r.stderr).toBe('');
  }, 300_000);
});
