/**
 * Table-level character set and collation drift on MariaDB (issue 20,
 * acceptance 5), through the real binary: `ALTER TABLE users CONVERT TO
 * CHARACTER SET latin1` on a migrated chat database was "no drift" (its
 * columns were compared with the table's own collation, and the table's not
 * at all). Now diff reports it (exit 1), its fix script refuses the
 * conversion in a comment (it rewrites every text column), and the
 * statement, once uncommented and run, makes diff clean; a collation change
 * is fixed by the script as printed. A database built by running the chat
 * document as written in a latin1 database (its SQL names no character set)
 * stays quiet.
 *
 * A table whose default alone changed (`ALTER TABLE users DEFAULT CHARACTER
 * SET latin1`: its columns kept utf8mb4) was reported with six false column
 * lines, and its fix script converted every text column to latin1 (an
 * uncommented MODIFY without a character set). Its columns are compared with
 * what the definition expects, so it is one line, and the fix sets the
 * default back (`DEFAULT CHARACTER SET utf8mb4`, no row rewritten), run as
 * printed; no data changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json } from '../support/cli.js';
import { adminExec, adminQuery, mysqlAdminUrl, runMysqlClient, uniqueName, withDatabase } from '../support/databases.js';

const made: string[] = [];
afterAll(async () => {
  for (const name of made) await adminExec(mysqlAdminUrl(), `DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
});

/** A database of this file, in character set `charset` (not the server's default, whatever that is). */
async function database(prefix: string, charset: string): Promise<string> {
  const name = uniqueName(prefix);
  made.push(name);
  await adminExec(mysqlAdminUrl(), `CREATE DATABASE \`${name}\` CHARACTER SET ${charset}`);
  return withDatabase(mysqlAdminUrl(), name);
}

interface DiffDoc {
  changes: { kind: string; table: string; expected: unknown; actual: unknown }[];
}

describe('a table converted to another character set or collation', () => {
  it('latin1: reported, refused in the fix script; the uncommented statement fixes it', async () => {
    // A latin1 database, as a server whose default is latin1 makes it: dbkit's tables are utf8mb4 regardless.
    const url = await database('cs_latin1', 'latin1');
    expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
    expect((await dbkit(['diff', '--url', url])).code).toBe(0);
    await adminExec(url, 'ALTER TABLE users CONVERT TO CHARACTER SET latin1');

    const d = await dbkit(['diff', '--url', url, '--json']);
    expect(d.code, d.stderr).toBe(1);
    expect(json<DiffDoc>(d).changes.map((c) => [c.kind, c.table, c.expected, c.actual])).toEqual([['table_charset', 'users', null, 'latin1']]);
    const plain = await dbkit(['diff', '--url', url]);
    expect(plain.stdout).toContain('Table users has character set latin1, expected utf8mb4 (its text columns follow the table).');

    const fix = await dbkit(['diff', '--url', url, '--sql']);
    expect(fix.code).toBe(1);
    expect(fix.stdout).toContain(
      '-- refused: it converts table users from character set latin1 to utf8mb4 (every text column is rewritten: text stored in another encoding than latin1 is converted wrongly, and TEXT columns may widen to MEDIUMTEXT)\n' +
        '-- ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4;\n',
    );
    // As printed, the script changes nothing; uncommented, it fixes the table.
    await runMysqlClient(url, fix.stdout);
    expect((await dbkit(['diff', '--url', url])).code).toBe(1);
    await runMysqlClient(url, fix.stdout.replace(/^-- (ALTER TABLE `users` CONVERT)/m, '$1'));
    const after = await dbkit(['diff', '--url', url]);
    expect(after.code, after.stdout).toBe(0);
  }, 120_000);

  it('a binary collation: reported, and the fix script as printed fixes it', async () => {
    const url = await database('cs_bin', 'utf8mb4');
    expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
    await adminExec(url, 'ALTER TABLE conversations CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    const d = await dbkit(['diff', '--url', url, '--json']);
    expect(d.code).toBe(1);
    expect(json<DiffDoc>(d).changes.map((c) => [c.kind, c.table, c.actual])).toEqual([['table_collation', 'conversations', 'utf8mb4_bin']]);
    const fix = await dbkit(['diff', '--url', url, '--sql']);
    expect(fix.stdout).toMatch(/^ALTER TABLE `conversations` CONVERT TO CHARACTER SET utf8mb4;$/m);
    await runMysqlClient(url, fix.stdout);
    expect((await dbkit(['diff', '--url', url])).code).toBe(0);
  }, 120_000);
});

describe("a table whose default alone changed (its columns kept utf8mb4), beside one converted", () => {
  const rows = async (url: string) => ({
    users: await adminQuery(url, 'SELECT id, username, nickname, HEX(nickname) AS bytes FROM users ORDER BY id'),
    conversations: await adminQuery(url, 'SELECT id, title, model_name FROM conversations ORDER BY id'),
    columns: await adminQuery(
      url,
      "SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION",
    ),
  });

  it('DEFAULT CHARACTER SET latin1 alone: one line, no column line; the fix script as printed sets the default back, changes no data, and diff is clean', async () => {
    const url = await database('cs_default', 'latin1');
    expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
    await adminExec(url, "INSERT INTO users (username, email, password_hash, nickname) VALUES ('zoe', 'zoe@example.com', 'x', 'Zoë 张三')");
    const before = await rows(url);
    await adminExec(url, 'ALTER TABLE users DEFAULT CHARACTER SET latin1');

    const d = await dbkit(['diff', '--url', url, '--json']);
    expect(d.code, d.stderr).toBe(1);
    expect(json<DiffDoc>(d).changes.map((c) => [c.kind, c.table, c.expected, c.actual])).toEqual([['table_charset', 'users', null, 'latin1']]);
    const plain = await dbkit(['diff', '--url', url]);
    expect(plain.stdout).toContain('Table users has character set latin1, expected utf8mb4 (its text columns are still utf8mb4: only the default for columns added later differs).');
    expect(plain.stdout).not.toContain('Column users.');

    const fix = await dbkit(['diff', '--url', url, '--sql']);
    expect(fix.code).toBe(1);
    expect(fix.stdout).toMatch(/^ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4;$/m);
    expect(fix.stdout).not.toContain('MODIFY');
    expect(fix.stdout).not.toContain('-- refused');

    // A column a fix script redefines there names its character set: run alone, before the default is set back, it keeps utf8mb4 (and 张三).
    await adminExec(url, "ALTER TABLE users MODIFY COLUMN nickname varchar(100) CHARACTER SET utf8mb4 COMMENT 'edited by hand'");
    const withColumn = await dbkit(['diff', '--url', url, '--sql']);
    const modify = /^ALTER TABLE `users` MODIFY COLUMN `nickname` .*;$/m.exec(withColumn.stdout)?.[0];
    expect(modify).toBe("ALTER TABLE `users` MODIFY COLUMN `nickname` varchar(100) CHARACTER SET utf8mb4 COMMENT 'User nickname', ALGORITHM=INPLACE, LOCK=NONE;");
    await runMysqlClient(url, modify!);
    expect(await rows(url)).toEqual(before);

    await runMysqlClient(url, fix.stdout);
    const after = await dbkit(['diff', '--url', url]);
    expect(after.code, after.stdout).toBe(0);
    expect(await rows(url)).toEqual(before);
  }, 120_000);

  it('both drifts in one database (users: DEFAULT only; conversations: CONVERT TO latin1): the default is fixed as printed, the conversion once uncommented after review; diff clean, no data changed', async () => {
    const url = await database('cs_both', 'latin1');
    expect((await dbkit(['migrate', '--url', url, '--quiet'])).code).toBe(0);
    await adminExec(
      url,
      "INSERT INTO users (username, email, password_hash, nickname) VALUES ('zoe', 'zoe@example.com', 'x', 'Zoë 张三'); " +
        "INSERT INTO conversations (user_id, title, model_name) SELECT id, 'Zoë au café', 'm' FROM users",
    );
    const before = await rows(url);
    await adminExec(url, 'ALTER TABLE users DEFAULT CHARACTER SET latin1; ALTER TABLE conversations CONVERT TO CHARACTER SET latin1');

    const d = await dbkit(['diff', '--url', url, '--json']);
    expect(d.code, d.stderr).toBe(1);
    expect(json<DiffDoc>(d).changes.map((c) => [c.kind, c.table, c.expected, c.actual])).toEqual([
      ['table_charset', 'conversations', null, 'latin1'],
      ['table_charset', 'users', null, 'latin1'],
    ]);
    const fix = await dbkit(['diff', '--url', url, '--sql']);
    expect(fix.stdout).toMatch(/^ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4;$/m);
    expect(fix.stdout).toMatch(/^-- ALTER TABLE `conversations` CONVERT TO CHARACTER SET utf8mb4;$/m);
    expect(fix.stdout).not.toContain('MODIFY');
    await runMysqlClient(url, fix.stdout);
    expect(json<DiffDoc>(await dbkit(['diff', '--url', url, '--json'])).changes.map((c) => c.table)).toEqual(['conversations']);
    await runMysqlClient(url, fix.stdout.replace(/^-- (ALTER TABLE `conversations` CONVERT)/m, '$1'));
    const after = await dbkit(['diff', '--url', url]);
    expect(after.code, after.stdout).toBe(0);
    expect(await rows(url)).toEqual(before);
  }, 120_000);
});

describe('the chat document run as written in a latin1 database', () => {
  it('its tables are latin1, as the document leaves them: no drift', async () => {
    const url = await database('cs_doc', 'latin1');
    await runMysqlClient(url, fs.readFileSync(path.resolve(__dirname, '../fixtures/chat.doc.sql'), 'utf8'));
    const d = await dbkit(['diff', '--url', url, '--schema', 'chat', '--json']);
    expect(d.code, d.stdout + d.stderr).toBe(0);
    expect(json<DiffDoc>(d).changes).toEqual([]);
  }, 120_000);
});
