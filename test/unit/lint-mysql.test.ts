/** dbkit lint's MySQL/MariaDB rules, one by one, on exact SQL read by the tokenizer-based classifier (no server). */
import { describe, expect, it } from 'vitest';
import { mysqlReader } from '../../dialects/mysql/lint-read.js';
import { codes, file, lint, tables } from '../support/lint.js';

const my = (text: string, ctx = {}) => codes('mysql', text, ctx);
const read = (sql: string) => mysqlReader().read(sql);

describe('the MySQL classifier', () => {
  it('reads what dbkit emits', () => {
    expect(read("ALTER TABLE `users` ADD COLUMN `locale` varchar(10) NULL DEFAULT 'en' COMMENT 'x', ALGORITHM=INSTANT")).toEqual([
      {
        kind: 'alter_table',
        table: 'users',
        actions: [{ kind: 'add_column', column: 'locale', type: 'varchar(10)', notNull: false, default: { text: "'en'", volatile: false }, generated: null, ifNotExists: false }],
        algorithm: 'instant',
        lock: null,
        ifExists: false,
      },
    ]);
    const alter = read('ALTER TABLE `t` ALTER COLUMN `a` SET DEFAULT 1, RENAME INDEX `i` TO `j`, DROP FOREIGN KEY `f`, ALGORITHM=INPLACE, LOCK=NONE')[0]!;
    expect(alter).toMatchObject({ algorithm: 'inplace', lock: 'none' });
    expect(alter.kind === 'alter_table' && alter.actions.map((a) => a.kind)).toEqual(['set_default', 'rename_index', 'drop_constraint']);
    expect(read('ALTER TABLE `t` MODIFY COLUMN `s` enum(\'a\',\'b\') NOT NULL DEFAULT \'a\'')[0]).toMatchObject({
      actions: [{ kind: 'modify_column', column: 's', to: 's', type: "enum('a','b')", notNull: true }],
    });
    expect(read('PREPARE dbkit_stmt FROM @dbkit_ddl')).toEqual([{ kind: 'prepare', name: 'dbkit_stmt', from: { variable: '@dbkit_ddl' } }]);
    expect(read('SET foreign_key_checks = 0')).toEqual([{ kind: 'set', name: 'foreign_key_checks', value: '0', local: false }]);
    expect(read('SET @@SESSION.lock_wait_timeout = 5')).toEqual([{ kind: 'set', name: 'lock_wait_timeout', value: '5', local: false }]);
    expect(read('/*!40101 ALTER TABLE `t` ENGINE=InnoDB */')[0]).toMatchObject({ kind: 'alter_table', actions: [{ kind: 'rebuild', what: 'ENGINE=' }] });
  });
  it('the statement a look-up-by-structure drop builds (SET @v = COALESCE((SELECT CONCAT(...)), ...))', () => {
    const set = read(
      "SET @dbkit_ddl = COALESCE((SELECT CONCAT('ALTER TABLE `t` DROP INDEX ', '`', REPLACE(s.INDEX_NAME, '`', '``'), '`', ', ALGORITHM=INPLACE, LOCK=NONE') FROM information_schema.STATISTICS s LIMIT 1), 'SIGNAL SQLSTATE ''45000''')",
    );
    expect(set).toEqual([{ kind: 'set_user_variable', variable: '@dbkit_ddl', statement: 'ALTER TABLE `t` DROP INDEX `dbkit_dynamic`, ALGORITHM=INPLACE, LOCK=NONE' }]);
  });
  it('says unrecognized rather than guess', () => {
    expect(read('ALTER TABLE `t` ADD PARTITION (PARTITION p1 VALUES LESS THAN (10))')[0]).toMatchObject({ actions: [{ kind: 'unrecognized' }] });
    expect(read('FROBNICATE TABLE `t`')[0]).toMatchObject({ kind: 'unrecognized' });
  });
});

// Generated migrations record each statement's operations: no DBK403 (see the DBK403 tests).
const my1 = (text: string, ctx = {}) => my(text, { recorded: [true, true, true], ...ctx });

describe('DBK111, DBK202, DBK203 online ALTER', () => {
  it('an ALTER on an existing table names an online algorithm', async () => {
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `a` int NULL'))).toEqual(['1:DBK111']);
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `a` int NULL, ALGORITHM=INSTANT'))).toEqual([]);
    expect(await my1(file('ALTER TABLE `users` ADD INDEX `i` (`a`), ALGORITHM=INPLACE, LOCK=NONE'))).toEqual([]);
    expect(await my1(file('ALTER TABLE `users` ADD INDEX `i` (`a`), ALGORITHM=INPLACE'))).toEqual(['1:DBK111']);
    expect(await my1(file('ALTER TABLE `users` ADD INDEX `i` (`a`), LOCK=SHARED, ALGORITHM=INPLACE'))).toEqual(['1:DBK111']);
    expect(await my1(file('CREATE INDEX `i` ON `users` (`a`)'))).toEqual(['1:DBK111']);
    expect(await my1(file('CREATE INDEX `i` ON `users` (`a`) ALGORITHM=INPLACE LOCK=NONE'))).toEqual([]);
    expect(await my1(file('CREATE TABLE `t` (`a` int)', 'ALTER TABLE `t` ADD INDEX `i` (`a`)'))).toEqual([]);
  });
  it('a copy: ALGORITHM=COPY, or a clause that copies when no algorithm is demanded', async () => {
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `a` int, ALGORITHM=COPY'))).toEqual(['1:DBK203']);
    const fk = 'ALTER TABLE `runs` ADD FOREIGN KEY (`user_id`) REFERENCES `users` (`id`)';
    expect(await my1(file(fk))).toEqual(['1:DBK203']);
    // dbkit's online form: foreign_key_checks off, INPLACE
    expect(await my1(file('SET foreign_key_checks = 0', `${fk}, ALGORITHM=INPLACE, LOCK=NONE`, 'SET foreign_key_checks = 1'))).toEqual([]);
    expect(await my1(file('SET foreign_key_checks = 0', fk, 'SET foreign_key_checks = 1'))).toEqual(['2:DBK111']);
    const known = { tables: tables({ users: { n: 'int', s: 'varchar(50)' } }) };
    expect(await my1(file('ALTER TABLE `users` MODIFY COLUMN `n` bigint NULL'), known)).toEqual(['1:DBK203']);
    expect(await my1(file('ALTER TABLE `users` MODIFY COLUMN `s` varchar(50) NULL COMMENT \'x\''), known)).toEqual(['1:DBK111']);
    expect(await my1(file('ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4'))).toEqual(['1:DBK203']);
    expect(await my1(file('ALTER TABLE `users` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `a`)'), { recorded: [true] })).toEqual(['1:DBK203']);
  });
  it('a column added with a value per row is not INSTANT', async () => {
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `k` char(36) DEFAULT (uuid())'))).toEqual(['1:DBK202']);
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `k` bigint NOT NULL AUTO_INCREMENT UNIQUE'))).toEqual(['1:DBK202']);
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `c` timestamp NULL DEFAULT CURRENT_TIMESTAMP, ALGORITHM=INSTANT'))).toEqual([]);
  });
});

describe('DBK307, DBK402, DBK403, DBK5xx on MySQL', () => {
  it('ADD COLUMN NOT NULL without DEFAULT', async () => {
    expect(await my1(file('ALTER TABLE `users` ADD COLUMN `locale` varchar(10) NOT NULL, ALGORITHM=INSTANT'))).toEqual(['1:DBK307']);
    expect(await my1(file("ALTER TABLE `users` ADD COLUMN `locale` varchar(10) NOT NULL DEFAULT 'en', ALGORITHM=INSTANT"))).toEqual([]);
    // MySQL's words, not PostgreSQL's: the rows get the implicit default, the ALTER is not refused.
    const r = await lint('mysql', file('ALTER TABLE `users` ADD COLUMN `locale` varchar(10) NOT NULL, ALGORITHM=INSTANT'), { recorded: [true] });
    expect(r.findings.map((f) => f.message)).toEqual([
      "ALTER TABLE users ADD COLUMN locale NOT NULL without a DEFAULT: every INSERT of the running clients that does not name the column fails (and MySQL/MariaDB gives the rows users already has the type's implicit default, '' or 0, instead of a value): add it with a DEFAULT, or nullable first",
    ]);
  });
  it('transaction control', async () => {
    expect(await my(file('START TRANSACTION', 'COMMIT'))).toEqual(['1:DBK402', '2:DBK402']);
  });
  it('a hand-written statement a resumed run repeats must be safe to repeat; generated ones are decided from the catalog', async () => {
    const text = file('CREATE TABLE `t` (`a` int)', 'DROP TABLE `old`', 'ALTER TABLE `users` ADD COLUMN `b` int NULL, ALGORITHM=INSTANT');
    expect(await my(text)).toEqual(['1:DBK403', '2:DBK403', '2:DBK502', '3:DBK403']);
    expect(await my(text, { recorded: [true, true, true] })).toEqual(['2:DBK502']);
    expect(await my(file('CREATE TABLE IF NOT EXISTS `t` (`a` int)', 'DROP TABLE IF EXISTS `t`', 'ALTER TABLE `users` ADD COLUMN IF NOT EXISTS `b` int NULL, ALGORITHM=INSTANT'))).toEqual([]);
  });
  it("MariaDB's IF [NOT] EXISTS inside ALTER TABLE is safe to repeat (each form run twice on MariaDB 10.11: a warning, not an error)", async () => {
    const ok = { recorded: [false] };
    const safe = [
      'ALTER TABLE `messages` ADD CONSTRAINT `fk_messages_run` FOREIGN KEY IF NOT EXISTS (`run_id`) REFERENCES `runs` (`id`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD FOREIGN KEY IF NOT EXISTS `fk_run` (`run_id`) REFERENCES `runs` (`id`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD CONSTRAINT IF NOT EXISTS `ck_kind` CHECK (`kind` > 0), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD CONSTRAINT `u_kind` UNIQUE IF NOT EXISTS (`kind`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD UNIQUE KEY IF NOT EXISTS `u_kind` (`kind`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD INDEX IF NOT EXISTS `i_kind` (`kind`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD KEY IF NOT EXISTS `i_kind` (`kind`), ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` ADD COLUMN IF NOT EXISTS `tag` int NULL UNIQUE, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` DROP FOREIGN KEY IF EXISTS `fk_run`, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` DROP CONSTRAINT IF EXISTS `ck_kind`, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` DROP INDEX IF EXISTS `i_kind`, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` DROP KEY IF EXISTS `u_kind`, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `messages` RENAME INDEX IF EXISTS `i_a` TO `i_b`, ALGORITHM=INPLACE, LOCK=NONE',
    ];
    for (const sql of safe) expect(await my(file(sql), ok), sql).toEqual([]);
    // Renames are safe to repeat with IF EXISTS (DBK503 still says that clients using the old name break).
    expect(await my(file('ALTER TABLE `messages` RENAME COLUMN IF EXISTS `kind` TO `sort`, ALGORITHM=INPLACE, LOCK=NONE'), ok)).toEqual(['1:DBK503']);
    expect(await my(file('ALTER TABLE `messages` CHANGE COLUMN IF EXISTS `kind` `sort` int NULL, ALGORITHM=INPLACE, LOCK=NONE'), ok)).toEqual(['1:DBK503']);
    // Without the guard: the same statements are DBK403, with what fails the second time.
    const lines = async (sql: string) => (await lint('mysql', file(sql), ok)).findings.filter((f) => f.code === 'DBK403').map((f) => f.message.split(':')[0]);
    expect(await lines('ALTER TABLE `messages` ADD CONSTRAINT `fk_messages_run` FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`), ALGORITHM=INPLACE, LOCK=NONE')).toEqual([
      'ADD CONSTRAINT fk_messages_run (fails when it exists)',
    ]);
    expect(await lines('ALTER TABLE `messages` ADD UNIQUE KEY `u_kind` (`kind`), ALGORITHM=INPLACE, LOCK=NONE')).toEqual(['ADD INDEX u_kind (fails when it exists)']);
    expect(await lines('ALTER TABLE `messages` ADD COLUMN `tag` int NULL UNIQUE, ALGORITHM=INPLACE, LOCK=NONE')).toEqual(['ADD COLUMN tag without IF NOT EXISTS']);
    expect(await lines('ALTER TABLE `messages` RENAME INDEX `i_a` TO `i_b`, ALGORITHM=INPLACE, LOCK=NONE')).toEqual(['RENAME INDEX i_a (gone after the first run)']);
    expect(await lines('ALTER TABLE `messages` CHANGE COLUMN `kind` `sort` int NULL, ALGORITHM=INPLACE, LOCK=NONE')).toEqual(['CHANGE kind sort (gone after the first run)']);
    expect(await lines('ALTER TABLE `messages` DROP FOREIGN KEY `fk_run`, ALGORITHM=INPLACE, LOCK=NONE')).toEqual(['DROP FOREIGN KEY fk_run without IF EXISTS']);
    // What the classifier reads: the guard is kept on each action.
    expect(read('ALTER TABLE `m` ADD CONSTRAINT `f` FOREIGN KEY IF NOT EXISTS (`r`) REFERENCES `runs` (`id`)')[0]).toMatchObject({
      actions: [{ kind: 'add_constraint', type: 'foreign', name: 'f', ifNotExists: true }],
    });
    expect(read('ALTER TABLE `m` ADD CONSTRAINT `f` FOREIGN KEY (`r`) REFERENCES `runs` (`id`)')[0]).toMatchObject({
      actions: [{ kind: 'add_constraint', type: 'foreign', name: 'f', ifNotExists: false }],
    });
    expect(read('ALTER TABLE `m` RENAME COLUMN IF EXISTS `a` TO `b`')[0]).toMatchObject({ actions: [{ kind: 'rename_column', from: 'a', to: 'b', ifExists: true }] });
  });
  it('drops and renames', async () => {
    const r = { recorded: [true] };
    expect(await my(file('ALTER TABLE `users` DROP COLUMN `bio`, ALGORITHM=INSTANT'), r)).toEqual(['1:DBK501']);
    expect(await my(file('ALTER TABLE `users` RENAME COLUMN `a` TO `b`, ALGORITHM=INPLACE, LOCK=NONE'), r)).toEqual(['1:DBK503']);
    expect(await my(file('ALTER TABLE `users` CHANGE `a` `b` int NULL, ALGORITHM=INPLACE, LOCK=NONE'), r)).toEqual(['1:DBK503']);
    expect(await my(file('RENAME TABLE `users` TO `people`'), r)).toEqual(['1:DBK504']);
    expect(await my(file('DROP TABLE `messages`'), { direction: 'down', upText: file('CREATE TABLE `messages` (`a` int)'), recorded: [true] })).toEqual([]);
  });
});

describe('prepared statements and DBK001', () => {
  it('EXECUTE is judged as the statement it runs', async () => {
    const drop = file(
      "SET @dbkit_ddl = COALESCE((SELECT CONCAT('ALTER TABLE `t` DROP INDEX ', '`', s.INDEX_NAME, '`', ', ALGORITHM=INPLACE, LOCK=NONE') FROM information_schema.STATISTICS s LIMIT 1), 'x')",
      'PREPARE dbkit_stmt FROM @dbkit_ddl',
      'EXECUTE dbkit_stmt',
      'DEALLOCATE PREPARE dbkit_stmt',
    );
    expect(await my(drop, { recorded: [false, false, true, false] })).toEqual([]);
    const copy = file("SET @s = 'ALTER TABLE `t` ADD COLUMN `a` int'", 'PREPARE st FROM @s', 'EXECUTE st');
    expect(await my(copy, { recorded: [false, false, true] })).toEqual(['3:DBK111']);
  });
  it('an EXECUTE lint cannot follow is a note, not a finding', async () => {
    const r = await lint('mysql', file('SET @s = (SELECT 1)', 'PREPARE st FROM @s', 'EXECUTE st'));
    expect(r.findings).toEqual([]);
    expect(r.notes.map((n) => `${n.statement}: ${n.message}`)).toEqual(['3: EXECUTE st: lint cannot tell the statement it runs (not checked)']);
  });
  it('a statement or clause the classifier does not know is DBK001', async () => {
    expect(await my(file('ALTER TABLE `users` ADD PARTITION (PARTITION p1 VALUES LESS THAN (10)), ALGORITHM=INPLACE, LOCK=NONE'), { recorded: [true] })).toEqual(['1:DBK001']);
    expect(await my(file('FROBNICATE TABLE `t`'))).toEqual(['1:DBK001']);
    expect(await my(file("INSERT INTO `settings` (`key`) VALUES ('a')", 'SELECT 1'))).toEqual([]);
  });
});
