/**
 * dbkit's bookkeeping recognised by structure and marker (issue 20): the pure
 * judge over catalog rows, each dialect's shapes as its catalog spells them,
 * and the exact SQL of the marker and of the bounded lock waits.
 */
import { describe, expect, it } from 'vitest';
import { BOOKKEEPING_SHAPES as MYSQL, columnType, markSql as mysqlMark } from '../../dialects/mysql/bookkeeping.js';
import { lockWaitSql } from '../../dialects/mysql/lock-wait.js';
import { BOOKKEEPING_SHAPES as PG, markSql as pgMark } from '../../dialects/postgres/bookkeeping.js';
import { lockTablesSql, setLocalLockTimeout } from '../../dialects/postgres/lock-wait.js';
import { BOOKKEEPING_MARKER, groupObjects, judgeBookkeeping, refusal, type FoundObject } from '../../src/port/bookkeeping.js';

const shown = (n: string) => `public.${n}`;
const table = (name: string, columns: [string, string][], comment: string | null = BOOKKEEPING_MARKER, kind = 'table'): FoundObject => ({ name, kind, comment, columns });
const pgMigrations: [string, string][] = [
  ['id', 'integer'],
  ['name', 'character varying(255)'],
  ['batch', 'integer'],
  ['migration_time', 'timestamp with time zone'],
];

describe('judging what holds the bookkeeping names', () => {
  it("dbkit's tables, marked or made before the marker (unmarked), and dbkit_checksums of 0.1.0 (two columns)", () => {
    const v = judgeBookkeeping(
      [
        table('dbkit_migrations', pgMigrations),
        table('dbkit_migrations_lock', [['index', 'integer'], ['is_locked', 'integer']], null),
        table('dbkit_checksums', [['name', 'character varying(255)'], ['checksum', 'character varying(64)']], ''),
      ],
      PG,
      shown,
    );
    expect(v.foreign).toEqual([]);
    expect(v.present).toEqual(['dbkit_migrations', 'dbkit_migrations_lock', 'dbkit_checksums']);
    expect(v.unmarked).toEqual(['dbkit_migrations_lock', 'dbkit_checksums']);
    expect(v.lacking.get('dbkit_checksums')).toEqual(['step', 'direction', 'owner', 'batch', 'applied_as']);
  });

  it('a view, another shape, a missing or extra column, another type, or a comment dbkit did not write: foreign', () => {
    const v = judgeBookkeeping(
      [
        table('dbkit_migrations', pgMigrations, null, 'view'),
        table('dbkit_checksums', [['id', 'integer'], ['note', 'text']]),
        table('dbkit_migrations_lock', [['index', 'integer'], ['is_locked', 'integer']], 'payments ledger lock'),
      ],
      PG,
      shown,
    );
    expect(v.foreign).toEqual([
      'public.dbkit_migrations is a view, not a table',
      "public.dbkit_checksums is a table with columns id integer, note text, not dbkit's (name, checksum, step, direction, owner, batch, applied_as)",
      "public.dbkit_migrations_lock is a table whose comment is not dbkit's marker ('dbkit bookkeeping v1')",
    ]);
    expect(v.present).toEqual([]);
    const odd = (columns: [string, string][]) => judgeBookkeeping([table('dbkit_migrations', columns)], PG, shown).foreign.length;
    expect(odd(pgMigrations.slice(1))).toBe(1);
    expect(odd([...pgMigrations, ['extra', 'text']])).toBe(1);
    expect(odd(pgMigrations.map(([c, t]) => [c, c === 'batch' ? 'bigint' : t]))).toBe(1);
    expect(odd(pgMigrations)).toBe(0);
    // dbkit_checksums with applied_as (added by a run that applied a migration out of order or adopted one) is dbkit's
    const checksums: [string, string][] = [
      ['name', 'character varying(255)'], ['checksum', 'character varying(64)'], ['step', 'integer'], ['direction', 'character varying(4)'],
      ['owner', 'character varying(255)'], ['batch', 'integer'], ['applied_as', 'character varying(16)'],
    ];
    expect(judgeBookkeeping([table('dbkit_checksums', checksums)], PG, shown).foreign).toEqual([]);
  });

  it('an unmarked table is an older dbkit\'s only beside the tables it was made with: dbkit_checksums or the lock table without dbkit_migrations is foreign', () => {
    const v010Checksums = table('dbkit_checksums', [['name', 'character varying(255)'], ['checksum', 'character varying(64)']], null);
    const lock = table('dbkit_migrations_lock', [['index', 'integer'], ['is_locked', 'integer']], null);
    const alone = judgeBookkeeping([v010Checksums, lock], PG, shown);
    expect(alone.foreign).toEqual([
      "public.dbkit_checksums is a table of dbkit's shape without dbkit's marker and without public.dbkit_migrations beside it (an older dbkit made it only together with dbkit_migrations), so it is not dbkit's",
      "public.dbkit_migrations_lock is a table of dbkit's shape without dbkit's marker and without public.dbkit_migrations beside it (an older dbkit made it only together with dbkit_migrations), so it is not dbkit's",
    ]);
    expect(alone.present).toEqual([]);
    // Beside a dbkit_migrations of dbkit's shape, marked or not (a 0.1.0 database): dbkit's.
    for (const comment of [null, BOOKKEEPING_MARKER]) {
      const v = judgeBookkeeping([table('dbkit_migrations', pgMigrations, comment), lock, v010Checksums], PG, shown);
      expect(v.foreign).toEqual([]);
      expect(v.present).toEqual(['dbkit_migrations', 'dbkit_migrations_lock', 'dbkit_checksums']);
    }
    // ...but not beside a dbkit_migrations that is not dbkit's.
    const odd = judgeBookkeeping([table('dbkit_migrations', pgMigrations.slice(1), null), v010Checksums], PG, shown);
    expect(odd.foreign).toHaveLength(2);
    // A marked table stands on its own (dbkit wrote the marker); so does an unmarked dbkit_migrations (Knex's first table).
    expect(judgeBookkeeping([table('dbkit_checksums', v010Checksums.columns)], PG, shown).foreign).toEqual([]);
    expect(judgeBookkeeping([table('dbkit_migrations', pgMigrations, null)], PG, shown).foreign).toEqual([]);
    // MySQL alike.
    const my = judgeBookkeeping([table('dbkit_checksums', [['name', 'varchar(255)'], ['checksum', 'varchar(64)']], '')], MYSQL, shown);
    expect(my.foreign).toHaveLength(1);
  });

  it('the refusal is one line naming each object, what it is and what to do', () => {
    expect(refusal(['public.dbkit_migrations is a view, not a table'])).toBe(
      "refusing to use dbkit's bookkeeping: public.dbkit_migrations is a view, not a table. dbkit did not create it, so it reads and writes nothing there (nothing was changed): rename or move it, or give dbkit a namespace of its own (--namespace)",
    );
  });

  it('catalog rows grouped per object, columns in order; a view or table without columns keeps its kind', () => {
    expect(
      groupObjects([
        { name: 'a', kind: 'view', comment: '', col: null, type: null },
        { name: 'b', kind: 'table', comment: 'c', col: 'x', type: 'int' },
        { name: 'b', kind: 'table', comment: 'c', col: 'y', type: 'text' },
      ]),
    ).toEqual([
      { name: 'a', kind: 'view', comment: null, columns: [] },
      { name: 'b', kind: 'table', comment: 'c', columns: [['x', 'int'], ['y', 'text']] },
    ]);
  });
});

describe('MySQL/MariaDB spellings', () => {
  it('MariaDB (int(11), int(10) unsigned) and MySQL 8 (int, int unsigned) spell the same shape', () => {
    const mariadb: [string, string][] = [['id', 'int(10) unsigned'], ['name', 'varchar(255)'], ['batch', 'int(11)'], ['migration_time', 'timestamp']];
    const mysql8: [string, string][] = [['id', 'int unsigned'], ['name', 'varchar(255)'], ['batch', 'int'], ['migration_time', 'timestamp']];
    for (const cols of [mariadb, mysql8]) {
      const found = table('dbkit_migrations', cols.map(([c, t]) => [c, columnType(t)]), '');
      expect(judgeBookkeeping([found], MYSQL, shown).foreign).toEqual([]);
    }
    expect(Object.keys(MYSQL)).toEqual(['dbkit_migrations', 'dbkit_migrations_lock', 'dbkit_checksums', 'dbkit_lease']);
  });

  it('the marker, and every lock wait bounded by --lock-timeout in whole seconds (at least 1)', () => {
    expect(mysqlMark('app', 'dbkit_migrations', BOOKKEEPING_MARKER)).toBe("ALTER TABLE `app`.`dbkit_migrations` COMMENT = 'dbkit bookkeeping v1'");
    expect(lockWaitSql(5000)).toBe('SET SESSION lock_wait_timeout = 5, innodb_lock_wait_timeout = 5');
    expect(lockWaitSql(0)).toBe('SET SESSION lock_wait_timeout = 1, innodb_lock_wait_timeout = 1');
    expect(lockWaitSql(1500)).toBe('SET SESSION lock_wait_timeout = 2, innodb_lock_wait_timeout = 2');
  });
});

describe('PostgreSQL SQL', () => {
  it('the marker, SET LOCAL lock_timeout (0 is 1 ms: lock_timeout 0 would wait forever) and the ROW EXCLUSIVE check', () => {
    expect(pgMark('we"ird', 'dbkit_checksums', BOOKKEEPING_MARKER)).toBe(`COMMENT ON TABLE "we""ird"."dbkit_checksums" IS 'dbkit bookkeeping v1'`);
    expect(setLocalLockTimeout(5000)).toBe("SET LOCAL lock_timeout = '5000ms'");
    expect(setLocalLockTimeout(0)).toBe("SET LOCAL lock_timeout = '1ms'");
    expect(lockTablesSql('public', ['dbkit_migrations', 'dbkit_checksums'])).toBe(
      'LOCK TABLE "public"."dbkit_migrations", "public"."dbkit_checksums" IN ROW EXCLUSIVE MODE',
    );
  });
});
