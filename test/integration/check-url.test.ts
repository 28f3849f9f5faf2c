/**
 * `dbkit check --url` (issue 12): the replay of every migration, up and
 * down, on a real server instead of PGlite, in a scratch namespace that is
 * dropped afterwards (a `dbkit_check_*` schema on PostgreSQL, a
 * `dbkit_check_*` database on MariaDB). What the URL's own database holds is
 * left as it was, on success and on failure. A MySQL migration whose SQL was
 * edited (and hashed) fails the MariaDB replay, naming the migration.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json, repoRoot } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-check-url-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A copy of the repository's schema sources and migrations (DBKIT_ROOT). */
function checkout(): string {
  const root = tmp();
  fs.cpSync(path.join(repoRoot, 'src', 'schema'), path.join(root, 'src', 'schema'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  return root;
}

interface CheckDoc {
  ok: boolean;
  schemas: Array<{ schema: string; checked: string[]; failures: string[] }>;
}

/** The scratch schemas or databases a run names (each run's own: the tests share the servers). */
const scratchNames = (out: string): string[] => [...out.matchAll(/scratch (?:schema|database) (dbkit_check_[0-9a-f]{10})/g)].map((m) => m[1]!);

const ENGINES = [
  {
    engine: 'postgres',
    fresh: freshPostgres,
    replay: 'PostgreSQL replay',
    scratch: 'SELECT nspname AS name FROM pg_catalog.pg_namespace WHERE nspname = ANY ($1)',
    own: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  },
  {
    engine: 'mysql',
    fresh: freshMysql,
    replay: 'MySQL replay',
    scratch: 'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name IN (?)',
    own: 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1',
  },
] as const;

describe.each(ENGINES)('dbkit check --url on $engine', ({ engine, fresh, replay, scratch, own }) => {
  it.concurrent('replays both schemas up and down on the server, then drops its scratch namespace; the database is untouched', async () => {
    const db = await fresh('check_url');
    dbs.push(db);
    await adminQuery(db.url, 'CREATE TABLE keep_me (id int PRIMARY KEY)');
    await adminQuery(db.url, 'INSERT INTO keep_me VALUES (1), (2)');

    const r = await dbkit(['check', '--url', db.url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = json<CheckDoc>(r);
    expect(doc.ok).toBe(true);
    expect(doc.schemas.map((s) => s.schema).sort()).toEqual(['agents', 'chat']);
    for (const s of doc.schemas) {
      expect(s.failures).toEqual([]);
      const onServer = s.checked.filter((c) => c.startsWith(`${replay} (`));
      expect(onServer, s.checked.join('; ')).toHaveLength(1);
      expect(onServer[0]).toMatch(/scratch (schema|database) dbkit_check_[0-9a-f]{10}\)$/);
      expect(onServer[0]).not.toContain(new URL(db.url).password);
    }
    const names = scratchNames(r.stdout);
    expect(names).toHaveLength(2);
    expect(await adminQuery(db.url, scratch, [names])).toEqual([]);
    expect((await adminQuery(db.url, own)).map((row) => row.name)).toEqual(['keep_me']);
    expect((await adminQuery(db.url, 'SELECT count(*) AS n FROM keep_me')).map((row) => Number(row.n))).toEqual([2]);
  }, 300_000);

  if (engine === 'mysql') {
    it.concurrent('an edited MySQL migration (hashed) fails the replay: exit 1, one line naming it; the scratch database is dropped', async () => {
      const db = await fresh('check_url_edit');
      dbs.push(db);
      const root = checkout();
      const name = '20250201000300_create_messages';
      const sql = path.join(root, 'migrations', 'chat', name, 'mysql.up.sql');
      const text = fs.readFileSync(sql, 'utf8');
      expect(text).toContain("enum('user','assistant','system')");
      fs.writeFileSync(sql, text.replace("enum('user','assistant','system')", "enum('user','assistant')"));
      expect((await dbkit(['hash'], { env: { DBKIT_ROOT: root } })).code).toBe(0);

      const r = await dbkit(['check', '--url', db.url, '--schema', 'chat'], { env: { DBKIT_ROOT: root } });
      expect(r.code, r.stderr).toBe(1);
      const failures = r.stdout.split('\n').filter((l) => l && !/: ok \(/.test(l));
      expect(failures, r.stdout).toHaveLength(1);
      expect(failures[0]).toMatch(new RegExp(`^chat: ${replay} \\(.*\\): after ${name} \\(up\\) .*role`));
      expect(r.stdout + r.stderr).not.toContain(new URL(db.url).password);
      const names = scratchNames(r.stdout);
      expect(names).toHaveLength(1);
      expect(await adminQuery(db.url, scratch, [names])).toEqual([]);
    }, 300_000);
  }
});
