/**
 * The MySQL key limits src/schema/validate.ts enforces agree with the engine
 * (MariaDB 10.11 here): the SQL dbkit plans for the whole agents variant,
 * run in dbkit's session sql_mode on an empty database, builds where the
 * definition is accepted and fails with ER_TOO_LONG_KEY (1071) where it is
 * refused: an index over a TEXT column beside two varchars (the review's
 * messages(message_type, sender, content), which `check` used to pass and
 * `migrate` failed on), and a key one varchar character over 3072 bytes.
 * (A lone TEXT part or a unique varchar past the limit, MariaDB turns into a
 * prefix or a hash index and MySQL 8 refuses: refused by the validator too,
 * unit-tested in test/unit/validate.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SQL_MODE } from '../../dialects/mysql/session.js';
import { mysqlRules } from '../../dialects/mysql/types.js';
import { noRenames } from '../../src/plan/plan.js';
import { agents } from '../../src/schema/agents.js';
import { t, type SchemaDef } from '../../src/schema/definition.js';
import { emptySchema } from '../../src/schema/model.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { validateDefinition } from '../../src/schema/validate.js';
import { adminExec, adminQuery, freshMysql, type FreshDatabase } from '../support/databases.js';
import { column, evolve, table } from '../support/evolutions.js';
import { planChange } from '../support/planners.js';

const made: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of made) await db.drop().catch(() => undefined);
});

/** Build the MySQL variant of `def` from nothing, as dbkit plans it, in dbkit's session mode. */
async function build(def: SchemaDef): Promise<string> {
  const db = await freshMysql('keylimit');
  made.push(db);
  const statements = planChange(emptySchema('mysql'), resolveSchema(def, mysqlRules), { renames: noRenames(), purpose: 'migration' }).statements.map((s) => s.sql);
  await adminExec(db.url, [SQL_MODE, ...statements].join(';\n'));
  return db.url;
}

const withIndex = (columns: string[], senderLength = 100) =>
  evolve(agents, (s) => {
    column(s, 'messages', 'sender').type = t.varchar(senderLength);
    (table(s, 'messages').indexes ??= []).push({ name: 'idx_messages_key', columns });
  });

describe('MySQL key limits: the validator and MariaDB agree', () => {
  it('bigint + varchar(766) in utf8mb4 (3072 bytes): accepted, and built whole (no prefix)', async () => {
    const def = withIndex(['run_id', 'sender'], 766);
    expect(validateDefinition(def, [mysqlRules])).toEqual([]);
    const url = await build(def);
    const rows = await adminQuery<{ COLUMN_NAME: string; SUB_PART: number | null }>(
      url,
      "SELECT COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'messages' AND INDEX_NAME = 'idx_messages_key' ORDER BY SEQ_IN_INDEX",
    );
    expect(rows.map((r) => [r.COLUMN_NAME, r.SUB_PART])).toEqual([
      ['run_id', null],
      ['sender', null],
    ]);
  }, 120_000);

  it('bigint + varchar(767) (3076 bytes): refused by the validator, ER_TOO_LONG_KEY on the server', async () => {
    const def = withIndex(['run_id', 'sender'], 767);
    expect(validateDefinition(def, [mysqlRules])).toEqual([
      "index idx_messages_key of table messages on mysql: the key is 3076 bytes long (run_id bigint: 8, sender varchar(767): 3068), at most 3072 (InnoDB's limit; utf8mb4 takes 4 bytes per character of a varchar): shorten a varchar or leave a column out",
    ]);
    await expect(build(def)).rejects.toMatchObject({ errno: 1071 });
  }, 120_000);

  it('messages(message_type, sender, content), content TEXT: refused by the validator, ER_TOO_LONG_KEY on the server', async () => {
    const def = withIndex(['message_type', 'sender', 'content']);
    expect(validateDefinition(def, [mysqlRules])).toEqual([
      'index idx_messages_key of table messages on mysql: column content is text, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar',
    ]);
    await expect(build(def)).rejects.toMatchObject({ errno: 1071 });
  }, 120_000);
});
