/**
 * `dbkit make` validates the definition before it plans (issue 20,
 * acceptance 5), through the real binary in a temporary checkout: a foreign
 * key to a missing table, a column defined twice, an index on a missing
 * column, a duplicate index name and varchar(0) exit 2, naming each problem
 * on a line of its own (and in --json as `details`), and nothing is written.
 * Before, make accepted them all, and the column defined twice even gave a
 * migration of no statements whose snapshot changed the column's type.
 * `dbkit check` reports the same problems.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkout } from '../support/checkout.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-make-validate-');
const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();

const PROBLEMS = [
  'column conversations.user_id references table user, which the schema does not define',
  'table users: column phone is defined twice',
  'column users.nickname is varchar(0): the length must be a whole number from 1 to 16383',
  'table conversations: index idx_user_id is defined twice',
  'index idx_conversations_model on table conversations names column model, which the table does not have',
];

describe('dbkit make validates the definition before planning', () => {
  it('five problems: exit 2, each named on a line of its own, nothing written; check reports them too', async () => {
    const co = checkout(tmp());
    co.edit('chat.ts', "references: cascade('users'), comment: 'Associated user ID'", "references: cascade('user'), comment: 'Associated user ID'");
    co.edit('chat.ts', "{ name: 'phone', type: t.varchar(20), comment: 'Phone number' },", "{ name: 'phone', type: t.varchar(20), comment: 'Phone number' },\n        { name: 'phone', type: t.varchar(40) },");
    co.edit('chat.ts', "{ name: 'nickname', type: t.varchar(100), comment: 'User nickname' },", "{ name: 'nickname', type: t.varchar(0), comment: 'User nickname' },");
    co.edit(
      'chat.ts',
      "        { name: 'idx_created_at', columns: ['created_at'] },\n      ],",
      "        { name: 'idx_created_at', columns: ['created_at'] },\n        { name: 'idx_user_id', columns: ['user_id', 'created_at'] },\n        { name: 'idx_conversations_model', columns: ['model'] },\n      ],",
    );
    const before = listing(path.join(co.root, 'migrations'));

    const r = await co.run(['make', 'broken', '--schema', 'chat']);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('dbkit: make: the definition of chat in src/schema/ has 5 problems: fix them, then make again (nothing was written)');
    expect(lines.slice(1).map((l) => l.trim()).sort()).toEqual([...PROBLEMS].sort());
    expect(r.stdout).toBe('');

    const asJson = await co.run(['make', 'broken', '--schema', 'chat', '--json']);
    expect(asJson.code).toBe(2);
    const doc = JSON.parse(asJson.stdout) as { error: { exitCode: number; message: string; details: string[] } };
    expect(doc.error.exitCode).toBe(2);
    expect([...doc.error.details].sort()).toEqual([...PROBLEMS].sort());

    // --dry-run plans too: refused the same way.
    expect((await co.run(['make', 'broken', '--schema', 'chat', '--dry-run'])).code).toBe(2);
    expect(listing(path.join(co.root, 'migrations'))).toEqual(before);

    const check = await co.run(['check', '--schema', 'chat']);
    expect(check.code).toBe(1);
    for (const p of PROBLEMS) expect(check.stdout).toContain(`chat: src/schema/: ${p}`);
  }, 180_000);

  it('a column defined twice alone no longer makes a migration of no statements', async () => {
    const co = checkout(tmp());
    co.edit('chat.ts', "{ name: 'phone', type: t.varchar(20), comment: 'Phone number' },", "{ name: 'phone', type: t.varchar(20), comment: 'Phone number' },\n        { name: 'phone', type: t.varchar(40) },");
    const r = await co.run(['make', 'dup_phone', '--schema', 'chat']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('dbkit: make: the definition of chat in src/schema/ has a problem: fix it, then make again (nothing was written)\n  table users: column phone is defined twice\n');
    expect(co.migrations('chat')).toHaveLength(5);
  }, 120_000);
  it('an index MySQL/MariaDB cannot build (a TEXT part): make exits 2 naming the index and column; check fails on it', async () => {
    const co = checkout(tmp());
    co.edit(
      'agents.ts',
      "        { name: 'idx_messages_timestamp', columns: ['timestamp'] },\n",
      "        { name: 'idx_messages_timestamp', columns: ['timestamp'] },\n        { name: 'idx_messages_kind', columns: ['message_type', 'sender', 'content'] },\n",
    );
    const problem =
      'index idx_messages_kind of table messages on mysql: column content is text, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar';
    const r = await co.run(['make', 'messages_kind', '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`dbkit: make: the definition of agents in src/schema/ has a problem: fix it, then make again (nothing was written)\n  ${problem}\n`);
    expect(co.migrations('agents')).toHaveLength(7);
    const check = await co.run(['check', '--schema', 'agents']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`agents: src/schema/: ${problem}`);
  }, 180_000);
});
