/**
 * The planner's MySQL / MariaDB statements, exactly: the ALGORITHM each
 * clause may demand on both MySQL 8 and MariaDB 10.11 (dialects/mysql/
 * plan-online.ts; test/integration/plan-apply.test.ts runs them on MariaDB),
 * one ALTER TABLE per table where clauses share an algorithm, MODIFY with
 * the full definition.
 */
import { describe, expect, it } from 'vitest';
import { columnChange } from '../../dialects/mysql/plan-online.js';
import type { Column } from '../../src/schema/model.js';
import { planOf, sqlOf } from '../support/plans.js';
import { tableOf, VARIANTS } from '../support/variants.js';
import { planChange } from '../support/planners.js';

const my = (name: string) => sqlOf(planOf(name, 'mysql'));
const col = (type: string, more: Partial<Column> = {}): Column => ({
  name: 'c',
  type,
  nullable: true,
  default: null,
  autoIncrement: false,
  onUpdate: null,
  comment: null,
  ...more,
});

describe('MySQL plans: online DDL clauses', () => {
  it('adds and drops columns INSTANT', () => {
    expect(my('nullable column')).toEqual(['ALTER TABLE `users` ADD COLUMN `bio` text, ALGORITHM=INSTANT']);
    expect(my('NOT NULL column with a default')).toEqual(["ALTER TABLE `sessions` ADD COLUMN `kind` varchar(20) NOT NULL DEFAULT 'chat', ALGORITHM=INSTANT"]);
    expect(my('dropped column')).toEqual(['ALTER TABLE `files` DROP COLUMN `file_hash`, ALGORITHM=INSTANT']);
    // An expression default is not INSTANT on MySQL: no clause.
    const from = VARIANTS['chat/mysql']();
    const to = structuredClone(from);
    tableOf(to, 'users').columns.push(col('varchar(36)', { name: 'token', default: '(uuid())' }), col('timestamp', { name: 'seen_at', default: 'CURRENT_TIMESTAMP' }));
    expect(sqlOf(planChange(from, to, { purpose: 'migration' }))).toEqual([
      'ALTER TABLE `users` ADD COLUMN `seen_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP, ALGORITHM=INSTANT',
      'ALTER TABLE `users` ADD COLUMN `token` varchar(36) DEFAULT (uuid())',
    ]);
  });

  it('extends a VARCHAR in place within its length-byte class, never across it, and never narrows in place', () => {
    expect(my('wider varchar')).toEqual(['ALTER TABLE `sessions` MODIFY COLUMN `title` varchar(300) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE']);
    expect(my('narrower varchar')).toEqual(['ALTER TABLE `sessions` MODIFY COLUMN `title` varchar(200) NOT NULL']);
    expect(columnChange(col('varchar(20)'), col('varchar(63)'))).toEqual({ how: 'modify', algorithm: 'inplace' });
    expect(columnChange(col('varchar(63)'), col('varchar(64)'))).toEqual({ how: 'modify', algorithm: null }); // 252 -> 256 bytes
    expect(columnChange(col('varchar(100)', { charset: 'latin1' }), col('varchar(255)', { charset: 'latin1' }))).toEqual({ how: 'modify', algorithm: 'inplace' });
    expect(columnChange(col('varchar(20)'), col('varchar(40)', { nullable: false }))).toEqual({ how: 'modify', algorithm: null });
  });

  it('appends ENUM labels INSTANT with the full definition, comment included; removing one copies', () => {
    expect(my('enum label appended')).toEqual([
      "ALTER TABLE `messages` MODIFY COLUMN `role` enum('user','assistant','system','tool') NOT NULL " +
        "COMMENT 'Message role: user-user, assistant-AI assistant, system-system', ALGORITHM=INSTANT",
    ]);
    expect(my('enum label removed')).toEqual([
      "ALTER TABLE `messages` MODIFY COLUMN `content_type` enum('text','image_url') NOT NULL DEFAULT 'text' COMMENT 'Content type'",
    ]);
    expect(columnChange(col("enum('a','b')"), col("enum('b','a','c')")).algorithm).toBeNull();
  });

  it('sets a literal default INSTANT without restating the column', () => {
    expect(columnChange(col('int', { default: '0' }), col('int', { default: '5' }))).toEqual({ how: 'default', algorithm: 'instant' });
    expect(columnChange(col('timestamp'), col('timestamp', { default: 'CURRENT_TIMESTAMP' }))).toEqual({ how: 'modify', algorithm: null });
    const expected = VARIANTS['chat/mysql']();
    const actual = structuredClone(expected);
    tableOf(actual, 'api_calls').columns.find((c) => c.name === 'request_tokens')!.default = '5';
    expect(sqlOf(planChange(actual, expected, { purpose: 'fix' }))).toEqual(['ALTER TABLE `api_calls` ALTER COLUMN `request_tokens` SET DEFAULT 0, ALGORITHM=INSTANT']);
  });

  it('renames a column and changes comments in place; renames a table with RENAME TABLE', () => {
    expect(my('declared column rename')).toEqual(['ALTER TABLE `users` RENAME COLUMN `username` TO `handle`, ALGORITHM=INPLACE, LOCK=NONE']);
    expect(my('comments')).toEqual([
      "ALTER TABLE `users` MODIFY COLUMN `phone` varchar(20) COMMENT 'Phone number (E.164)', COMMENT = 'People', ALGORITHM=INPLACE, LOCK=NONE",
    ]);
    expect(my('declared table rename')).toEqual(['RENAME TABLE `messages` TO `chat_messages`']);
  });

  it('adds indexes and unique constraints in place; a foreign key in place between foreign_key_checks=0 and =1', () => {
    expect(my('index on an existing table')).toEqual(['ALTER TABLE `messages` ADD INDEX `idx_messages_sender` (`sender`), ALGORITHM=INPLACE, LOCK=NONE']);
    expect(my('unique constraint')).toEqual(['ALTER TABLE `files` ADD UNIQUE (`file_hash`), ALGORITHM=INPLACE, LOCK=NONE']);
    // The index MySQL makes for the foreign key comes with it.
    const plan = planOf('new foreign key', 'mysql');
    expect(sqlOf(plan)).toEqual([
      'ALTER TABLE `files` ADD COLUMN `session_id` bigint, ALGORITHM=INSTANT',
      'SET foreign_key_checks = 0',
      'ALTER TABLE `files` ADD FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE SET NULL, ALGORITHM=INPLACE, LOCK=NONE',
      'SET foreign_key_checks = 1',
    ]);
    // One operation: a resumed run starts again at the first SET (the session setting is not carried over).
    const fk = plan.operations.findIndex((o) => o.op === 'add_foreign_key');
    expect(plan.statements.map((s) => s.operations)).toEqual([[0], [fk], [fk], [fk]]);
    expect(plan.blocking).toEqual([]);
    // A fix script keeps the server's check for orphans.
    expect(sqlOf(planOf('new foreign key', 'mysql', 'fix'))[1]).toBe('ALTER TABLE `files` ADD FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE SET NULL');
  });

  it('leaves the foreign-key index it made to MySQL when another index takes over', () => {
    const expected = VARIANTS['agents/mysql']();
    const after = structuredClone(expected);
    const gallery = tableOf(after, 'gallery');
    gallery.indexes = gallery.indexes.filter((i) => !i.implicit || i.columns[0] !== 'run_id');
    gallery.indexes.push({ name: 'idx_gallery_run_id', columns: ['run_id'], unique: false, method: 'btree', where: null });
    const plan = planChange(expected, after, { purpose: 'migration' });
    expect(plan.operations.map((o) => o.op)).toEqual(['drop_index', 'create_index']);
    expect(sqlOf(plan)).toEqual(['ALTER TABLE `gallery` ADD INDEX `idx_gallery_run_id` (`run_id`), ALGORITHM=INPLACE, LOCK=NONE']);
  });
});

describe('MySQL plans: tables and constraints', () => {
  it('creates a table without foreign keys, then adds them in one ALTER TABLE', () => {
    expect(my('new table with foreign keys')).toEqual([
      'CREATE TABLE `tags` (\n' +
        '    `id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n' +
        '    `user_id` bigint NOT NULL,\n' +
        '    `run_id` bigint,\n' +
        '    `label` varchar(50) NOT NULL,\n' +
        '    `created_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP,\n' +
        '    UNIQUE (`user_id`, `label`),\n' +
        '    INDEX `idx_tags_run_id` (`run_id`)\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
      'ALTER TABLE `tags` ADD FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`) ON DELETE CASCADE, ' +
        'ADD FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE',
    ]);
  });

  it('drops a foreign key whose name the engine chose by looking it up, in four statements on one session', () => {
    const [set, prepare, execute, deallocate, off, add, on] = my('foreign key action');
    expect(set).toBe(
      "SET @dbkit_ddl = COALESCE((SELECT CONCAT('ALTER TABLE `gallery` DROP FOREIGN KEY ', '`', REPLACE(k.CONSTRAINT_NAME, '`', '``'), '`', " +
        "', ALGORITHM=INPLACE, LOCK=NONE') FROM information_schema.KEY_COLUMN_USAGE k " +
        "WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = 'gallery' AND k.REFERENCED_TABLE_NAME = 'runs' " +
        "GROUP BY k.CONSTRAINT_NAME HAVING GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ',') = 'run_id' LIMIT 1), " +
        "'SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ''dbkit: no foreign key (run_id) on gallery''')",
    );
    expect([prepare, execute, deallocate]).toEqual(['PREPARE dbkit_stmt FROM @dbkit_ddl', 'EXECUTE dbkit_stmt', 'DEALLOCATE PREPARE dbkit_stmt']);
    expect([off, add, on]).toEqual([
      'SET foreign_key_checks = 0',
      'ALTER TABLE `gallery` ADD FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`) ON DELETE SET NULL, ALGORITHM=INPLACE, LOCK=NONE',
      'SET foreign_key_checks = 1',
    ]);
  });

  it('drops a named foreign key by name, in place', () => {
    const expected = VARIANTS['chat/mysql']();
    const actual = structuredClone(expected);
    const fk = tableOf(actual, 'conversations').foreignKeys[0]!;
    fk.name = 'conversations_ibfk_1';
    fk.onDelete = 'NO ACTION';
    expect(sqlOf(planChange(actual, expected, { purpose: 'fix' }))).toEqual([
      'ALTER TABLE `conversations` DROP FOREIGN KEY `conversations_ibfk_1`, ALGORITHM=INPLACE, LOCK=NONE',
      'ALTER TABLE `conversations` ADD FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE',
    ]);
  });

  it('restates ON UPDATE and the comment in a MODIFY', () => {
    expect(my('ON UPDATE added')).toEqual([
      'ALTER TABLE `users` MODIFY COLUMN `last_login_at` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP COMMENT \'Last login time\'',
    ]);
  });

  it('is never transactional (MySQL commits DDL by itself)', () => {
    const plan = planOf('nullable column', 'mysql');
    expect(plan.transactional).toBe(false);
    expect(plan.nonTransactionalReason).toBe('MySQL and MariaDB commit each DDL statement by itself');
  });
});

describe('MySQL plans: bounded write stalls (docs/online-changes.md)', () => {
  it('changes NULL / NOT NULL in place, with a literal default and the comment', () => {
    const plan = planOf('nullable column made NOT NULL', 'mysql');
    expect(sqlOf(plan)).toEqual(['ALTER TABLE `files` MODIFY COLUMN `file_hash` varchar(64) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE']);
    expect(sqlOf(planOf('nullable column made NOT NULL', 'mysql', 'migration', true))).toEqual([
      'ALTER TABLE `files` MODIFY COLUMN `file_hash` varchar(64), ALGORITHM=INPLACE, LOCK=NONE',
    ]);
    expect(plan.blocking).toEqual([]);
    expect(columnChange(col('varchar(20)'), col('varchar(20)', { nullable: false, default: "'x'", comment: 'c' }))).toEqual({ how: 'modify', algorithm: 'inplace' });
    // With a type change it copies.
    expect(columnChange(col('int'), col('bigint', { nullable: false }))).toEqual({ how: 'modify', algorithm: null });
  });

  it('marks what copies the table as blocking: a type change, a VARCHAR across 255 bytes, a primary key', () => {
    const bigint = planOf('integer widened to bigint', 'mysql');
    expect(sqlOf(bigint)).toEqual(["ALTER TABLE `api_calls` MODIFY COLUMN `total_tokens` bigint DEFAULT 0 COMMENT 'Total tokens'"]);
    expect(bigint.blocking).toEqual([
      {
        statement: 0,
        operation: 0,
        message:
          'copies table api_calls (alter column api_calls.total_tokens: int -> bigint): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)',
      },
    ]);
    const boundary = planOf('varchar across the length-byte boundary', 'mysql');
    expect(sqlOf(boundary)).toEqual(['ALTER TABLE `users` MODIFY COLUMN `username` varchar(100) NOT NULL']);
    expect(boundary.blocking.map((b) => b.statement)).toEqual([0]);
    // Within one length-byte class: in place.
    expect(planOf('wider varchar', 'mysql').blocking).toEqual([]);
    // Copies on the way down too (a narrower VARCHAR).
    expect(planOf('wider varchar', 'mysql', 'migration', true).blocking.map((b) => b.statement)).toEqual([0]);

    const base = VARIANTS['chat/mysql']();
    const to = structuredClone(base);
    tableOf(to, 'api_calls').primaryKey = { name: null, columns: ['id', 'created_at'] };
    const pk = planChange(base, to, { purpose: 'migration' });
    expect(sqlOf(pk)).toEqual(['ALTER TABLE `api_calls` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `created_at`)']);
    expect(pk.blocking).toHaveLength(1);
    expect(pk.blocking[0]!.message).toMatch(/^copies table api_calls \(set primary key of api_calls \(id, created_at\)\)/);
  });

  it('joins the reasons of the clauses one copy performs, once each', () => {
    const base = VARIANTS['chat/mysql']();
    const to = structuredClone(base);
    for (const c of tableOf(to, 'api_calls').columns) if (c.type === 'int') c.type = 'bigint';
    const plan = planChange(base, to, { purpose: 'migration' });
    expect(plan.statements).toHaveLength(1);
    expect(plan.blocking).toHaveLength(1);
    expect(plan.blocking[0]!.message.split('; ')).toHaveLength(4);
    expect(plan.statements[0]!.operations).toEqual([0, 1, 2, 3]);
  });

  it('leaves tables the plan creates alone: no foreign_key_checks, nothing blocking', () => {
    const plan = planOf('new table with foreign keys', 'mysql');
    expect(sqlOf(plan).some((s) => /foreign_key_checks/.test(s))).toBe(false);
    expect(plan.blocking).toEqual([]);
  });
});
