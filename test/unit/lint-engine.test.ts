/** The lint engine: statements as the runner counts them, allowances in comments, the codes table against docs/lint.md. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/lint/codes.js';
import { findingLine } from '../../src/lint/engine.js';
import { RULES } from '../../src/lint/rules/index.js';
import { allowanceComment, allowancesOf, splitStatements } from '../../src/lint/source.js';
import { repoRoot } from '../support/cli.js';
import { BREAK, lint } from '../support/lint.js';

const header = '-- 20250301000000_add_index: postgres, up\n-- runs in one transaction\n';

describe('allowances', () => {
  it('an allowance with a reason before the statement moves its finding to allowed', async () => {
    const text = `${header}-- dbkit-lint: allow DBK101 users has 12 rows in every deployment\nCREATE INDEX "i" ON "users" ("a");${BREAK}CREATE INDEX "j" ON "users" ("b");\n`;
    const r = await lint('postgres', text);
    expect(r.findings.map((f) => `${f.statement}:${f.code}`)).toEqual(['2:DBK101']);
    expect(r.allowed.map((a) => `${a.statement}:${a.code}:${a.reason}`)).toEqual(['1:DBK101:users has 12 rows in every deployment']);
  });
  it('one allowance accepts one finding of its code', async () => {
    const text = '-- dbkit-lint: allow DBK301 tiny table\nALTER TABLE "a" ADD FOREIGN KEY ("x") REFERENCES "b" ("id"), ADD FOREIGN KEY ("y") REFERENCES "c" ("id");\n';
    const r = await lint('postgres', text);
    expect(r.findings.map((f) => f.code)).toEqual(['DBK301']);
    expect(r.allowed.map((f) => f.code)).toEqual(['DBK301']);
  });
  it('no reason, a bad line, or an allowance that matches nothing are findings themselves', async () => {
    const noReason = await lint('postgres', '-- dbkit-lint: allow DBK101\nCREATE INDEX "i" ON "users" ("a");\n');
    expect(noReason.findings.map((f) => f.code)).toEqual(['DBK101', 'DBK002']);
    const bad = await lint('postgres', '-- dbkit-lint: allow everything please\nCREATE TABLE "t" ("a" integer);\n');
    expect(bad.findings.map((f) => f.code)).toEqual(['DBK002']);
    const unused = await lint('postgres', '-- dbkit-lint: allow DBK502 old table\nCREATE TABLE "t" ("a" integer);\n');
    expect(unused.findings.map((f) => `${f.code} ${f.message}`)).toEqual(['DBK003 allowance of DBK502 matches no finding of this statement: remove it']);
  });
  it('the comment make writes', () => {
    expect(allowanceComment('DBK201', 'make --allow-blocking:  rewrites table  users')).toBe('-- dbkit-lint: allow DBK201 make --allow-blocking: rewrites table users');
    expect(() => allowanceComment('DBK201', ' ')).toThrow(/reason/);
    expect(allowancesOf(['dbkit-lint: allow dbk201 why'])).toEqual({ allowances: [{ code: 'DBK201', reason: 'why' }], bad: [] });
  });
});

describe('statements and lines', () => {
  it('splits at breakpoints, keeping each statement its comments', () => {
    const s = splitStatements(`${header}CREATE TABLE "t" ("a" integer);\n--> statement-breakpoint\n-- note\n\nDROP TABLE "u";\n--> statement-breakpoint\n-- only a comment\n`);
    expect(s).toEqual([
      { index: 1, sql: 'CREATE TABLE "t" ("a" integer)', comments: ['20250301000000_add_index: postgres, up', 'runs in one transaction'] },
      { index: 2, sql: 'DROP TABLE "u"', comments: ['note'] },
    ]);
  });
  it('prints <migration> <dialect>.<direction>.sql:<statement> DBKnnn <message>', () => {
    expect(findingLine({ migration: 'agents/20250301000000_x', dialect: 'mysql', direction: 'down', file: 'mysql.down.sql', statement: 3, code: 'DBK502', message: 'm' })).toBe(
      'agents/20250301000000_x mysql.down.sql:3 DBK502 m',
    );
  });
});

describe('codes', () => {
  it('every code a rule reports is in the table, and every code of the table is documented in docs/lint.md', () => {
    const table = new Set(CODES.map((c) => c.code));
    for (const r of RULES) for (const c of r.codes) expect(table.has(c), c).toBe(true);
    const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'lint.md'), 'utf8');
    for (const c of CODES) expect(docs, c.code).toMatch(new RegExp(`^\\| ${c.code} \\|`, 'm'));
    expect(new Set([...docs.matchAll(/^\| (DBK\d{3}) \|/gm)].map((m) => m[1]))).toEqual(table);
  });
});
