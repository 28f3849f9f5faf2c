/**
 * `dbkit lint` on temporary checkouts (DBKIT_ROOT), through the built CLI:
 * clean on the repository; a generated rename comes with make's allowance
 * (the rename was declared); a hand-written migration's findings, with their
 * lines and exit 1, in lint and in check; allowances with their reasons make
 * both pass again after dbkit hash.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkout } from '../support/checkout.js';
import { dbkit, json } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-lint-');

interface LintDoc {
  ok: boolean;
  schemas: { schema: string; findings: { migration: string; file: string; statement: number; code: string }[]; allowed: { code: string; reason: string }[] }[];
}

describe('dbkit lint', () => {
  it('exits 0 on the repository, with one ok line per schema', async () => {
    const r = await dbkit(['lint']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^agents: ok \(7 migrations, \d+ statements\)\nchat: ok \(5 migrations, \d+ statements\)\n$/);
  }, 120_000);

  it('a generated rename is allowed by make; a hand-written migration is found by lint and check, and accepted with reasons after dbkit hash', async () => {
    const co = checkout(tmp());
    co.edit('agents.ts', "{ name: 'title', type: t.varchar(255), notNull: true },", "{ name: 'name', type: t.varchar(255), notNull: true },");
    expect((await co.run(['make', 'rename_title', '--schema', 'agents', '--rename', 'sessions.title=name'])).code).toBe(0);
    expect((await co.run(['make', 'backfill', '--schema', 'agents', '--empty'])).code).toBe(0);
    const [renamed, hand] = co.migrations('agents').slice(-2);
    const dir = path.join(co.root, 'migrations', 'agents', hand!);
    const append = (file: string, sql: string) => fs.appendFileSync(path.join(dir, file), sql);
    append('mysql.up.sql', 'CREATE TABLE `flags` (`id` bigint NOT NULL PRIMARY KEY);\n');
    append('postgres.up.sql', 'SET lock_timeout = 0;\n');
    expect((await co.run(['hash'])).code).toBe(0);

    // make wrote the allowance of the rename it was told to make, with its reason, before the statement.
    for (const d of ['mysql', 'postgres']) {
      expect(fs.readFileSync(path.join(co.root, 'migrations', 'agents', renamed!, `${d}.up.sql`), 'utf8')).toMatch(
        /-- dbkit-lint: allow DBK503 a declared rename \(renamedFrom or --rename\): clients still using the old name break\n.*RENAME COLUMN/,
      );
    }
    const r = await co.run(['lint', '--schema', 'agents']);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, -1).sort()).toEqual(
      [
        `agents/${hand} mysql.up.sql:1 DBK403 CREATE TABLE flags without IF NOT EXISTS: this migration runs outside a transaction and migration.json records no operation for the statement, so a run stopped right after it runs it again when resumed, and it fails: make it safe to repeat (IF NOT EXISTS / IF EXISTS, OR REPLACE)`,
        `agents/${hand} postgres.up.sql:1 DBK601 SET lock_timeout = 0 lifts the bound dbkit sets on every migration statement: a statement that waits for a lock then waits without limit, and queues every query behind it: remove it`,
      ].sort(),
    );
    expect(lines.at(-1)).toMatch(/^agents: 2 finding\(s\) \(9 migrations, \d+ statements, 2 allowed\)$/);

    const c = await co.run(['check', '--schema', 'agents', '--json']);
    expect(c.code, c.stderr).toBe(1);
    const doc = json<{ ok: boolean; schemas: { failures: string[]; lint: { findings: unknown[] } }[] }>(c);
    expect(doc.schemas[0]!.failures.filter((f) => f.startsWith('lint: '))).toHaveLength(2);
    expect(doc.schemas[0]!.lint.findings).toHaveLength(2);

    // Accept each, with its reason, on the line before its statement.
    const before = (file: string, line: string) => {
      const p = path.join(co.root, 'migrations', 'agents', file);
      const text = fs.readFileSync(p, 'utf8');
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.trim() && !l.startsWith('--'));
      lines.splice(at, 0, line);
      fs.writeFileSync(p, lines.join('\n'));
    };
    before(`${hand}/mysql.up.sql`, '-- dbkit-lint: allow DBK403 flags is new; a resumed run is watched by hand');
    before(`${hand}/postgres.up.sql`, '-- dbkit-lint: allow DBK601 the backfill below waits for a maintenance window');
    // an edited migration: the sum says so until it is hashed
    expect((await co.run(['lint', '--schema', 'agents'])).code).toBe(0);
    expect((await co.run(['check', '--schema', 'agents'])).code).toBe(1);
    expect((await co.run(['hash'])).code).toBe(0);
    const ok = await co.run(['lint', '--schema', 'agents', '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    const okDoc = json<LintDoc>(ok);
    expect(okDoc.schemas[0]!.findings).toEqual([]);
    expect(okDoc.schemas[0]!.allowed.map((a) => `${a.code}: ${a.reason}`).sort()).toEqual([
      'DBK403: flags is new; a resumed run is watched by hand',
      'DBK503: a declared rename (renamedFrom or --rename): clients still using the old name break',
      'DBK503: a declared rename (renamedFrom or --rename): clients still using the old name break',
      'DBK601: the backfill below waits for a maintenance window',
    ]);
    const checked = await co.run(['check', '--schema', 'agents']);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  }, 600_000);
});
