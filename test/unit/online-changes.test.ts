/**
 * Bounded write stalls, the pure parts (docs/online-changes.md): the bounds
 * of migrate and rollback (flags over the config file over the defaults),
 * each engine's settings and error codes, pt-online-schema-change's
 * arguments and option file, and what `make` writes about a blocking
 * statement.
 */
import { describe, expect, it } from 'vitest';
import { dropLeftover, leftoverNames, optionFile, optionValue, parseAlter, ptOscArgs } from '../../dialects/mysql/pt-osc.js';
import { mysqlBounds } from '../../dialects/mysql/timeouts.js';
import { fromToolRow, LIVE_CONNECTIONS, ptOscProbe, toolTable } from '../../dialects/mysql/pt-osc-work.js';
import { postgresBounds } from '../../dialects/postgres/timeouts.js';
import { applyLimits, DEFAULT_LIMITS, lockRetryPauseMs } from '../../src/config/online.js';
import { blockingChanges, composeMigration } from '../../src/migrate/author/compose.js';
import { checkMeta } from '../../src/migrate/folder/format.js';
import { explainLimit, onlineLockBoundMs, onlineWait } from '../../src/migrate/apply/limits.js';
import { noRenames } from '../../src/plan/plan.js';
import { chat } from '../../src/schema/chat.js';
import { t } from '../../src/schema/definition.js';
import { plan } from '../support/planners.js';

describe('the bounds of migrate and rollback', () => {
  it('defaults: 60 s a statement, 0.5 s for a lock, 10 attempts, no online runner', () => {
    expect(DEFAULT_LIMITS).toEqual({ statementTimeoutMs: 60_000, ddlLockTimeoutMs: 500, ddlLockAttempts: 10, online: 'none' });
  });

  it('flags go over the config file, which goes over the defaults; a value left out is unset', () => {
    const file = applyLimits(DEFAULT_LIMITS, { statementTimeout: 120, ddlLockTimeout: 2, online: 'pt-osc' }, 'config');
    expect(file).toEqual({ statementTimeoutMs: 120_000, ddlLockTimeoutMs: 2_000, ddlLockAttempts: 10, online: 'pt-osc' });
    expect(applyLimits(file, { statementTimeout: '0', ddlLockAttempts: '3', online: 'NONE' }, 'flags')).toEqual({
      statementTimeoutMs: 0,
      ddlLockTimeoutMs: 2_000,
      ddlLockAttempts: 3,
      online: 'none',
    });
  });

  it('a bad value is a usage error naming the flag or the config key', () => {
    const bad = (over: Parameters<typeof applyLimits>[1], names: 'flags' | 'config', message: string) =>
      expect(() => applyLimits(DEFAULT_LIMITS, over, names)).toThrow(expect.objectContaining({ exitCode: 2, message }));
    bad({ statementTimeout: 'soon' }, 'flags', '--statement-timeout must be a number of seconds (0: no bound), got "soon"');
    // lock_timeout 0 would mean: wait for ever.
    bad({ ddlLockTimeout: 0 }, 'config', 'config "ddlLockTimeout" must be a number of seconds more than 0, got "0"');
    bad({ ddlLockAttempts: '1.5' }, 'flags', '--ddl-lock-attempts must be a whole number from 1 to 100, got "1.5"');
    bad({ online: 'gh-ost' }, 'flags', '--online must be one of pt-osc, none, got "gh-ost"');
    // An empty value is not unset (nor 0, "no bound"): refused, as the CLI and the config loader refuse it first.
    bad({ statementTimeout: ' ' }, 'flags', '--statement-timeout is empty: give it a value, or leave it out');
    bad({ ddlLockTimeout: '' }, 'config', 'config "ddlLockTimeout" is empty: give it a value, or leave it out');
    bad({ ddlLockAttempts: '' }, 'flags', '--ddl-lock-attempts is empty: give it a value, or leave it out');
    bad({ online: '' }, 'config', 'config "online" is empty: give it a value, or leave it out');
  });

  it('pauses 0.5, 1, 2, 4 s, then 5 s between attempts', () => {
    expect([1, 2, 3, 4, 5, 9].map(lockRetryPauseMs)).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });
});

describe("each engine's settings", () => {
  it('PostgreSQL: SET LOCAL in a transaction, SET on a session, reset after', () => {
    expect(postgresBounds.setLock(500, true)).toEqual([{ sql: "SET LOCAL lock_timeout = '500ms'" }]);
    expect(postgresBounds.setStatement(60_000, false)).toEqual([{ sql: "SET statement_timeout = '60000ms'" }]);
    expect(postgresBounds.setStatement(0, true)).toEqual([{ sql: "SET LOCAL statement_timeout = '0ms'" }]);
    expect(postgresBounds.reset().map((s) => s.sql)).toEqual(['RESET lock_timeout', 'RESET statement_timeout']);
    expect(postgresBounds.lockWaitMs(500)).toBe(500);
  });

  it('MySQL: lock_wait_timeout in whole seconds (at least 1), max_statement_time skipped where unknown, foreign_key_checks restored', () => {
    expect(mysqlBounds.setLock(500, false)).toEqual([{ sql: 'SET SESSION lock_wait_timeout = 1' }]);
    expect(mysqlBounds.setLock(2_500, false)).toEqual([{ sql: 'SET SESSION lock_wait_timeout = 3' }]);
    expect(mysqlBounds.lockWaitMs(500)).toBe(1_000);
    expect(mysqlBounds.setStatement(60_000, false)).toEqual([{ sql: 'SET SESSION max_statement_time = 60.000', optional: true }]);
    expect(mysqlBounds.reset()).toEqual([
      { sql: 'SET SESSION lock_wait_timeout = DEFAULT' },
      { sql: 'SET SESSION max_statement_time = DEFAULT', optional: true },
      { sql: 'SET SESSION foreign_key_checks = DEFAULT' },
    ]);
  });

  it('statements that let writes go on however long they run have no run-time bound', () => {
    expect(postgresBounds.runsOnline('CREATE INDEX CONCURRENTLY "i" ON "t" ("c")')).toBe(true);
    expect(postgresBounds.runsOnline('CREATE UNIQUE INDEX CONCURRENTLY "i" ON "t" ("c")')).toBe(true);
    expect(postgresBounds.runsOnline('ALTER TABLE "t" VALIDATE CONSTRAINT "c"')).toBe(true);
    expect(postgresBounds.runsOnline('ALTER TABLE "t" ALTER COLUMN "n" TYPE bigint')).toBe(false);
    expect(postgresBounds.runsOnline('ALTER TABLE "t" ADD CONSTRAINT "c" FOREIGN KEY ("a") REFERENCES "u" ("id") NOT VALID')).toBe(false);
    expect(mysqlBounds.runsOnline('ALTER TABLE `t` ADD INDEX `i` (`c`), ALGORITHM=INPLACE, LOCK=NONE')).toBe(true);
    expect(mysqlBounds.runsOnline('ALTER TABLE `t` MODIFY COLUMN `n` bigint')).toBe(false);
    expect(mysqlBounds.runsOnline('ALTER TABLE `t` ADD COLUMN `b` text, ALGORITHM=INSTANT')).toBe(false);
  });

  it("waits up to --lock-timeout only where a queued lock holds nobody up (PostgreSQL's SHARE UPDATE EXCLUSIVE), saying what it waited for", () => {
    expect(postgresBounds.waitsOnline('CREATE INDEX CONCURRENTLY "i" ON "t" ("c")')).toBe(true);
    expect(postgresBounds.waitsOnline('DROP INDEX CONCURRENTLY IF EXISTS "public"."i"')).toBe(true);
    expect(postgresBounds.waitsOnline('ALTER TABLE "t" VALIDATE CONSTRAINT "c"')).toBe(true);
    expect(postgresBounds.waitsOnline('ALTER TABLE "t" ADD CONSTRAINT "c" CHECK ("n" IS NOT NULL) NOT VALID')).toBe(false);
    // INPLACE takes an exclusive metadata lock at its start and end: every query queues behind the request.
    expect(mysqlBounds.waitsOnline('ALTER TABLE `t` ADD INDEX `i` (`c`), ALGORITHM=INPLACE, LOCK=NONE')).toBe(false);
    expect(postgresBounds.waitedFor('CREATE UNIQUE INDEX CONCURRENTLY "k" ON "my ""t""" ("c")', false)).toBe(
      'a lock on table "my ""t""" that another session holds (a schema change, VACUUM, ANALYZE or index build on it)',
    );
    expect(postgresBounds.waitedFor('CREATE INDEX CONCURRENTLY "i" ON "t" ("c")', true)).toMatch(/^other transactions to end \(its index was made, not yet valid: /);
    expect(postgresBounds.waitedFor('ALTER TABLE "s"."t" VALIDATE CONSTRAINT "c"', false)).toBe('a lock on table "s"."t" (or the table its foreign key references) that another session holds');
    const err = explainLimit(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }), postgresBounds, DEFAULT_LIMITS, 3, onlineWait(postgresBounds, 60_000, 'other transactions to end')) as Error;
    expect(err.message).toBe(
      'canceling statement due to lock timeout (tried 3 times, each waiting 60s (lock_timeout, --lock-timeout) for other transactions to end: end the long transaction or query that holds it up, or pass a longer --lock-timeout (or --ddl-lock-attempts))',
    );
    // --lock-timeout 0 (no wait for dbkit's own lock) never makes a statement's wait unbounded.
    expect(onlineLockBoundMs(0, DEFAULT_LIMITS)).toBe(500);
    expect(onlineLockBoundMs(60_000, DEFAULT_LIMITS)).toBe(60_000);
  });

  it('knows its lock and statement timeouts from other errors (a Ctrl-C cancel is not a timeout)', () => {
    const pg = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(postgresBounds.lockTimedOut(pg('55P03', 'canceling statement due to lock timeout'))).toBe(true);
    expect(postgresBounds.statementTimedOut(pg('57014', 'canceling statement due to statement timeout'))).toBe(true);
    expect(postgresBounds.statementTimedOut(pg('57014', 'canceling statement due to user request'))).toBe(false);
    const my = (errno: number) => Object.assign(new Error('x'), { errno });
    expect(mysqlBounds.lockTimedOut(my(1205))).toBe(true);
    expect(mysqlBounds.statementTimedOut(my(1969))).toBe(true);
    expect(mysqlBounds.unknownSetting(my(1193))).toBe(true);
    expect(mysqlBounds.lockTimedOut(my(1213))).toBe(false);
  });

  it('says what ran out and what to do, in the words the runner prints (message; MySQL: sqlMessage)', () => {
    const pgErr = explainLimit(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }), postgresBounds, DEFAULT_LIMITS, 10) as Error;
    expect(pgErr.message).toBe(
      "canceling statement due to lock timeout (tried 10 times, each waiting 0.5s (lock_timeout) for a lock another session holds on the table: end that session's long transaction, or pass --ddl-lock-timeout / --ddl-lock-attempts)",
    );
    const myErr = explainLimit(Object.assign(new Error('x'), { errno: 1969, sqlMessage: 'Query execution was interrupted (max_statement_time exceeded)' }), mysqlBounds, DEFAULT_LIMITS, 1) as Error & {
      sqlMessage: string;
    };
    expect(myErr.sqlMessage).toBe(
      "Query execution was interrupted (max_statement_time exceeded) (it ran longer than dbkit's statement bound of 60s, holding its locks all along; if it must run longer, pass --statement-timeout SECONDS (or set statementTimeout in the config file; 0: no bound))",
    );
    const other = new Error('syntax error');
    expect(explainLimit(other, postgresBounds, DEFAULT_LIMITS, 1)).toBe(other);
    expect(other.message).toBe('syntax error');
  });
});

describe('pt-online-schema-change', () => {
  it('takes the clauses of an ALTER TABLE, the table unquoted', () => {
    expect(parseAlter('ALTER TABLE `api_calls` MODIFY COLUMN `total_tokens` bigint')).toEqual({ table: 'api_calls', alter: 'MODIFY COLUMN `total_tokens` bigint' });
    expect(parseAlter('ALTER TABLE `we``ird` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`)')).toEqual({ table: 'we`ird', alter: 'DROP PRIMARY KEY, ADD PRIMARY KEY (`id`)' });
    expect(parseAlter('SET foreign_key_checks = 0')).toBeNull();
  });

  it('knows its own work in the process list: statements naming _<table>_new, or its comment and the table; its process id from the comment', () => {
    const nibble =
      'INSERT LOW_PRIORITY IGNORE INTO `app`.`_users_new` (`id`, `username`) SELECT `id`, `username` FROM `app`.`users` FORCE INDEX(`PRIMARY`) WHERE ((`id` >= ?)) AND ((`id` <= ?)) LOCK IN SHARE MODE /*pt-online-schema-change 4242 copy nibble*/';
    expect(fromToolRow({ ID: 17, USER: 'app', TIME: 3, INFO: nibble }, 'app', ['users', 'sessions'])).toEqual({ id: 17, user: 'app', seconds: 3, statement: nibble, pid: 4242, table: 'users' });
    expect(toolTable('ALTER TABLE `_users_new` MODIFY COLUMN `username` varchar(100) NOT NULL', 'app', ['users'])).toBe('users');
    expect(toolTable('EXPLAIN SELECT * FROM `app`.`users` /*explain pt-online-schema-change 4242 copy nibble*/', 'app', ['users'])).toBe('users');
    // An application's query on the table is not the tool's.
    expect(fromToolRow({ id: 18, user: 'app', time: 1, info: 'SELECT * FROM `users` WHERE `id` = 1' }, 'app', ['users'])).toBeNull();
    expect(ptOscProbe.tables(['ALTER TABLE `users` MODIFY COLUMN `username` varchar(100) NOT NULL', 'ALTER TABLE `users` ADD COLUMN `b` int', 'SET foreign_key_checks = 0'])).toEqual(['users']);
    const w = { id: 17, user: 'app', seconds: 3, statement: nibble, pid: 4242, table: 'users' };
    expect(ptOscProbe.howToEnd(w, 'app')).toBe(
      'stop the tool with kill -INT 4242 on the machine that runs it (it then drops its triggers and _users_new), or end its connection with KILL 17 (the next dbkit run then drops what it left)',
    );
    expect(ptOscProbe.howToEnd({ ...w, pid: null }, 'app')).toBe('end its connection with KILL 17 (the next dbkit run then drops what it left)');
    expect(LIVE_CONNECTIONS(2)).toBe('SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN (?, ?)');
  });

  it('runs with the option file first, --execute, foreign keys of other tables moved, utf8mb4', () => {
    expect(ptOscArgs('/tmp/x/client.cnf', 'app', 'api_calls', 'MODIFY COLUMN `n` bigint')).toEqual([
      '--defaults-file=/tmp/x/client.cnf',
      '--alter',
      'MODIFY COLUMN `n` bigint',
      '--execute',
      '--alter-foreign-keys-method=auto',
      '--charset=utf8mb4',
      '--progress=time,10',
      'D=app,t=api_calls',
    ]);
    // A comma would end a DSN part.
    expect(ptOscArgs('/f', 'a,b', 't', 'x').at(-1)).toBe('D=a\\,b,t=t');
  });

  it('puts the password in an option file, quoted and escaped, never on the command line', () => {
    expect(optionFile({ host: '127.0.0.1', port: 3306, user: 'app', password: 'p#ss w"rd\\x' })).toBe(
      "[client]\nuser=\"app\"\npassword='p#ss w\"rd\\\\x'\nhost=\"127.0.0.1\"\nport=\"3306\"\n",
    );
    expect(optionFile({ host: 'h', port: 1, socketPath: '/run/mysqld.sock', user: 'u', password: 'pw' })).toBe('[client]\nuser="u"\npassword="pw"\nsocket="/run/mysqld.sock"\n');
    expect(optionValue(`both ' and "`)).toBeNull();
    expect(optionValue('line\nbreak')).toBeNull();
    expect(optionFile({ host: 'h', port: 1, user: 'u', password: `'"` })).toBeNull();
    expect(ptOscArgs('/f', 'd', 't', 'x').join(' ')).not.toContain('pw');
  });

  it("names what a killed run of the tool leaves, and drops only those", () => {
    expect(leftoverNames('app', 'users')).toEqual({ table: '_users_new', triggers: ['pt_osc_app_users_ins', 'pt_osc_app_users_upd', 'pt_osc_app_users_del'] });
    expect(dropLeftover('trigger', 'pt_osc_app_users_ins')).toBe('DROP TRIGGER IF EXISTS `pt_osc_app_users_ins`');
    expect(dropLeftover('table', '_users_new')).toBe('DROP TABLE IF EXISTS `_users_new`');
  });
});

describe('make and a blocking statement', () => {
  const bigint = structuredClone(chat);
  bigint.tables.find((x) => x.name === 'api_calls')!.columns.find((c) => c.name === 'total_tokens')!.type = t.bigint();
  const plans = plan(chat, bigint, noRenames());

  it('gates it per engine; MySQL copies pass when they run through pt-online-schema-change', () => {
    expect(blockingChanges(plans)).toEqual([
      'PostgreSQL: rewrites table api_calls under an ACCESS EXCLUSIVE lock (alter column api_calls.total_tokens: integer -> bigint): reads and writes wait until it ends',
      'MySQL/MariaDB: copies table api_calls (alter column api_calls.total_tokens: int -> bigint): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)',
    ]);
    expect(blockingChanges(plans, 'pt-osc')).toEqual([blockingChanges(plans)[0]]);
  });

  it('writes the statements into migration.json and a warning into the SQL header; format 1 still reads', () => {
    const made = composeMigration('20260101000000_bigint', plans, bigint);
    const my = made.meta.dialects.mysql;
    expect(my.up.blocking).toEqual([0]);
    expect(my.down.blocking).toEqual([0]);
    expect(my.up.warnings).toContain(
      'BLOCKS WRITES: statement 1 copies table api_calls (alter column api_calls.total_tokens: int -> bigint): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)',
    );
    expect(made.meta.format).toBe(1);
    expect(checkMeta(JSON.parse(JSON.stringify(made.meta)), 'x').dialects.mysql.up.blocking).toEqual([0]);
    // A migration with nothing blocking has no key at all (as every migration made before).
    const plain = composeMigration('20260101000000_x', plan(chat, chat, noRenames()), chat);
    expect('blocking' in plain.meta.dialects.postgres.up).toBe(false);
    const broken = JSON.parse(JSON.stringify(made.meta));
    broken.dialects.mysql.up.blocking = ['first'];
    expect(() => checkMeta(broken, 'm')).toThrow('m: mysql: "blocking" must list statement numbers');
  });
});
