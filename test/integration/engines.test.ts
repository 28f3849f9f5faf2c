import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  adminExec,
  adminQuery,
  freshMysql,
  freshPglite,
  freshPostgres,
  runMysqlClient,
  runPsql,
} from '../support/databases.js';

describe('test database servers are real', () => {
  it('provides admin URLs with the password via inject() and process.env', () => {
    for (const url of [inject('dbkitPgUrl'), inject('dbkitMysqlUrl')]) {
      expect(new URL(url).password).not.toBe('');
    }
    expect(process.env.DBKIT_TEST_PG_URL).toBe(inject('dbkitPgUrl'));
    expect(process.env.DBKIT_TEST_MYSQL_URL).toBe(inject('dbkitMysqlUrl'));
  });

  it('PostgreSQL: version, isolated fresh databases, psql runs a script', async () => {
    const a = await freshPostgres('engines_a');
    const b = await freshPostgres('engines_b');
    try {
      const [row] = await adminQuery<{ version: string }>(a.url, 'select version() as version');
      expect(row?.version).toContain('PostgreSQL');
      await adminExec(a.url, 'create table t (id int primary key); insert into t values (1), (2);');
      expect(await adminQuery(a.url, 'select count(*)::int as n from t')).toEqual([{ n: 2 }]);
      await expect(adminQuery(b.url, 'select 1 from t')).rejects.toThrow(/does not exist/);

      await runPsql(b.url, 'create table u (id int);\ninsert into u values (7);\n');
      const { stdout } = await runPsql(b.url, 'select id from u;', ['-At']);
      expect(stdout.trim()).toBe('7');
      await expect(runPsql(b.url, 'select 1;\nselect nope from u;\nselect 2;')).rejects.toThrow(/nope/);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    expect(await adminQuery(inject('dbkitPgUrl'), 'select 1 from pg_database where datname = $1', [a.name])).toEqual([]);
  });

  it('MariaDB: version, isolated fresh databases, mariadb client runs a script', async () => {
    const a = await freshMysql('engines_a');
    const b = await freshMysql('engines_b');
    try {
      const [row] = await adminQuery<{ v: string }>(a.url, 'select version() as v');
      expect(row?.v).toContain('MariaDB');
      await adminExec(a.url, 'create table t (id int primary key); insert into t values (1), (2);');
      expect(await adminQuery(a.url, 'select count(*) as n from t')).toEqual([{ n: 2 }]);
      await expect(adminQuery(b.url, 'select 1 from t')).rejects.toThrow(/doesn't exist/);

      await runMysqlClient(b.url, 'create table u (id int);\ninsert into u values (7);\n');
      const { stdout } = await runMysqlClient(b.url, 'select id from u;', ['--skip-column-names']);
      expect(stdout.trim()).toBe('7');
      await expect(runMysqlClient(b.url, 'select 1;\nselect nope from u;\nselect 2;')).rejects.toThrow(/nope/);
    } finally {
      await Promise.all([a.drop(), b.drop()]);
    }
    expect(await adminQuery(inject('dbkitMysqlUrl'), 'show databases like ?', [a.name])).toEqual([]);
  });

  it('PGlite: a fresh, not yet created directory under the temp dir, removed by drop()', async () => {
    const db = await freshPglite('engines');
    const dir = db.url.slice('pglite:'.length);
    expect(db.url).toMatch(/^pglite:\//);
    expect(dir.startsWith(tmpdir())).toBe(true);
    expect(existsSync(dir)).toBe(false);
    mkdirSync(dir);
    writeFileSync(join(dir, 'PG_VERSION'), '17\n');
    await db.drop();
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(dirname(dir))).toBe(false);
  });
});
