/**
 * The pure parts of the pre-flight: SHOW GRANTS read as MariaDB and MySQL 8
 * print it (documented forms), the one-line description of what a role
 * lacks, account names, and the exact catalog SQL.
 */
import { describe, expect, it } from 'vitest';
import { holds, matchesPattern, parseGrants } from '../../dialects/mysql/grants.js';
import { accountName } from '../../dialects/mysql/privileges.js';
import { ROLE_SQL, tablesSql } from '../../dialects/postgres/privileges.js';
import { ExitCode, PrivilegeError, ReadOnlyError } from '../../src/shared/errors.js';
import { describeMissing, privilegeError } from '../../src/migrate/apply/preflight.js';

const MARIADB_SELECT_ONLY = [
  "GRANT USAGE ON *.* TO `sel`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'",
  'GRANT SELECT ON `app`.* TO `sel`@`%`',
];

describe('SHOW GRANTS', () => {
  it('a SELECT-only account holds SELECT on its database and certainly not CREATE or DROP', () => {
    const g = parseGrants(MARIADB_SELECT_ONLY);
    expect(g.unreadable).toBe(0);
    expect(holds(g, 'SELECT', 'app')).toBe('yes');
    expect(holds(g, 'SELECT', 'app', 'users')).toBe('yes');
    expect(holds(g, 'CREATE', 'app')).toBe('no');
    expect(holds(g, 'DROP', 'app', 'users')).toBe('no');
    expect(holds(g, 'SELECT', 'other')).toBe('no');
  });

  it('ALL PRIVILEGES on *.* holds everything, anywhere', () => {
    const g = parseGrants(["GRANT ALL PRIVILEGES ON *.* TO `dbkit`@`%` IDENTIFIED BY PASSWORD '*X' WITH GRANT OPTION"]);
    for (const p of ['CREATE', 'DROP', 'insert']) expect(holds(g, p, 'any_db', 'any_table')).toBe('yes');
  });

  it('database patterns: LIKE wildcards and backslash escapes', () => {
    const g = parseGrants(['GRANT CREATE, DROP ON `app\\_%`.* TO `u`@`%`', 'GRANT INSERT ON `a_c`.* TO `u`@`%`']);
    expect(holds(g, 'CREATE', 'app_1')).toBe('yes');
    expect(holds(g, 'CREATE', 'appx1')).toBe('no'); // \_ is a literal underscore
    expect(holds(g, 'INSERT', 'abc')).toBe('yes'); // _ matches one character
    expect(matchesPattern('a%', 'a')).toBe(true);
    expect(matchesPattern('a.b', 'axb')).toBe(false); // regex characters are literal
  });

  it('table grants count for their table only; column lists grant no table privilege', () => {
    const g = parseGrants(['GRANT USAGE ON *.* TO `u`@`%`', 'GRANT UPDATE, SELECT (`id`, `name`), DROP ON `app`.`users` TO `u`@`%`']);
    expect(holds(g, 'DROP', 'app', 'users')).toBe('yes');
    expect(holds(g, 'DROP', 'app', 'sessions')).toBe('no');
    expect(holds(g, 'SELECT', 'app', 'users')).toBe('no');
    // On the database as a whole, a table grant of it somewhere makes "no" uncertain.
    expect(holds(g, 'DROP', 'app')).toBe('unknown');
  });

  it('identifiers with backticks, dots and spaces; grants to PUBLIC (MariaDB 10.11)', () => {
    const g = parseGrants(['GRANT SELECT ON `my db`.`odd``.name` TO `u`@`%`', 'GRANT CREATE ON `pub`.* TO PUBLIC']);
    expect(g.unreadable).toBe(0);
    expect(holds(g, 'SELECT', 'my db', 'odd`.name')).toBe('yes');
    expect(holds(g, 'CREATE', 'pub')).toBe('yes');
  });

  it('MySQL 8 partial revokes take a global privilege back from one database', () => {
    const g = parseGrants([
      'GRANT SELECT, INSERT, CREATE ON *.* TO `u`@`%`',
      'GRANT BACKUP_ADMIN,BINLOG_ADMIN ON *.* TO `u`@`%`',
      'REVOKE CREATE ON `app`.* FROM `u`@`%`',
    ]);
    expect(holds(g, 'CREATE', 'app')).toBe('no');
    expect(holds(g, 'CREATE', 'other')).toBe('yes');
    expect(holds(g, 'INSERT', 'app')).toBe('yes');
  });

  it('roles: MariaDB lists the active role\'s grants, MySQL 8 does not, so there "no" is unknown', () => {
    const lines = ['GRANT `reader` TO `u`@`%`', 'GRANT USAGE ON *.* TO `u`@`%`', 'GRANT SELECT ON `app`.* TO `reader`', 'SET DEFAULT ROLE `reader` FOR `u`@`%`'];
    const g = parseGrants(lines);
    expect(g.roles).toBe(1);
    expect(holds(g, 'CREATE', 'app', '*', { rolesListed: true })).toBe('no');
    expect(holds(g, 'CREATE', 'app')).toBe('unknown');
    expect(holds(g, 'SELECT', 'app')).toBe('yes');
  });

  it('PROXY and routine grants are skipped; an unreadable GRANT makes "no" unknown, never a refusal', () => {
    const skipped = parseGrants(["GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION", 'GRANT EXECUTE ON PROCEDURE `app`.`p` TO `u`@`%`']);
    expect(skipped.unreadable).toBe(0);
    expect(skipped.grants).toHaveLength(0);
    const odd = parseGrants(['GRANT SELECT ON something strange TO `u`@`%`']);
    expect(odd.unreadable).toBe(1);
    expect(holds(odd, 'CREATE', 'app')).toBe('unknown');
  });
});

describe('what a role lacks, in one line', () => {
  const role = 'app_ro';
  it('groups objects that lack the same privileges, in the order found', () => {
    const text = describeMissing([
      { privilege: 'SELECT', object: 'public.dbkit_migrations', role },
      { privilege: 'INSERT', object: 'public.dbkit_migrations', role },
      { privilege: 'SELECT', object: 'public.dbkit_checksums', role },
      { privilege: 'INSERT', object: 'public.dbkit_checksums', role },
      { privilege: 'CREATE', object: 'schema public', role },
    ]);
    expect(text).toBe('SELECT, INSERT on public.dbkit_migrations, public.dbkit_checksums; CREATE on schema public');
  });

  it('PrivilegeError is exit 7, ReadOnlyError exit 6; the message is one line', () => {
    const err = privilegeError('role app_ro', [{ privilege: 'SELECT', object: 'public.dbkit_migrations', role }], 'status needs it');
    expect(err).toBeInstanceOf(PrivilegeError);
    expect(err.exitCode).toBe(ExitCode.privilege);
    expect(ExitCode.privilege).toBe(7);
    expect(err.message).toBe('role app_ro lacks SELECT on public.dbkit_migrations: status needs it');
    expect(err.missing).toEqual([{ privilege: 'SELECT', object: 'public.dbkit_migrations', role }]);
    expect(new ReadOnlyError('x').exitCode).toBe(6);
  });

  it("MySQL accounts as GRANT spells them: 'user'@'host'", () => {
    expect(accountName('sel@%')).toBe("'sel'@'%'");
    expect(accountName('we@ird@10.0.0.%')).toBe("'we@ird'@'10.0.0.%'");
    expect(accountName("o'brien@localhost")).toBe("'o''brien'@'localhost'");
  });
});

describe('PostgreSQL catalog SQL', () => {
  it('asks the server (has_*_privilege, pg_has_role) about named tables of one namespace', () => {
    expect(tablesSql(2)).toBe(`SELECT c.relname AS name,
       has_table_privilege(c.oid, 'SELECT') AS "SELECT",
       has_table_privilege(c.oid, 'INSERT') AS "INSERT",
       has_table_privilege(c.oid, 'UPDATE') AS "UPDATE",
       has_table_privilege(c.oid, 'DELETE') AS "DELETE",
       has_table_privilege(c.oid, 'TRUNCATE') AS "TRUNCATE",
       pg_has_role(c.relowner, 'USAGE') AS owned, pg_get_userbyid(c.relowner) AS owner
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname IN (?, ?)`);
    expect(ROLE_SQL).toContain("has_database_privilege(current_database(), 'CREATE')");
    expect(ROLE_SQL.match(/\?/g)).toHaveLength(2);
  });
});
