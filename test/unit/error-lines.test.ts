/**
 * Errors that say why (issue 20): a config file that does not parse is
 * located by line and column without a character of it, and a driver's
 * error is the server's own words (with the statement's first line), with
 * the exit code of the README's table. The driver errors are built as
 * node-postgres and mysql2 build them (fields as documented by each).
 */
import { describe, expect, it } from 'vitest';
import { jsonFault } from '../../src/config/json-error.js';
import { annotate, driverExitCode, driverLine, knexQueryError } from '../../src/connection/driver-errors.js';

describe('a JSON fault, by line and column only', () => {
  it.each([
    ['{"url": "x" "schema": "y"}', 1, 13, "expected ',' or '}' after a property value, found a punctuation character"],
    ['{\n  "url": "x",\n  "pass": Secret\n}', 3, 11, 'expected a value (a string in double quotes, a number, an object, an array, true, false or null), found a letter'],
    ["{ url: 'x' }", 1, 3, 'expected a property name in double quotes, found a letter'],
    ['{"a": 1,}', 1, 9, 'expected a property name after the comma (JSON allows no trailing comma), found a punctuation character'],
    ['{"a": "unclosed\n}', 1, 16, 'a string runs past the end of its line (not closed by a double quote?)'],
    ['{"a": "b\\qc"}', 1, 9, 'an invalid escape in a string (a backslash must be written \\\\)'],
    ['{"a": 1} x', 1, 10, 'more text after the end of the JSON value'],
    ['{"a": [1, 2', 1, 12, "expected ',' or ']' after a value, found the end of the file"],
  ])('%j: line %i, column %i', (text, line, column, what) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonFault(text)).toEqual({ line, column, what });
  });

  it('no fault in JSON', () => {
    expect(jsonFault('\uFEFF{"a": [1, -2.5e3, true, null, {"b": "\\u00e9\\n"}]}')).toBeNull();
  });
});

/** As node-postgres builds a DatabaseError: message, severity, SQLSTATE code. */
const pgError = (message: string, code: string) => Object.assign(new Error(message), { severity: 'ERROR', code });
/** As mysql2 builds a query error: code, errno, sqlState, sqlMessage (the message is the same text). */
const mysqlError = (sqlMessage: string, code: string, errno: number) => Object.assign(new Error(sqlMessage), { code, errno, sqlState: 'HY000', sqlMessage });

describe("a driver's error as one line", () => {
  it("Knex's '<sql> - <message>' taken apart: the server's words, then the statement's first line", () => {
    const sql = 'SELECT c.relname AS name,\n  c.relkind\nFROM pg_class c';
    const err = pgError(`${sql} - canceling statement due to statement timeout`, '57014');
    knexQueryError(err, { sql });
    expect(err.message).toBe('canceling statement due to statement timeout');
    expect(driverLine(err)).toBe('canceling statement due to statement timeout (SQLSTATE 57014); statement: SELECT c.relname AS name,');
    expect(driverExitCode(err)).toBeNull();
  });

  it('lock waits are exit 4, read-only 6, privileges 7 (PostgreSQL and MySQL)', () => {
    const lock = annotate(mysqlError('Lock wait timeout exceeded; try restarting transaction', 'ER_LOCK_WAIT_TIMEOUT', 1205), 'SELECT 1 FROM `dbkit_migrations` LIMIT 0');
    expect(driverLine(lock)).toBe(
      'gave up waiting for a lock another session holds (--lock-timeout): Lock wait timeout exceeded; try restarting transaction (ER_LOCK_WAIT_TIMEOUT); statement: SELECT 1 FROM `dbkit_migrations` LIMIT 0',
    );
    expect(driverExitCode(lock)).toBe(4);
    expect(driverExitCode(pgError('canceling statement due to lock timeout', '55P03'))).toBe(4);
    expect(driverExitCode(pgError('cannot execute UPDATE in a read-only transaction', '25006'))).toBe(6);
    expect(driverExitCode(mysqlError('The MariaDB server is running with the --read-only option so it cannot execute this statement', 'ER_OPTION_PREVENTS_STATEMENT', 1290))).toBe(6);
    expect(driverExitCode(mysqlError('The MariaDB server is running with the --secure-file-priv option so it cannot execute this statement', 'ER_OPTION_PREVENTS_STATEMENT', 1290))).toBeNull();
    expect(driverExitCode(pgError('permission denied for database app', '42501'))).toBe(7);
    expect(driverExitCode(mysqlError("INSERT command denied to user 'app'@'%' for table 'users'", 'ER_TABLEACCESS_DENIED_ERROR', 1142))).toBe(7);
  });

  it('an error that is not from a server: its first line, as before', () => {
    expect(driverLine(new Error('EISDIR: illegal operation on a directory\nmore'))).toBe('EISDIR: illegal operation on a directory');
    expect(driverExitCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeNull();
  });
});
