/**
 * The pieces behind the review fixes of issue 20's hardening, without a
 * server: seconds as plain decimal digits; the PGlite lock file's format (an
 * older dbkit still reads its pid); the secrets a config's text registers;
 * a server's DETAIL and HINT in the line; the masked URL's separator; the
 * SQL that names who holds a lock, by what the waiting statement needed.
 */
import { describe, expect, it } from 'vitest';
import { readSeconds } from '../../src/config/seconds.js';
import { maskUrls, SecretSet } from '../../src/shared/secrets.js';
import { driverLine, annotate } from '../../src/connection/driver-errors.js';
import { lockFileText, parseLockFile } from '../../dialects/pglite/file-lock.js';
import { postgresLockHolderList } from '../../dialects/postgres/lock-wait.js';
import { TABLES_IN_USE_SQL } from '../../dialects/mysql/lock-wait.js';
import { FOREIGN_REFERENCES_SQL } from '../../dialects/mysql/foreign-references.js';

describe('seconds', () => {
  it.each([
    ['5', 5],
    ['0', 0],
    ['0.5', 0.5],
    ['5.25', 5.25],
    ['0010', 10],
    [7.5, 7.5],
    [0, 0],
  ])('%j is %s seconds', (value, seconds) => expect(readSeconds(value)).toBe(seconds));

  it.each(['0x10', '1e3', '1E3', '0b1', '0o7', 'Infinity', ' 5', '5 ', '-1', '+1', '.5', '5.', '1_000', '', '٣', Infinity, -1, NaN])('%j is refused', (value) =>
    expect(readSeconds(value)).toBeNull(),
  );
});

describe('the PGlite lock file', () => {
  it('the pid first, the start time after it as whitespace: an older dbkit (Number(text.trim())) reads the pid alone', () => {
    const text = lockFileText(4242, '1234567890');
    expect(Number(text.trim())).toBe(4242);
    expect(text.startsWith('4242\n')).toBe(true);
    expect(text.slice(5)).toBe('\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u2000');
    expect(parseLockFile(text)).toEqual({ pid: 4242, start: '1234567890' });
  });

  it("an older dbkit's file: the pid, no start time; anything else is not a lock file", () => {
    expect(lockFileText(4242, null)).toBe('4242');
    expect(parseLockFile('4242')).toEqual({ pid: 4242, start: null });
    expect(parseLockFile('4242\n')).toEqual({ pid: 4242, start: null });
    expect(parseLockFile('x')).toBeNull();
    expect(parseLockFile('4242 99')).toBeNull();
    expect(parseLockFile('-1')).toBeNull();
  });
});

describe("a config file's secrets", () => {
  it("quoted values of keys that name a password are registered (and URLs, as before); other values are not", () => {
    const s = new SecretSet();
    s.addText(`const dbPassword = "Hunter2-Secret";\nexport default { url: 'postgres://app:Url-Pw-1@db/app', "api_token": \`Tok3n-Value\`, pwd: 'short-pw9', schema: 'agents', host: 'db-host-7' };\n`);
    expect(s.scrub('Hunter2-Secret Url-Pw-1 Tok3n-Value short-pw9 agents db-host-7')).toBe('**** **** **** **** agents db-host-7');
  });
});

describe('error lines', () => {
  it("PostgreSQL's DETAIL and HINT are kept in the line, before the SQLSTATE", () => {
    const err = annotate(
      Object.assign(new Error('cannot truncate a table referenced in a foreign key constraint'), {
        severity: 'ERROR',
        code: '0A000',
        detail: 'Table "audit" references "users".',
        hint: 'Truncate table "audit" at the same time, or use TRUNCATE ... CASCADE.',
      }),
      'TRUNCATE "public"."users"',
    );
    expect(driverLine(err)).toBe(
      'cannot truncate a table referenced in a foreign key constraint; detail: Table "audit" references "users".; hint: Truncate table "audit" at the same time, or use TRUNCATE ... CASCADE. (SQLSTATE 0A000); statement: TRUNCATE "public"."users"',
    );
  });

  it("a URL's masked password parameter keeps the punctuation after it; an unmasked one is masked up to the next & or space", () => {
    expect(maskUrls('cannot connect to postgres://u@h/db?password=****: password authentication failed')).toBe(
      'cannot connect to postgres://u@h/db?password=****: password authentication failed',
    );
    expect(maskUrls('see postgres://u@h/db?password=sec:ret: failed')).toBe('see postgres://u@h/db?password=**** failed');
    expect(maskUrls('postgres://u@h/db?password=x&sslmode=require, then')).toBe('postgres://u@h/db?password=****&sslmode=require, then');
  });
});

describe('who holds a lock, by what the waiting statement needed', () => {
  /** The SQL and values the query is sent with (no server: the SQL is the point). */
  async function holdersQuery(need?: Parameters<typeof postgresLockHolderList>[3]) {
    const sent: { sql: string; params: readonly unknown[] }[] = [];
    await postgresLockHolderList({ query: async (sql, params = []) => (sent.push({ sql, params }), []) }, 'public', ['users', 'gallery'], need);
    return sent[0]!;
  }

  it('bookkeeping (the default): any mode that stops a reader or a writer, as before', async () => {
    const q = await holdersQuery();
    expect(q.sql).toContain("AND l.mode NOT IN (?, ?, ?)\n  AND n.nspname = ? AND c.relname IN (?, ?)");
    expect(q.params).toEqual(['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'public', 'users', 'gallery']);
  });

  it('a read: only ACCESS EXCLUSIVE; a delete: all but ACCESS SHARE; TRUNCATE: every mode', async () => {
    expect((await holdersQuery('read')).params.slice(0, -3)).toEqual([
      'AccessShareLock',
      'RowShareLock',
      'RowExclusiveLock',
      'ShareUpdateExclusiveLock',
      'ShareLock',
      'ShareRowExclusiveLock',
      'ExclusiveLock',
    ]);
    expect((await holdersQuery('delete')).params).toEqual(['AccessShareLock', 'public', 'users', 'gallery']);
    const all = await holdersQuery('all');
    expect(all.sql).not.toContain('l.mode NOT IN');
    expect(all.params).toEqual(['public', 'users', 'gallery']);
  });

  it('MySQL: the tables some session has in use or locked', () => {
    expect(TABLES_IN_USE_SQL('app`x')).toBe('SHOW OPEN TABLES FROM `app``x` WHERE In_use > 0');
  });

  it('MySQL: the foreign keys of other tables that reference the schema\'s (refused before --truncate)', () => {
    expect(FOREIGN_REFERENCES_SQL(2)).toBe(`SELECT TABLE_NAME AS child, CONSTRAINT_NAME AS name, REFERENCED_TABLE_NAME AS parent, CONSTRAINT_SCHEMA AS db
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME IN (?, ?)
  AND NOT (CONSTRAINT_SCHEMA = ? AND TABLE_NAME IN (?, ?))
ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`);
  });
});
