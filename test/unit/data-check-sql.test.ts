/**
 * The live pre-flight's SQL, exactly, per engine: PostgreSQL (and PGlite),
 * MySQL 8 and MariaDB (they differ in how a query bounds its lock wait:
 * MySQL 8's SET_VAR hint, MariaDB's SET STATEMENT ... FOR). Identifiers
 * quoted, values bound.
 */
import { describe, expect, it } from 'vitest';
import { mysqlProbes, INTEGER_TEXT } from '../../dialects/mysql/data-check.js';
import { postgresProbes } from '../../dialects/postgres/data-check.js';
import type { Condition, Probe, SampleColumn } from '../../src/port/data-check.js';

const probe = (table: string, condition: Condition, samples: SampleColumn[] = [{ column: 'id', show: 'key' }]): Probe => ({
  migration: 'm',
  operation: 0,
  change: 'c',
  effect: 'fails',
  table,
  condition,
  samples,
  says: '{rows}',
});

const pg = postgresProbes(180000, 60_000);
const pg15 = postgresProbes(150004, 60_000);
const mysql8 = mysqlProbes('mysql', 60_000);
const maria = mysqlProbes('mariadb', 2_500);

describe('PostgreSQL', () => {
  it('opens one read-only snapshot with lock waits bounded, or only bounds them inside a migration transaction', () => {
    expect(pg.begin).toEqual(['BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', "SET LOCAL lock_timeout = '60000ms'"]);
    expect(pg.within).toEqual(["SET LOCAL lock_timeout = '60000ms'"]);
    expect(pg.end).toBe('ROLLBACK');
  });

  it('counts duplicates with the duplicated values as samples', () => {
    const q = pg.query(probe('fi"les', { kind: 'duplicates', columns: ['user_id', 'key'], where: 'deleted_at IS NULL' }, [{ column: 'user_id', show: 'value' }, { column: 'key', show: 'value' }]), 'app');
    expect(q).toEqual({
      sql:
        'SELECT count(*) OVER () AS n, sum(count(*)) OVER () AS r, count(*) AS g, left(t."user_id"::text, 41) AS k0, left(t."key"::text, 41) AS k1 ' +
        'FROM "app"."fi""les" AS t WHERE t."user_id" IS NOT NULL AND t."key" IS NOT NULL AND (deleted_at IS NULL) GROUP BY t."user_id", t."key" HAVING count(*) > 1 ORDER BY count(*) DESC, t."user_id", t."key" LIMIT 5',
      params: [],
    });
  });

  it('counts rows by condition, with the primary key (and the value) as samples', () => {
    const sql = (c: Condition, samples?: SampleColumn[]) => pg.query(probe('t1', c, samples), 'public');
    const head = 'SELECT count(*) OVER () AS n, t."id"::text AS k0';
    const from = 'FROM "public"."t1" AS t';
    expect(sql({ kind: 'nulls', columns: ['a', 'b'] })).toEqual({ sql: `${head} ${from} WHERE t."a" IS NULL OR t."b" IS NULL ORDER BY t."id" LIMIT 5`, params: [] });
    expect(sql({ kind: 'rows' })).toEqual({ sql: `${head} ${from} ORDER BY t."id" LIMIT 5`, params: [] });
    expect(sql({ kind: 'rows' }, [])).toEqual({ sql: `SELECT count(*) AS n ${from}`, params: [] });
    expect(sql({ kind: 'values', column: 'a' })).toEqual({ sql: `${head} ${from} WHERE t."a" IS NOT NULL ORDER BY t."id" LIMIT 5`, params: [] });
    expect(sql({ kind: 'orphans', columns: ['run_id'], refTable: 'runs', refColumns: ['id'] }, [{ column: 'id', show: 'key' }, { column: 'run_id', show: 'value' }])).toEqual({
      sql: `${head}, left(t."run_id"::text, 41) AS k1 ${from} WHERE t."run_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "public"."runs" AS r WHERE r."id" = t."run_id") ORDER BY t."id" LIMIT 5`,
      params: [],
    });
    expect(sql({ kind: 'orphans', columns: ['tag_id'], refTable: null, refColumns: ['id'] })).toEqual({ sql: `${head} ${from} WHERE t."tag_id" IS NOT NULL ORDER BY t."id" LIMIT 5`, params: [] });
    expect(sql({ kind: 'too_long', column: 'title', max: 20, unit: 'chars' }, [{ column: 'id', show: 'key' }, { column: 'title', show: 'chars' }])).toEqual({
      sql: `${head}, char_length(t."title"::text) AS k1 ${from} WHERE char_length(rtrim(t."title"::text, ' ')) > $1 ORDER BY t."id" LIMIT 5`,
      params: [20],
    });
    expect(sql({ kind: 'out_of_range', column: 'n', min: '-32768', max: '32767' })).toEqual({
      sql: `${head} ${from} WHERE round(t."n"::numeric) NOT BETWEEN $1::numeric AND $2::numeric ORDER BY t."id" LIMIT 5`,
      params: ['-32768', '32767'],
    });
    expect(sql({ kind: 'too_many_digits', column: 'n', digits: 4, scale: 2 })).toEqual({
      sql: `${head} ${from} WHERE abs(round(t."n"::numeric, $1::int)) >= power(10::numeric, $2::int) ORDER BY t."id" LIMIT 5`,
      params: [2, 4],
    });
    expect(sql({ kind: 'rounded', column: 'n', scale: 1 })).toEqual({ sql: `${head} ${from} WHERE t."n"::numeric <> round(t."n"::numeric, $1::int) ORDER BY t."id" LIMIT 5`, params: [1] });
    expect(sql({ kind: 'not_in', column: 'role', labels: ['user', "o'k"] })).toEqual({ sql: `${head} ${from} WHERE t."role"::text NOT IN ($1, $2) ORDER BY t."id" LIMIT 5`, params: ['user', "o'k"] });
    expect(sql({ kind: 'not_convertible', column: 'body', type: 'jsonb' })).toEqual({
      sql: `${head} ${from} WHERE t."body" IS NOT NULL AND NOT pg_input_is_valid(t."body"::text, $1) ORDER BY t."id" LIMIT 5`,
      params: ['jsonb'],
    });
    expect(sql({ kind: 'check', expression: 'size > 0' })).toEqual({ sql: `${head} ${from} WHERE NOT (size > 0) ORDER BY t."id" LIMIT 5`, params: [] });
  });

  it('says what it cannot count before PostgreSQL 16', () => {
    expect(pg15.query(probe('t1', { kind: 'not_convertible', column: 'body', type: 'jsonb' }), 'public')).toEqual({
      unsupported: 'PostgreSQL before 16 cannot test whether a value converts to jsonb (no pg_input_is_valid)',
    });
  });
});

describe('MySQL 8 and MariaDB', () => {
  it('open one read-only snapshot', () => {
    for (const m of [mysql8, maria]) {
      expect(m.begin).toEqual(['START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY']);
      expect(m.end).toBe('ROLLBACK');
    }
  });

  it("bound each query's lock wait as the server spells it", () => {
    const c: Condition = { kind: 'nulls', columns: ['a'] };
    const body = 'COUNT(*) OVER () AS n, CAST(t.`id` AS CHAR) AS k0 FROM `app`.`t1` AS t WHERE t.`a` IS NULL ORDER BY t.`id` LIMIT 5';
    expect(mysql8.query(probe('t1', c), 'app')).toEqual({ sql: `SELECT /*+ SET_VAR(lock_wait_timeout = 60) */ ${body}`, params: [] });
    expect(maria.query(probe('t1', c), 'app')).toEqual({ sql: `SET STATEMENT lock_wait_timeout = 3 FOR SELECT ${body}`, params: [] });
  });

  it('count duplicates and rows by condition', () => {
    const sql = (c: Condition, samples?: SampleColumn[]) => {
      const q = maria.query(probe('t`1', c, samples), 'app');
      return 'sql' in q ? { sql: q.sql.replace('SET STATEMENT lock_wait_timeout = 3 FOR ', ''), params: q.params } : q;
    };
    const head = 'SELECT COUNT(*) OVER () AS n, CAST(t.`id` AS CHAR) AS k0';
    const from = 'FROM `app`.`t``1` AS t';
    expect(sql({ kind: 'duplicates', columns: ['email'], where: null }, [{ column: 'email', show: 'value' }])).toEqual({
      sql: `SELECT SQL_BIG_RESULT COUNT(*) OVER () AS n, SUM(COUNT(*)) OVER () AS r, COUNT(*) AS g, LEFT(CAST(t.\`email\` AS CHAR), 41) AS k0 ${from} WHERE t.\`email\` IS NOT NULL GROUP BY t.\`email\` HAVING COUNT(*) > 1 ORDER BY COUNT(*) DESC, t.\`email\` LIMIT 5`,
      params: [],
    });
    expect(sql({ kind: 'orphans', columns: ['a', 'b'], refTable: 'p', refColumns: ['x', 'y'] })).toEqual({
      sql: `${head} ${from} WHERE t.\`a\` IS NOT NULL AND t.\`b\` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \`app\`.\`p\` AS r WHERE r.\`x\` = t.\`a\` AND r.\`y\` = t.\`b\`) ORDER BY t.\`id\` LIMIT 5`,
      params: [],
    });
    expect(sql({ kind: 'too_long', column: 'title', max: 20, unit: 'chars' }, [{ column: 'id', show: 'key' }, { column: 'title', show: 'chars' }])).toEqual({
      sql: `${head}, CHAR_LENGTH(t.\`title\`) AS k1 ${from} WHERE CHAR_LENGTH(TRIM(TRAILING ' ' FROM t.\`title\`)) > ? ORDER BY t.\`id\` LIMIT 5`,
      params: [20],
    });
    expect(sql({ kind: 'too_long', column: 'body', max: 65535, unit: 'bytes' })).toEqual({ sql: `${head} ${from} WHERE LENGTH(t.\`body\`) > ? ORDER BY t.\`id\` LIMIT 5`, params: [65535] });
    expect(sql({ kind: 'out_of_range', column: 'n', min: '0', max: '4294967295' })).toEqual({
      sql: `${head} ${from} WHERE ROUND(t.\`n\`) NOT BETWEEN CAST(? AS DECIMAL(65,0)) AND CAST(? AS DECIMAL(65,0)) ORDER BY t.\`id\` LIMIT 5`,
      params: ['0', '4294967295'],
    });
    expect(sql({ kind: 'too_many_digits', column: 'n', digits: 4, scale: 2 })).toEqual({
      sql: `${head} ${from} WHERE ABS(ROUND(t.\`n\`, ?)) >= CAST(CONCAT('1', REPEAT('0', ?)) AS DECIMAL(65,0)) ORDER BY t.\`id\` LIMIT 5`,
      params: [2, 4],
    });
    expect(sql({ kind: 'rounded', column: 'n', scale: 0 })).toEqual({ sql: `${head} ${from} WHERE t.\`n\` <> ROUND(t.\`n\`, ?) ORDER BY t.\`id\` LIMIT 5`, params: [0] });
    expect(sql({ kind: 'not_in', column: 'role', labels: ['user', 'assistant'] })).toEqual({
      sql: `${head} ${from} WHERE CAST(t.\`role\` AS CHAR) NOT IN (?, ?) ORDER BY t.\`id\` LIMIT 5`,
      params: ['user', 'assistant'],
    });
    expect(sql({ kind: 'not_convertible', column: 'v', type: 'json' })).toEqual({ sql: `${head} ${from} WHERE t.\`v\` IS NOT NULL AND JSON_VALID(t.\`v\`) = 0 ORDER BY t.\`id\` LIMIT 5`, params: [] });
    expect(sql({ kind: 'not_convertible', column: 'v', type: 'int unsigned' })).toEqual({
      sql: `${head} ${from} WHERE t.\`v\` IS NOT NULL AND NOT (CAST(t.\`v\` AS CHAR) REGEXP ?) ORDER BY t.\`id\` LIMIT 5`,
      params: [INTEGER_TEXT],
    });
    expect(sql({ kind: 'not_convertible', column: 'v', type: 'datetime' })).toEqual({ unsupported: 'MySQL cannot test whether a value converts to datetime; the statement itself will tell' });
    expect(sql({ kind: 'values', column: 'a' }, [])).toEqual({ sql: `SELECT COUNT(*) AS n ${from} WHERE t.\`a\` IS NOT NULL`, params: [] });
  });
});
