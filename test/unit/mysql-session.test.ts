/** The session set-up of every MySQL/MariaDB connection: its exact SQL (its effect is tested on a real server in test/integration/mysql-sql-mode.test.ts). */
import { describe, expect, it } from 'vitest';
import { DROPPED_SQL_MODES, SQL_MODE, SYNC_WAIT } from '../../dialects/mysql/session.js';

describe('dbkit\'s sql_mode', () => {
  it('is the session\'s own minus the modes that change how SQL reads, plus STRICT_ALL_TABLES, in one statement', () => {
    expect(DROPPED_SQL_MODES).toEqual([
      'ANSI_QUOTES', 'ANSI', 'ORACLE', 'MSSQL', 'DB2', 'MAXDB', 'POSTGRESQL', 'NO_BACKSLASH_ESCAPES', 'PIPES_AS_CONCAT', 'EMPTY_STRING_IS_NULL', 'NO_KEY_OPTIONS', 'NO_TABLE_OPTIONS', 'NO_FIELD_OPTIONS',
    ]);
    expect(SQL_MODE).toBe(
      "SET SESSION sql_mode = CONCAT_WS(',', 'STRICT_ALL_TABLES', NULLIF(TRIM(BOTH ',' FROM " +
        'REPLACE('.repeat(13) +
        "CONCAT(',', @@SESSION.sql_mode, ','), ',ANSI_QUOTES,', ','), ',ANSI,', ','), ',ORACLE,', ','), ',MSSQL,', ','), ',DB2,', ','), ',MAXDB,', ','), " +
        "',POSTGRESQL,', ','), ',NO_BACKSLASH_ESCAPES,', ','), ',PIPES_AS_CONCAT,', ','), ',EMPTY_STRING_IS_NULL,', ','), ',NO_KEY_OPTIONS,', ','), " +
        "',NO_TABLE_OPTIONS,', ','), ',NO_FIELD_OPTIONS,', ',')), ''))",
    );
    expect(SYNC_WAIT).toBe('SET SESSION wsrep_sync_wait = 15');
  });
});
