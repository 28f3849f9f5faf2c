/**
 * A MySQL table's own character set and collation (issue 20, acceptance 5):
 * read from the catalog as MySQL 8 and MariaDB document it, compared by the
 * differ, and fixed by a `CONVERT TO` that a fix script refuses when it
 * changes the character set (it rewrites every text column).
 */
import { describe, expect, it } from 'vitest';
import { catalogToSchema, type MysqlCatalog, type TableRow } from '../../dialects/mysql/introspect.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { tableCharsets } from '../../dialects/mysql/table-charset.js';
import { diff } from '../../src/diff/differ.js';
import { fixScript } from '../../src/plan/fix-script.js';
import { foldOperations } from '../../src/plan/fold.js';
import { chat } from '../../src/schema/chat.js';
import type { DbSchema } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { planChange } from '../support/planners.js';

const row = (name: string, collation: string, extra: Partial<TableRow> = {}): TableRow => ({
  TABLE_NAME: name,
  TABLE_COMMENT: '',
  TABLE_COLLATION: collation,
  TABLE_CHARSET: collation.split('_')[0]!,
  COLLATION_IS_DEFAULT: /^(utf8mb4_general_ci|utf8mb4_0900_ai_ci|latin1_swedish_ci)$/.test(collation) ? 'Yes' : '',
  ...extra,
});
/** MariaDB 10.11 in a latin1 database (the suite's server): utf8mb4's default is utf8mb4_general_ci. */
const mariadb = (name: string, collation: string) => row(name, collation, { SCHEMA_COLLATION: 'latin1_swedish_ci', UTF8MB4_COLLATION: 'utf8mb4_general_ci' });
const bookkeeping = (name: string) => name.startsWith('dbkit_');

describe('the catalog, as each server documents it', () => {
  it('tables made by DEFAULT CHARSET=utf8mb4 have nothing to say; one converted stands out (MariaDB)', () => {
    const rows = [mariadb('users', 'latin1_swedish_ci'), mariadb('conversations', 'utf8mb4_bin'), mariadb('messages', 'utf8mb4_general_ci'), mariadb('dbkit_migrations', 'latin1_swedish_ci')];
    expect(Object.fromEntries(tableCharsets(rows, bookkeeping))).toEqual({ users: { charset: 'latin1' }, conversations: { collation: 'utf8mb4_bin' } });
  });

  it('MySQL 8: utf8mb4_0900_ai_ci is the default; with default_collation_for_utf8mb4 = utf8mb4_general_ci, that one is', () => {
    const mysql8 = (name: string, collation: string, utf8mb4: string) => row(name, collation, { SCHEMA_COLLATION: 'utf8mb4_0900_ai_ci', UTF8MB4_COLLATION: utf8mb4 });
    expect(tableCharsets([mysql8('a', 'utf8mb4_0900_ai_ci', 'utf8mb4_0900_ai_ci'), mysql8('b', 'utf8mb4_0900_as_cs', 'utf8mb4_0900_ai_ci')], bookkeeping)).toEqual(new Map([['b', { collation: 'utf8mb4_0900_as_cs' }]]));
    // Every table made by dbkit on such a server has utf8mb4_general_ci, which is not IS_DEFAULT in the catalog: still no drift.
    expect(tableCharsets([mysql8('a', 'utf8mb4_general_ci', 'utf8mb4_general_ci'), mysql8('b', 'utf8mb4_0900_ai_ci', 'utf8mb4_general_ci')], bookkeeping)).toEqual(
      new Map([['b', { collation: 'utf8mb4_0900_ai_ci' }]]),
    );
  });

  it('the document run as written (every table in the database default, not utf8mb4): nothing compared', () => {
    const rows = [mariadb('users', 'latin1_swedish_ci'), mariadb('conversations', 'latin1_swedish_ci'), mariadb('dbkit_migrations', 'utf8mb4_general_ci')];
    expect(tableCharsets(rows, bookkeeping).size).toBe(0);
    // ...but one table in utf8mb4 among them shows that the others were not made so on purpose.
    expect(Object.fromEntries(tableCharsets([...rows, mariadb('messages', 'utf8mb4_general_ci')], bookkeeping))).toEqual({ users: { charset: 'latin1' }, conversations: { charset: 'latin1' } });
  });

  it('a latin1 table with a non-default collation: both; rows that tell nothing (older fixtures): nothing', () => {
    expect(Object.fromEntries(tableCharsets([mariadb('a', 'latin1_bin'), mariadb('b', 'utf8mb4_general_ci')], bookkeeping))).toEqual({ a: { charset: 'latin1', collation: 'latin1_bin' } });
    expect(tableCharsets([{ TABLE_NAME: 'a', TABLE_COMMENT: '', TABLE_COLLATION: 'utf8mb4_unicode_ci' }], bookkeeping).size).toBe(0);
  });

  it('catalogToSchema puts them on the tables', () => {
    const catalog: MysqlCatalog = { tables: [mariadb('users', 'latin1_swedish_ci'), mariadb('t', 'utf8mb4_general_ci')], columns: [], statistics: [], foreignKeys: [], checks: [] };
    expect(catalogToSchema(catalog, 'mariadb').tables.map((t) => [t.name, t.charset ?? null, t.collation ?? null])).toEqual([
      ['t', null, null],
      ['users', 'latin1', null],
    ]);
  });
});

const expected = (): DbSchema => normal(resolveSchema(chat, mysqlRules));
const TEXT = /^(var)?char\(|text$|^enum\(/;
/**
 * The chat variant as introspection gives it after `ALTER TABLE users CONVERT TO CHARACTER SET latin1`
 * and `ALTER TABLE conversations CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`: the tables
 * and their text columns (compared with what the definition expects: utf8mb4, its default collation).
 */
function converted(): DbSchema {
  const s = structuredClone(expected());
  const users = s.tables.find((t) => t.name === 'users')!;
  users.charset = 'latin1';
  for (const c of users.columns) if (TEXT.test(c.type)) c.charset = 'latin1';
  const conversations = s.tables.find((t) => t.name === 'conversations')!;
  conversations.collation = 'utf8mb4_bin';
  for (const c of conversations.columns) if (TEXT.test(c.type)) c.collation = 'utf8mb4_bin';
  return normal(s);
}
/** The same tables after `ALTER TABLE ... DEFAULT CHARACTER SET latin1` / `DEFAULT COLLATE utf8mb4_bin`: their columns kept the definition's. */
function defaultChanged(): DbSchema {
  const s = structuredClone(expected());
  s.tables.find((t) => t.name === 'users')!.charset = 'latin1';
  s.tables.find((t) => t.name === 'conversations')!.collation = 'utf8mb4_bin';
  return normal(s);
}

describe('diff and its fix script', () => {
  it('a definition has neither (utf8mb4 is its normal form): the snapshot and every definition stay as they were', () => {
    expect(expected().tables.every((t) => !('charset' in t) && !('collation' in t))).toBe(true);
    expect(normal({ ...expected(), tables: expected().tables.map((t) => ({ ...t, charset: 'UTF8MB4' })) })).toEqual(expected());
  });

  it('each converted table is one change, naming what it has and what is expected: its text columns follow it, and are not changes of their own', () => {
    expect(diff(converted(), expected()).map((c) => [c.kind, c.table, c.expected, c.actual, c.message])).toEqual([
      ['table_collation', 'conversations', null, 'utf8mb4_bin', 'Table conversations has collation utf8mb4_bin, expected the default of utf8mb4 (its text columns follow the table).'],
      ['table_charset', 'users', null, 'latin1', 'Table users has character set latin1, expected utf8mb4 (its text columns follow the table).'],
    ]);
    expect(diff(expected(), expected())).toEqual([]);
  });

  it('the fix of a converted table: CONVERT TO utf8mb4, refused (commented) where the character set changes, and it folds to the definition', () => {
    const plan = planChange(converted(), expected(), { purpose: 'fix' });
    expect(plan.operations).toEqual([
      { op: 'convert_table_charset', table: 'conversations', from: { charset: null, collation: 'utf8mb4_bin' }, to: { charset: null, collation: null } },
      { op: 'convert_table_charset', table: 'users', from: { charset: 'latin1', collation: null }, to: { charset: null, collation: null } },
    ]);
    expect(fixScript(plan, { target: 'USE `app`' })).toEqual([
      'USE `app`;',
      'ALTER TABLE `conversations` CONVERT TO CHARACTER SET utf8mb4;',
      '-- refused: it converts table users from character set latin1 to utf8mb4 (every text column is rewritten: text stored in another encoding than latin1 is converted wrongly, and TEXT columns may widen to MEDIUMTEXT)\n' +
        '-- ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4;',
    ]);
    expect(plan.warnings.map((w) => w.level)).toEqual(['may-fail', 'data-loss']);
    expect(normal(foldOperations(converted(), plan.operations))).toEqual(expected());
  });

  it('a table whose default alone changed (its columns kept utf8mb4): one change each, no column change; the fix sets the default back, runnable as printed', () => {
    expect(diff(defaultChanged(), expected()).map((c) => [c.kind, c.table, c.message])).toEqual([
      ['table_collation', 'conversations', 'Table conversations has collation utf8mb4_bin, expected the default of utf8mb4 (its text columns are still utf8mb4: only the default for columns added later differs).'],
      ['table_charset', 'users', 'Table users has character set latin1, expected utf8mb4 (its text columns are still utf8mb4: only the default for columns added later differs).'],
    ]);
    const plan = planChange(defaultChanged(), expected(), { purpose: 'fix' });
    expect(plan.operations.map((o) => o.op === 'convert_table_charset' && [o.table, o.defaultOnly])).toEqual([
      ['conversations', true],
      ['users', true],
    ]);
    expect(fixScript(plan, { target: 'USE `app`' })).toEqual(['USE `app`;', 'ALTER TABLE `conversations` DEFAULT CHARACTER SET utf8mb4;', 'ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4;']);
    expect(plan.warnings).toEqual([]);
    expect(normal(foldOperations(defaultChanged(), plan.operations))).toEqual(expected());
  });

  it('a column a fix script MODIFYs or ADDs on such a table names its character set (else it would take the latin1 default)', () => {
    const live = defaultChanged();
    const users = live.tables.find((t) => t.name === 'users')!;
    users.columns.find((c) => c.name === 'nickname')!.comment = 'changed by hand';
    users.columns = users.columns.filter((c) => c.name !== 'phone');
    const plan = planChange(normal(live), expected(), { purpose: 'fix' });
    const sql = plan.statements.map((s) => s.sql);
    expect(sql).toContain('ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4');
    expect(sql.find((s) => s.includes('MODIFY COLUMN `nickname`'))).toContain("MODIFY COLUMN `nickname` varchar(100) CHARACTER SET utf8mb4 COMMENT 'User nickname'");
    expect(sql.find((s) => s.includes('ADD COLUMN `phone`'))).toContain('ADD COLUMN `phone` varchar(20) CHARACTER SET utf8mb4 COMMENT');
    // A table whose default is the variant's gets none named.
    expect(planChange(normal({ ...expected(), tables: expected().tables.map((t) => (t.name === 'users' ? { ...t, columns: t.columns.filter((c) => c.name !== 'phone') } : t)) }), expected(), { purpose: 'fix' }).statements[0]!.sql).not.toContain('CHARACTER SET');
  });

  it('a column in neither the table\'s nor the definition\'s character set is a change of its own, said against the definition; its MODIFY names utf8mb4 (which holds every character: run as printed)', () => {
    const live = defaultChanged();
    live.tables.find((t) => t.name === 'users')!.columns.find((c) => c.name === 'nickname')!.charset = 'cp1251';
    const changes = diff(normal(live), expected()).filter((c) => c.kind === 'column_charset');
    expect(changes.map((c) => c.message)).toEqual(["Column users.nickname has character set cp1251, expected utf8mb4 (the definition's)."]);
    const plan = planChange(normal(live), expected(), { purpose: 'fix' });
    const modify = plan.statements.find((s) => s.sql.includes('MODIFY COLUMN `nickname`'))!;
    expect(modify.sql).toContain('`nickname` varchar(100) CHARACTER SET utf8mb4');
    expect(modify.disabled).toBeUndefined();
    expect(plan.statements.find((s) => s.sql.includes('DEFAULT CHARACTER SET'))!.disabled).toBeUndefined();
  });

  it('to a set that cannot hold everything, the message says characters are lost; CONVERT TO names the collation when one is asked for', () => {
    const to = structuredClone(expected());
    to.tables.find((t) => t.name === 'users')!.charset = 'latin1';
    to.tables.find((t) => t.name === 'users')!.collation = 'latin1_bin';
    const plan = planChange(expected(), to, { purpose: 'fix' });
    expect(plan.statements.map((s) => s.sql)).toEqual(['ALTER TABLE `users` CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin']);
    expect(plan.warnings[0]!.message).toContain('characters latin1 cannot hold are lost');
  });
});
