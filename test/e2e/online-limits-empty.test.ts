/**
 * What docs/online-changes.md says of an empty bound is what the binary
 * does: `--statement-timeout ""` and `"statementTimeout": ""` in the config
 * file (and the other bounds of its table) are usage errors (exit 2), never
 * "unset" (the page said so after hardening made them errors). Nothing is
 * opened: the embedded database is not made.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbkit, repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-online-empty-');
const page = fs.readFileSync(path.join(repoRoot, 'docs', 'online-changes.md'), 'utf8').replace(/\s+/g, ' ');

describe('an empty bound of migrate and rollback', () => {
  it('the page says it is a usage error, not unset', () => {
    expect(page).not.toContain('An empty value is unset');
    expect(page).toContain('`--statement-timeout ""` (a variable that is not set) is a usage error (exit 2) naming the flag');
    expect(page).toContain('`"statementTimeout": ""` in the config file is one too');
  });

  it('a flag given empty: exit 2 naming it, for migrate and rollback', async () => {
    for (const command of ['migrate', 'rollback']) {
      for (const flag of ['--statement-timeout', '--ddl-lock-timeout', '--ddl-lock-attempts', '--online']) {
        const cwd = tmp();
        const r = await dbkit([command, '--url', `pglite:${path.join(cwd, 'db')}`, flag, ''], { cwd });
        expect(r.code, `${command} ${flag} "": ${r.stderr}`).toBe(2);
        expect(r.stderr).toBe(`dbkit: ${flag} is empty (a variable that is not set?): give it a value, or leave ${flag} out\n`);
        expect(fs.readdirSync(cwd)).toEqual([]);
      }
    }
  }, 300_000);

  it('a config key given empty: exit 2 naming it', async () => {
    const cases: [string, string][] = [
      ['statementTimeout', '"statementTimeout" must be a number'],
      ['ddlLockTimeout', '"ddlLockTimeout" must be a number'],
      ['ddlLockAttempts', '"ddlLockAttempts" must be a number'],
      ['online', '"online" is empty: give it a value, or leave the key out'],
    ];
    for (const [key, message] of cases) {
      const cwd = tmp();
      fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url: `pglite:${path.join(cwd, 'db')}`, [key]: '' }));
      const r = await dbkit(['migrate'], { cwd });
      expect(r.code, `${key}: "": ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(`dbkit: config file dbkit.config.json: ${message}\n`);
      expect(fs.readdirSync(cwd)).toEqual(['dbkit.config.json']);
    }
  }, 300_000);
});
