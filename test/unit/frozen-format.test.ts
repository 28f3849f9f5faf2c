/**
 * The frozen migration format (issue 12): SQL files, the sum file, and the
 * checksums of the twelve migrations frozen from dbkit 0.1.0's step
 * migrations, which must stay those 0.1.0 recorded (so that every database it
 * migrated shows up to date with no --accept-changed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMigrationDirs } from '../../src/migrate/folder/folder.js';
import { BREAKPOINT, formatJson, parseSqlFile, renderSqlFile, sqlHeader, type DialectMeta } from '../../src/migrate/folder/format.js';
import { commentLines } from '../../src/shared/sql-text.js';
import { loadMigrations } from '../../src/migrate/folder/source.js';
import { computeSum, parseSum, renderSum, sumProblem, verifySum } from '../../src/migrate/folder/sum.js';
import { repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-format-');
const root = path.join(repoRoot, 'migrations');

/** What dbkit 0.1.0 recorded in dbkit_checksums for each migration, per schema and dialect. */
const V010: Record<string, string> = {
  'agents/postgres/20250101000100_create_users': 'b5d53f2dfa8b53c0e04182481807633b734b489774ff286c15461784026547fd',
  'agents/postgres/20250101000200_create_sessions': '358ed18798344bbaf288531236f0cfdc8eaa24cd4539a1426ea9dff6c736363e',
  'agents/postgres/20250101000300_create_runs': 'ccd1320741062735088422bd91316e794314329079e68d8dc5e0c3e22c826625',
  'agents/postgres/20250101000400_create_messages': '8d25f75927fd517af06a40c941e49485770ee3024f6cb1d58e408fa9e5ac9516',
  'agents/postgres/20250101000500_create_files': 'c889eb88f03a76450286cf8b4d9db07d34a0416d9049d4a816b1a2900c289ffa',
  'agents/postgres/20250101000600_create_settings': '5d91541e0fe3d93e589b1e85c119baff6e67d0096642146f4e6d387a8455824d',
  'agents/postgres/20250101000700_create_gallery': '2ea0b75a1cad677161310816cbafd6117bfd860e65ede09ce5cff343189f5546',
  'agents/mysql/20250101000100_create_users': 'df5a329bcfc16be69ceed8592c3a78e3b7639b0d74335b7f898676278c0b1a05',
  'agents/mysql/20250101000200_create_sessions': 'bebe028884b493bfa9cfb441c08bc7aeecb78d516c36e8fb6efd3b12784cfc28',
  'agents/mysql/20250101000300_create_runs': 'f2a40180c24ed2d3ff97524fb42fee44534b80f3f63fc4ee45095b4f9c9a0871',
  'agents/mysql/20250101000400_create_messages': '34ad4f036cc37776f4d6427afe438c63af376aff3dd68d14f5f8dc6af2623f1c',
  'agents/mysql/20250101000500_create_files': '33698293a287997e9f73bb0192973ec7335437e4d99006be3c0f342767cc4e6a',
  'agents/mysql/20250101000600_create_settings': 'f8d05c68f70165962df99e194aaff09186d14c38a605af7614066e462f38931a',
  'agents/mysql/20250101000700_create_gallery': '060e11f1b43441d82f3160569f6b43df93b0d92cdf71e0800a19ad9ba86bcc56',
  'chat/postgres/20250201000000_prelude': '643836bdbd287b7d8157347da495984e1d8202047aa42213f407dec7dd2518c7',
  'chat/postgres/20250201000100_create_users': '60923ddd2706fa484ae71af73b515388fbea6218fb5cf5824474b38e0a843125',
  'chat/postgres/20250201000200_create_conversations': 'b3b6c7962767c7691209a204398a53ec2544490f71a9ee326e138ed52e5364c8',
  'chat/postgres/20250201000300_create_messages': '0b732516fd2fbe9a8a9e26e64a27ffeb5dc2f2fc48b86514c4bec6ea6b11be84',
  'chat/postgres/20250201000400_create_api_calls': 'ec20378dd239044d48ef4f24319b57b0471a409615b17ad63a5dfab18ba3af91',
  'chat/mysql/20250201000000_prelude': 'dd3629986cb16dff87825d8023a0cc7d434f0f4a904f6def66efc6aa6bd09bc6',
  'chat/mysql/20250201000100_create_users': '79193b85ce3fa33fb28b2c65823f9e56377cb73203513beeeff3755018b04fb9',
  'chat/mysql/20250201000200_create_conversations': '3a904a0fc9dadda39e5179b686d05728a38b6b23e15e53eef3c0b3cdf2f24beb',
  'chat/mysql/20250201000300_create_messages': '09c8dad32ac069f42631b8d5f94d44c31698de89838d669c5d260d61e6680669',
  'chat/mysql/20250201000400_create_api_calls': '0160c710ec2707cdf049005b74c3eeb627170ebdcc6cdf1430c9d9f36d9b41d7',
};

describe('SQL files', () => {
  it('round-trip statements through breakpoints, with the header and the ending semicolons left out', () => {
    const statements = ['CREATE TABLE "a" (\n    "id" int\n)', "COMMENT ON TABLE \"a\" IS 'what? -- not a comment; really'", 'CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  RETURN NEW;\nEND\n$$'];
    const text = renderSqlFile(['-- x: postgres, up', '-- runs in one transaction'], statements);
    expect(text.split('\n').filter((l) => l === BREAKPOINT)).toHaveLength(2);
    expect(parseSqlFile(text)).toEqual(statements);
    expect(parseSqlFile(text.replace(/\n/g, '\r\n'))).toEqual(statements);
  });

  it('a file of comments only (a hand-written migration never filled in) has no statements', () => {
    expect(parseSqlFile('-- write the statements here\n-- one per part\n\n')).toEqual([]);
    expect(parseSqlFile(`-- header\n${BREAKPOINT}\n-- nothing\n`)).toEqual([]);
  });

  it('comment lines in front of a statement are not part of it', () => {
    expect(parseSqlFile(`-- head\nUPDATE t SET a = 1;\n${BREAKPOINT}\n-- why\n\nUPDATE t SET b = 2;\n`)).toEqual(['UPDATE t SET a = 1', 'UPDATE t SET b = 2']);
  });
});

describe('comment lines hold whatever text they are given (a name or a default with a line break)', () => {
  const HOSTILE = 'add column sessions.x\nDROP TABLE gallery;\n-- text\rDROP TABLE runs;\u2028DROP TABLE users;\r\nSELECT 1;\u0085SELECT 2;\u2029SELECT 3;\vSELECT 4;\fSELECT 5;\u0000';
  const meta = (warning: string): DialectMeta => {
    const dir = { operations: [], statementOperations: [], warnings: [warning], dataLoss: [warning] };
    return { transactional: false, up: dir, down: { ...dir, restoresData: false } };
  };
  /** What every engine and client may take as the end of a line (PostgreSQL's lexer: \n and \r). */
  const LINES = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

  it('sqlHeader: a hostile does:, warning and data-loss line gives comment lines only, each piece on a line of its own', () => {
    for (const dialect of ['postgres', 'mysql'] as const) {
      const header = sqlHeader('20260101000000_nl', dialect, 'down', meta(HOSTILE), [`does: ${HOSTILE}`]);
      const lines = header.join('\n').split(LINES);
      expect(lines.length).toBe(header.length);
      for (const line of lines) expect(line).toMatch(/^-- /);
      expect(lines).toContain('-- DROP TABLE gallery;');
      expect(lines).toContain('-- DROP TABLE runs;');
      expect(lines).toContain('-- DROP TABLE users;');
      expect(lines).toContain('-- SELECT 5;\\u{0000}');
      // Nothing of it reads as a statement.
      expect(parseSqlFile(renderSqlFile(header, []))).toEqual([]);
    }
  });

  it('commentLines: plain text is one line; each line break starts a new comment line', () => {
    expect(commentLines('does: add column users.bio text')).toEqual(['-- does: add column users.bio text']);
    expect(commentLines('a\r\nb\rc\u2028d')).toEqual(['-- a', '-- b', '-- c', '-- d']);
  });

  it('renderSqlFile: comments before a statement are made comment lines too; a file that would not read back as planned is not made', () => {
    const text = renderSqlFile(['-- head'], ['SELECT 1'], [['-- dbkit-lint: allow DBK501 x\nDROP TABLE gallery']]);
    expect(text).toBe('-- head\n-- dbkit-lint: allow DBK501 x\n-- DROP TABLE gallery\nSELECT 1;\n');
    expect(parseSqlFile(text)).toEqual(['SELECT 1']);
    expect(() => renderSqlFile(['-- head'], [`COMMENT ON TABLE "a" IS 'x\n${BREAKPOINT}\nDROP TABLE gallery; --'`])).toThrow(/statement 1 would not read back/);
    expect(() => renderSqlFile(['-- head'], ["COMMENT ON TABLE \"a\" IS 'x\r\ny'"])).toThrow(/would not read back/);
  });
});

describe('the migrations frozen from dbkit 0.1.0', () => {
  it('have the checksums 0.1.0 recorded, on both dialects', () => {
    const got: Record<string, string> = {};
    for (const schema of ['agents', 'chat']) {
      for (const dialect of ['postgres', 'mysql'] as const) {
        for (const m of loadMigrations(schema, dialect, root)) got[`${schema}/${dialect}/${m.name}`] = m.checksum;
      }
    }
    expect(got).toEqual(V010);
  });

  it('run in a transaction on PostgreSQL and statement by statement on MySQL, with an operation list for every statement', () => {
    for (const schema of ['agents', 'chat']) {
      for (const m of loadMigrations(schema, 'postgres', root)) expect(m.meta.transactional).toBe(true);
      for (const m of loadMigrations(schema, 'mysql', root)) {
        expect(m.meta.transactional).toBe(false);
        expect(m.meta.up.statementOperations).toHaveLength(m.up.length);
        expect(m.meta.down.statementOperations).toHaveLength(m.down.length);
      }
    }
  });
});

function copyFolder(): string {
  const dir = path.join(tmp(), 'migrations');
  fs.cpSync(root, dir, { recursive: true });
  return dir;
}

describe('the sum file', () => {
  it('matches the repository folders', () => {
    for (const schema of ['agents', 'chat']) expect(sumProblem(schema, root)).toBeNull();
  });

  it('names an edited migration, an added one and a removed one; conflict markers are refused', () => {
    const dir = copyFolder();
    const runs = path.join(dir, 'agents', '20250101000300_create_runs', 'mysql.up.sql');
    fs.appendFileSync(runs, '-- a comment is an edit too\n');
    expect(sumProblem('agents', dir)).toBe('20250101000300_create_runs (migrations/agents/20250101000300_create_runs) differs from what migrations/agents/dbkit.sum records');
    expect(() => verifySum('agents', dir)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('dbkit hash --schema agents') }));
    fs.cpSync(path.join(dir, 'agents', '20250101000700_create_gallery'), path.join(dir, 'agents', '20250101000800_copy'), { recursive: true });
    expect(sumProblem('agents', dir)).toBe('20250101000800_copy is not in migrations/agents/dbkit.sum');
    fs.rmSync(path.join(dir, 'agents', '20250101000800_copy'), { recursive: true });
    fs.rmSync(path.join(dir, 'agents', '20250101000700_create_gallery'), { recursive: true });
    expect(sumProblem('agents', dir)).toBe('20250101000700_create_gallery is in migrations/agents/dbkit.sum but not in the folder');
    fs.writeFileSync(path.join(dir, 'chat', 'dbkit.sum'), '<<<<<<< HEAD\nh1:x\n=======\nh1:y\n>>>>>>> other\n');
    expect(sumProblem('chat', dir)).toMatch(/merge conflict markers/);
  });

  it('chains: two different migrations added to the same base change the first and the last line', () => {
    const dirs = listMigrationDirs('agents', root);
    const base = computeSum(dirs);
    const a = computeSum([...dirs, { name: '20300101000000_a', dir: dirs[0]!.dir }]);
    const b = computeSum([...dirs, { name: '20300101000000_b', dir: dirs[1]!.dir }]);
    expect(a.migrations.slice(0, -1)).toEqual(base.migrations);
    expect(a.total).not.toBe(b.total);
    expect(a.total).not.toBe(base.total);
    expect(a.migrations.at(-1)!.hash).not.toBe(b.migrations.at(-1)!.hash);
    expect(parseSum(renderSum(a))).toEqual(a);
  });
});

describe('formatJson', () => {
  it('keeps plain objects on one line and nests the rest', () => {
    const value = { name: 'x', columns: [{ name: 'id', type: 'uuid', nullable: false }], nested: { deep: { deeper: { a: 1 } }, list: [1, 2] } };
    const text = formatJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('{"name":"id","type":"uuid","nullable":false}');
  });
});

describe('runtimeDefinition', () => {
  it('reads the snapshot of the checkout DBKIT_ROOT names, per checkout, in one process', async () => {
    const { runtimeDefinition } = await import('../../src/migrate/folder/snapshots.js');
    const root = tmp();
    fs.cpSync(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'), { recursive: true });
    const dirs = listMigrationDirs('chat', path.join(root, 'migrations'));
    fs.rmSync(dirs.at(-1)!.dir, { recursive: true }); // this checkout stops one migration earlier
    const saved = process.env.DBKIT_ROOT;
    try {
      delete process.env.DBKIT_ROOT;
      const here = runtimeDefinition('chat').tables.map((t) => t.name);
      process.env.DBKIT_ROOT = root;
      const there = runtimeDefinition('chat').tables.map((t) => t.name);
      expect(here).toContain('api_calls');
      expect(there).not.toContain('api_calls');
      expect(there).toEqual(here.filter((t) => t !== 'api_calls'));
    } finally {
      if (saved === undefined) delete process.env.DBKIT_ROOT;
      else process.env.DBKIT_ROOT = saved;
    }
  });
});
