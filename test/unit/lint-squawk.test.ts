/**
 * dbkit lint measured against squawk (squawk-cli from npm, its own binary)
 * on the same PostgreSQL SQL: the repository's migrations and the lint
 * fixtures (test/fixtures/lint/: one bad and one good file per rule, and the
 * documented differences). For every squawk rule that has a dbkit
 * counterpart (the table below, also in docs/lint.md), each file gets the
 * same verdict from both, except the differences listed here and explained
 * in docs/lint.md ("Differences from squawk"), which must still occur.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LintFile } from '../../src/lint/types.js';
import { lintInputs } from '../../src/migrate/verify/lint-input.js';
import { repoRoot } from '../support/cli.js';
import { lint } from '../support/lint.js';

/** squawk rule -> the dbkit codes that say the same (squawk fires it <=> dbkit reports one of them). */
export const SQUAWK_TO_DBKIT: Record<string, string[]> = {
  'require-concurrent-index-creation': ['DBK101'],
  'require-concurrent-index-deletion': ['DBK102'],
  'require-concurrent-reindex': ['DBK103'],
  'changing-column-type': ['DBK201'],
  'adding-field-with-default': ['DBK202'],
  'adding-foreign-key-constraint': ['DBK301'],
  'constraint-missing-not-valid': ['DBK301', 'DBK302', 'DBK303', 'DBK304', 'DBK305'],
  'disallowed-unique-constraint': ['DBK304'],
  'adding-serial-primary-key-field': ['DBK305'],
  'adding-not-nullable-field': ['DBK306'],
  'adding-required-field': ['DBK307'],
  'ban-concurrent-index-creation-in-transaction': ['DBK401'],
  'transaction-nesting': ['DBK402'],
  'prefer-robust-stmts': ['DBK403'],
  'ban-drop-column': ['DBK501'],
  'ban-drop-table': ['DBK502'],
  'renaming-column': ['DBK503'],
  'renaming-table': ['DBK504'],
};

/** Fixtures on which the two disagree on purpose: file -> squawk rule -> who fires it (docs/lint.md says why). */
const FIXTURE_DIFFERENCES: Record<string, Record<string, { squawk: boolean; dbkit: boolean }>> = {
  'DBK202-serial.differs.sql': { 'adding-field-with-default': { squawk: false, dbkit: true } },
  'DBK501-new-table.differs.sql': { 'ban-drop-column': { squawk: true, dbkit: false } },
  'DBK502-new-table.differs.sql': { 'ban-drop-table': { squawk: true, dbkit: false } },
  'DBK306-new-table.differs.sql': { 'adding-not-nullable-field': { squawk: true, dbkit: false } },
  'DBK401-single.differs.sql': { 'ban-concurrent-index-creation-in-transaction': { squawk: false, dbkit: true } },
  'DBK403-validate.differs.sql': { 'prefer-robust-stmts': { squawk: true, dbkit: false } },
};

// The platform package of squawk-cli (its binary): squawk-cli itself lists optional packages for other
// platforms that this registry does not serve, which would leave npm ci's lock file out of sync.
const squawkBin = path.join(repoRoot, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk');

/** The squawk rules that fire on a file, run as dbkit runs it (in a transaction or not). */
function squawk(file: string, inTransaction: boolean): Set<string> {
  const r = spawnSync(squawkBin, ['--reporter', 'json', ...(inTransaction ? ['--assume-in-transaction'] : []), file], { encoding: 'utf8', timeout: 60_000 });
  expect(r.error, `squawk: ${r.error?.message}`).toBeUndefined();
  expect([0, 1], r.stderr).toContain(r.status);
  return new Set((JSON.parse(r.stdout || '[]') as { rule_name: string }[]).map((v) => v.rule_name));
}

function verdicts(squawkRules: Set<string>, dbkitCodes: Set<string>): Record<string, { squawk: boolean; dbkit: boolean }> {
  return Object.fromEntries(
    Object.entries(SQUAWK_TO_DBKIT).map(([rule, codes]) => [rule, { squawk: squawkRules.has(rule), dbkit: codes.some((c) => dbkitCodes.has(c)) }]),
  );
}

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'lint');

describe('dbkit lint against squawk', () => {
  it('squawk-cli runs here (its binary from npm)', () => {
    const r = spawnSync(squawkBin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^squawk \d+\.\d+/);
  });

  it('the same verdict on every fixture, for every rule both have; the documented differences occur', async () => {
    const names = fs.readdirSync(fixtures).filter((n) => n.endsWith('.sql')).sort();
    expect(names.length).toBeGreaterThanOrEqual(40);
    let compared = 0;
    for (const name of names) {
      const file = path.join(fixtures, name);
      const text = fs.readFileSync(file, 'utf8');
      const transactional = /^-- lint-fixture: transactional$/m.test(text);
      expect(transactional || /^-- lint-fixture: non-transactional$/m.test(text), `${name} says how it runs`).toBe(true);
      const found = await lint('postgres', text, { migration: name, transactional });
      const got = verdicts(squawk(file, transactional), new Set(found.findings.map((f) => f.code)));
      const expected = Object.fromEntries(Object.entries(got).map(([rule, v]) => [rule, FIXTURE_DIFFERENCES[name]?.[rule] ?? { squawk: v.squawk, dbkit: v.squawk }]));
      expect(got, name).toEqual(expected);
      // The fixture is about its code: a bad one finds it, a good one does not.
      const code = name.slice(0, 6);
      if (name.includes('.bad.')) expect(found.findings.map((f) => f.code), name).toContain(code);
      if (name.includes('.good.')) expect(found.findings.map((f) => f.code), name).not.toContain(code);
      compared++;
    }
    expect(compared).toBe(names.length);
  }, 300_000); // one squawk process per fixture: seconds on a busy machine

  it("the same verdict on the repository's PostgreSQL migrations, but for a down that drops what its up created", async () => {
    const files: LintFile[] = ['agents', 'chat'].flatMap((s) => lintInputs(s, { name: s, native: 'postgres' }, { dialects: ['postgres'] }));
    expect(files.length).toBeGreaterThanOrEqual(24);
    let downs = 0;
    for (const f of files) {
      const [schema, migration] = f.migration.split('/');
      const onDisk = path.join(repoRoot, 'migrations', schema!, migration!, `postgres.${f.direction}.sql`);
      const found = await lint('postgres', f.text, f);
      expect(found.findings, onDisk).toEqual([]);
      const got = verdicts(squawk(onDisk, f.transactional), new Set());
      const dropsOwnTable = f.direction === 'down' && /^DROP TABLE /m.test(f.text);
      if (dropsOwnTable) downs++;
      for (const [rule, v] of Object.entries(got)) {
        // squawk's ban-drop-table on a down that drops the table its up created (dbkit: that is the rollback itself).
        const expectedSquawk = rule === 'ban-drop-table' && dropsOwnTable;
        expect({ rule, ...v }, onDisk).toEqual({ rule, squawk: expectedSquawk, dbkit: false });
      }
    }
    expect(downs).toBe(11);
  }, 300_000);
});
