/**
 * `dbkit docs` as a pipeline runs it: the committed docs/schema/ are up to date
 * (this is the `docs --check` of `npm test`), written documents are
 * reproducible byte for byte, `--check` names stale files in one line and
 * exits 1, and `--url` documents a live PostgreSQL and MariaDB database with
 * the differences `dbkit diff` finds marked, and no password anywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json, repoRoot } from '../support/cli.js';
import { adminExec, freshMysql, freshPostgres } from '../support/databases.js';
import { TEST_PASSWORD } from '../support/servers.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-docs-');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

interface DocsJson {
  mode: 'definition' | 'live';
  out: string;
  check: boolean;
  differences?: number;
  url?: string;
  files: { file: string; schema: string; variants: string[]; tables: number; foreignKeys: number; status: string; content?: string }[];
  stale: string[];
}

describe('dbkit docs: the committed documents', () => {
  it('docs/schema/agents.md and docs/schema/chat.md are up to date (run `npm run build && node dist/cli/dbkit.cjs docs` to refresh them)', async () => {
    const r = await dbkit(['docs', '--check']);
    expect(r.stdout + r.stderr, 'the committed docs/schema/ are stale: run dbkit docs and commit the result').toBe('docs up to date: docs/schema/agents.md, docs/schema/chat.md\n');
    expect(r.code).toBe(0);
  });
});

describe('dbkit docs: from the definition', () => {
  it('writes one document per schema, then finds nothing to change; the bytes are those committed', { timeout: 120_000 }, async () => {
    const cwd = tmp();
    const first = await dbkit(['docs', '--json'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    const doc = json<DocsJson>(first);
    expect(doc).toMatchObject({ mode: 'definition', out: 'docs/schema', check: false, stale: [] });
    expect(doc.files).toEqual([
      { file: 'docs/schema/agents.md', schema: 'agents', variants: ['PostgreSQL', 'MySQL'], tables: 7, foreignKeys: 8, status: 'created' },
      { file: 'docs/schema/chat.md', schema: 'chat', variants: ['MySQL', 'PostgreSQL'], tables: 4, foreignKeys: 6, status: 'created' },
    ]);
    for (const f of ['agents.md', 'chat.md']) {
      expect(fs.readFileSync(path.join(cwd, 'docs', 'schema', f), 'utf8')).toBe(fs.readFileSync(path.join(repoRoot, 'docs', 'schema', f), 'utf8'));
    }
    const again = await dbkit(['docs'], { cwd });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      'docs/schema/agents.md: unchanged (7 tables, 8 foreign keys; PostgreSQL beside MySQL)\n' +
        'docs/schema/chat.md: unchanged (4 tables, 6 foreign keys; MySQL beside PostgreSQL)\n',
    );
  });

  it('--check: exit 1 and one line naming the stale or missing files and the command that refreshes them', { timeout: 180_000 }, async () => {
    const cwd = tmp();
    expect((await dbkit(['docs', '--out', 'site/db'], { cwd })).code).toBe(0);
    const chat = path.join(cwd, 'site/db/chat.md');
    fs.writeFileSync(chat, fs.readFileSync(chat, 'utf8').replace('| `phone` |', '| `mobile` |'));
    let r = await dbkit(['docs', '--check', '--out', 'site/db'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('site/db/chat.md is stale: run dbkit docs --out site/db to refresh\n');
    fs.rmSync(path.join(cwd, 'site/db/agents.md'));
    r = await dbkit(['docs', '--check', '--out', 'site/db', '--json'], { cwd });
    expect(r.code).toBe(1);
    const doc = json<DocsJson>(r);
    expect(doc.check).toBe(true);
    expect(doc.files.map((f) => [f.file, f.status])).toEqual([
      ['site/db/agents.md', 'missing'],
      ['site/db/chat.md', 'stale'],
    ]);
    expect(doc.stale).toEqual(['site/db/agents.md', 'site/db/chat.md']);
    // --check writes nothing.
    expect(fs.existsSync(path.join(cwd, 'site/db/agents.md'))).toBe(false);
    r = await dbkit(['docs', '--check', '--out', 'site/db', '--schema', 'chat'], { cwd });
    expect(r.stdout).toBe('site/db/chat.md is stale: run dbkit docs --schema chat --out site/db to refresh\n');
    expect((await dbkit(['docs', '--schema', 'chat', '--out', 'site/db'], { cwd })).stdout).toMatch(/^site\/db\/chat\.md: updated/);
    // A document written for one schema is the same as one written with all.
    expect((await dbkit(['docs', '--check', '--out', 'site/db', '--schema', 'chat'], { cwd })).code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'site/db/agents.md'))).toBe(false);
  });

  it('--stdout prints the documents and writes nothing; usage errors exit 2', { timeout: 120_000 }, async () => {
    const cwd = tmp();
    const r = await dbkit(['docs', '--stdout', '--schema', 'agents'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(fs.readFileSync(path.join(repoRoot, 'docs', 'schema', 'agents.md'), 'utf8'));
    expect(fs.existsSync(path.join(cwd, 'docs'))).toBe(false);
    const both = await dbkit(['docs', '--check', '--stdout'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('dbkit: --check compares the files in --out; it does not go with --stdout\n');
    const unknown = await dbkit(['docs', '--schema', 'billing'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('dbkit: unknown schema "billing": use one of agents, chat\n');
  });

  it('DATABASE_URL does not make docs live (only --url does)', async () => {
    const r = await dbkit(['docs', '--check'], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(r.code).toBe(0);
  });

  it('has help with examples, and completes', { timeout: 120_000 }, async () => {
    const help = await dbkit(['help', 'docs']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dbkit docs [options]');
    expect(help.stdout).toMatch(/--check +write nothing; exit 1 when a document in --out is stale or\s+missing/);
    // Run from the checkout's root, the examples say the launcher (src/shared/invocation.ts).
    expect(help.stdout).toContain('$ ./dbkit docs --check');
    const completion = await dbkit(['completion', 'bash']);
    expect(completion.stdout).toMatch(/\bdocs\b/);
    expect(completion.stdout).toContain('--stdout');
  });
});

const LIVE = {
  postgres: {
    fresh: freshPostgres,
    schema: 'agents',
    tamper: 'ALTER TABLE sessions ALTER COLUMN title TYPE varchar(300); DROP INDEX idx_runs_status; CREATE TABLE notes (id serial PRIMARY KEY, run_id uuid REFERENCES runs (id) ON DELETE SET NULL)',
    file: 'agents.postgres.live.md',
    marks: ['| ⚠ `title` |', '⚠ `idx_runs_status` | — |', '- ⚠ Index idx_runs_status (status) on runs is missing.', '  runs |o..o{ notes : "run_id"', '*live only.*'],
  },
  mysql: {
    fresh: freshMysql,
    schema: 'chat',
    tamper: 'ALTER TABLE users MODIFY phone varchar(30) NULL COMMENT \'Phone number\'; ALTER TABLE api_calls DROP INDEX idx_model_name; ALTER TABLE conversations ADD COLUMN pinned tinyint NOT NULL DEFAULT 0',
    file: 'chat.mysql.live.md',
    marks: ['| ⚠ `phone` |', '⚠ `idx_model_name` | — |', '| ⚠ `pinned` |', '- ⚠ Column conversations.pinned (tinyint) is not in the definition.'],
  },
} as const;

describe.each(Object.keys(LIVE) as Array<keyof typeof LIVE>)('dbkit docs --url on %s', (engine) => {
  it('documents the live schema beside the definition, marks what `dbkit diff` finds, and --check notices a change', { timeout: 240_000 }, async () => {
    const e = LIVE[engine];
    const db = await e.fresh('docs');
    cleanups.push(db.drop);
    expect((await dbkit(['migrate', '--url', db.url, '--schema', e.schema, '-q'])).code).toBe(0);
    const cwd = tmp();
    const clean = await dbkit(['docs', '--url', db.url, '--schema', e.schema, '--json'], { cwd });
    expect(clean.code, clean.stderr).toBe(0);
    expect(json<DocsJson>(clean)).toMatchObject({ mode: 'live', differences: 0, files: [{ file: `docs/schema/${e.file}`, status: 'created', variants: ['definition', 'live'] }] });
    const file = path.join(cwd, 'docs', 'schema', e.file);
    expect(fs.readFileSync(file, 'utf8')).toContain('It matches the definition.');

    await adminExec(db.url, e.tamper);
    const diffed = json<{ changes: unknown[] }>(await dbkit(['diff', '--url', db.url, '--schema', e.schema, '--json']));
    expect(diffed.changes.length).toBeGreaterThanOrEqual(3);
    const stale = await dbkit(['docs', '--url', db.url, '--schema', e.schema, '--check'], { cwd });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(new RegExp(`^docs/schema/${e.file.replace(/\./g, '\\.')} is stale: run dbkit docs --url '[a-z]+://\\w+:\\*\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\w+' --schema ${e.schema} to refresh\\n$`));

    const r = await dbkit(['docs', '--url', db.url, '--schema', e.schema, '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const doc = json<DocsJson>(r);
    expect(doc.differences).toBe(diffed.changes.length);
    expect(doc.files[0]!.status).toBe('updated');
    const md = fs.readFileSync(file, 'utf8');
    expect(md).toContain(`It differs from the definition in ${diffed.changes.length} places, marked ⚠.`);
    for (const m of e.marks) expect(md).toContain(m);
    expect(md).not.toMatch(/dbkit_/);
    for (const out of [md, r.stdout, r.stderr, stale.stdout, stale.stderr]) expect(out).not.toContain(TEST_PASSWORD);
    expect((await dbkit(['docs', '--url', db.url, '--schema', e.schema, '--check'], { cwd })).code).toBe(0);
  });
});
