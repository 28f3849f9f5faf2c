/**
 * The MariaDB forms lint accepts as safe to repeat (DBK403,
 * test/unit/lint-mysql.test.ts) are safe to repeat on the server: each
 * statement, in dbkit's session sql_mode (strict), runs twice on MariaDB
 * 10.11 without an error (the second time is a note or warning), and lint
 * finds no DBK403 in a hand-written migration of them. Without the guard, the
 * second run of each fails, as DBK403 says.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SQL_MODE } from '../../dialects/mysql/session.js';
import { adminExec, freshMysql, type FreshDatabase } from '../support/databases.js';
import { file, lint } from '../support/lint.js';

const made: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of made) await db.drop().catch(() => undefined);
});

/** In an order where each takes effect the first time. */
const GUARDED = [
  'ALTER TABLE `messages` ADD CONSTRAINT `fk_messages_run` FOREIGN KEY IF NOT EXISTS (`run_id`) REFERENCES `runs` (`id`)',
  'ALTER TABLE `messages` ADD FOREIGN KEY IF NOT EXISTS `fk_run` (`run_id`) REFERENCES `runs` (`id`)',
  'ALTER TABLE `messages` ADD CONSTRAINT IF NOT EXISTS `ck_kind` CHECK (`kind` > 0)',
  'ALTER TABLE `messages` ADD CONSTRAINT `u_kind` UNIQUE IF NOT EXISTS (`kind`)',
  'ALTER TABLE `messages` ADD UNIQUE KEY IF NOT EXISTS `u_kind2` (`kind`, `id`)',
  'ALTER TABLE `messages` ADD INDEX IF NOT EXISTS `i_kind` (`kind`)',
  'ALTER TABLE `messages` ADD KEY IF NOT EXISTS `i_kind2` (`kind`, `run_id`)',
  'ALTER TABLE `messages` ADD COLUMN IF NOT EXISTS `tag` int NULL UNIQUE',
  'ALTER TABLE `messages` RENAME INDEX IF EXISTS `i_kind` TO `i_kind_b`',
  'ALTER TABLE `messages` RENAME COLUMN IF EXISTS `note` TO `remark`',
  'ALTER TABLE `messages` CHANGE COLUMN IF EXISTS `extra` `extra2` int NULL',
  'ALTER TABLE `messages` DROP FOREIGN KEY IF EXISTS `fk_run`',
  'ALTER TABLE `messages` DROP CONSTRAINT IF EXISTS `ck_kind`',
  'ALTER TABLE `messages` DROP INDEX IF EXISTS `i_kind_b`',
  'ALTER TABLE `messages` DROP KEY IF EXISTS `u_kind2`',
  'ALTER TABLE `messages` DROP COLUMN IF EXISTS `tag`',
];

const TABLES = [
  'CREATE TABLE `runs` (`id` bigint PRIMARY KEY) DEFAULT CHARSET=utf8mb4',
  'CREATE TABLE `messages` (`id` bigint PRIMARY KEY, `run_id` bigint NULL, `kind` int NULL, `note` text NULL, `extra` int NULL) DEFAULT CHARSET=utf8mb4',
];

describe("MariaDB's IF [NOT] EXISTS in ALTER TABLE", () => {
  it('each guarded form runs twice without an error, and lint finds no DBK403 in them', async () => {
    const db = await freshMysql('ifexists');
    made.push(db);
    await adminExec(db.url, [SQL_MODE, ...TABLES].join(';\n'));
    for (const sql of GUARDED) {
      await adminExec(db.url, `${SQL_MODE};\n${sql}`);
      await expect(adminExec(db.url, `${SQL_MODE};\n${sql}`), `again: ${sql}`).resolves.toBeUndefined();
    }
    const r = await lint('mysql', file(...GUARDED), { recorded: GUARDED.map(() => false) });
    expect(r.findings.filter((f) => f.code === 'DBK403')).toEqual([]);
  }, 120_000);

  it('without the guard, the second run fails, and lint says DBK403', async () => {
    const db = await freshMysql('ifexists');
    made.push(db);
    await adminExec(db.url, [SQL_MODE, ...TABLES].join(';\n'));
    const plain = [
      'ALTER TABLE `messages` ADD CONSTRAINT `fk_messages_run` FOREIGN KEY (`run_id`) REFERENCES `runs` (`id`)',
      'ALTER TABLE `messages` ADD INDEX `i_kind` (`kind`)',
      'ALTER TABLE `messages` RENAME COLUMN `note` TO `remark`',
      'ALTER TABLE `messages` DROP INDEX `i_kind`',
    ];
    for (const sql of plain) {
      await adminExec(db.url, `${SQL_MODE};\n${sql}`);
      await expect(adminExec(db.url, `${SQL_MODE};\n${sql}`), `again: ${sql}`).rejects.toMatchObject({ sqlState: expect.any(String) });
    }
    const r = await lint('mysql', file(...plain), { recorded: plain.map(() => false) });
    expect(r.findings.filter((f) => f.code === 'DBK403').map((f) => f.statement)).toEqual([1, 2, 3, 4]);
  }, 120_000);
});
