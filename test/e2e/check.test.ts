/**
 * `dbkit check` (issue 12, acceptance 5), on temporary copies of the
 * repository's schema sources and migrations (DBKIT_ROOT): exit 0 on the
 * repository as it is; exit 1 with a line saying why when the definition
 * changed without `dbkit make`, when a migration's SQL was edited, and when
 * the PostgreSQL replay differs from the snapshots (an edit recorded in the
 * sum file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbkit, json, repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-check-');

function checkout(): string {
  const root = tmp();
  fs.cpSync(path.join(repoRoot, 'src', 'schema'), path.join(root, 'src', 'schema'), { recursive: true });
  fs.cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
  return root;
}

const check = (root: string, ...args: string[]) => dbkit(['check', ...args], { env: { DBKIT_ROOT: root } });
const failures = (stdout: string) => stdout.split('\n').filter((l) => l && !/: ok \(/.test(l));

describe('dbkit check', () => {
  it('exits 0 on the repository, checking both schemas both ways', async () => {
    const r = await dbkit(['check', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = json<{ ok: boolean; schemas: { schema: string; migrations: number; checked: string[]; failures: string[] }[] }>(r);
    expect(doc.ok).toBe(true);
    expect(doc.schemas.map((s) => [s.schema, s.migrations, s.failures])).toEqual([
      ['agents', 7, []],
      ['chat', 5, []],
    ]);
    expect(doc.schemas[0]!.checked).toEqual(['PostgreSQL replay (PGlite)', 'PostgreSQL operations', 'MySQL operations', 'lint']);
  }, 300_000);

  it('a definition changed without dbkit make: one line saying to run it', async () => {
    const root = checkout();
    const file = path.join(root, 'src', 'schema', 'agents.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("{ name: 'password_hash', type: t.varchar(255), notNull: true },", "{ name: 'password_hash', type: t.varchar(255), notNull: true },\n        { name: 'bio', type: t.text() },"));
    const r = await check(root, '--schema', 'agents');
    expect(r.code, r.stderr).toBe(1);
    expect(failures(r.stdout)).toEqual([expect.stringMatching(/^agents: src\/schema\/ has changed since the last migration's snapshot \(.*bio.*\): run dbkit make NAME --schema agents$/)]);
  }, 300_000);

  it('a migration whose SQL was edited: the sum names it', async () => {
    const root = checkout();
    const sql = path.join(root, 'migrations', 'chat', '20250201000200_create_conversations', 'mysql.up.sql');
    fs.writeFileSync(sql, fs.readFileSync(sql, 'utf8').replace('`title` varchar(255)', '`title` varchar(300)'));
    const r = await check(root, '--schema', 'chat');
    expect(r.code, r.stderr).toBe(1);
    expect(failures(r.stdout)).toContain(
      'chat: 20250201000200_create_conversations (migrations/chat/20250201000200_create_conversations) differs from what migrations/chat/dbkit.sum records: once that is intended, record it with dbkit hash --schema chat',
    );
  }, 300_000);

  it('a PostgreSQL replay that differs from the snapshot (the edit hashed): one line naming the migration and the difference', async () => {
    const root = checkout();
    const sql = path.join(root, 'migrations', 'agents', '20250101000300_create_runs', 'postgres.up.sql');
    fs.writeFileSync(sql, fs.readFileSync(sql, 'utf8').replace('"task" text NOT NULL', '"task" varchar(500) NOT NULL'));
    expect((await dbkit(['hash'], { env: { DBKIT_ROOT: root } })).code).toBe(0);
    const r = await check(root, '--schema', 'agents');
    expect(r.code, r.stderr).toBe(1);
    expect(failures(r.stdout)).toEqual([
      expect.stringMatching(/^agents: PostgreSQL replay \(PGlite\): after 20250101000300_create_runs \(up\) the schema is not its snapshot: Column runs\.task has type varchar\(500\), expected text\.$/),
    ]);
  }, 300_000);
});
