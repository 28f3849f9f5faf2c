/**
 * Output that fits pipelines (issue 6, acceptance 3): every command's --json
 * output is one document that parses; with NO_COLOR=1, or without a terminal,
 * nothing carries an escape code; FORCE_COLOR turns colour on in a pipe and a
 * terminal gets it by default.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, dbkit, type CliResult } from '../support/cli.js';
import { checkout } from '../support/checkout.js';
import { freshPostgres, type FreshDatabase } from '../support/databases.js';
import { onPty } from '../support/pty.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-output-');
let db: FreshDatabase;
beforeAll(async () => {
  db = await freshPostgres('output');
}, 30_000);
afterAll(async () => {
  await db?.drop().catch(() => undefined);
});

// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[/;

/** Every command, in an order that works on one fresh database; `cwd` runs get a directory of their own. */
const commands = (): { name: string; args: string[]; cwd?: string }[] => [
  { name: 'wait', args: ['wait', '--url', db.url, '--timeout', '10'] },
  { name: 'migrate --dry-run', args: ['migrate', '--url', db.url, '--dry-run'] },
  { name: 'migrate', args: ['migrate', '--url', db.url] },
  { name: 'status', args: ['status', '--url', db.url] },
  { name: 'diff', args: ['diff', '--url', db.url] },
  { name: 'diff --sql', args: ['diff', '--url', db.url, '--sql'] },
  { name: 'check-indexes', args: ['check-indexes', '--url', db.url] },
  { name: 'seed', args: ['seed', '--url', db.url, '--users', '3', '--truncate', '--yes'] },
  { name: 'sql', args: ['sql', '--dialect', 'mysql', '--schema', 'chat'] },
  { name: 'unlock', args: ['unlock', '--url', db.url] },
  { name: 'rollback', args: ['rollback', '--url', db.url, '--steps', '1', '--yes'] },
  { name: 'init', args: ['init', '--url', db.url, '--no-test'], cwd: tmp() },
];

function noEscapes(r: CliResult, what: string): void {
  expect(r.stdout, `${what} stdout`).not.toMatch(ESCAPE);
  expect(r.stderr, `${what} stderr`).not.toMatch(ESCAPE);
}

describe('output modes', () => {
  it('--json: every command prints one document that parses', async () => {
    for (const c of commands()) {
      const r = await dbkit([...c.args, '--json'], { cwd: c.cwd });
      expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
      expect(() => JSON.parse(r.stdout), `${c.name}: ${r.stdout}`).not.toThrow();
      expect(r.stdout.trim().split('\n'), c.name).toHaveLength(1); // one compact line in a pipe
      noEscapes(r, `${c.name} --json`);
    }
    // `make` writes into a checkout: a temporary copy (DBKIT_ROOT), never the repository's own migrations/.
    const co = checkout(tmp());
    const made = await co.run(['make', 'output_test', '--schema', 'chat', '--empty', '--json']);
    expect(made.code, made.stderr).toBe(0);
    const dir = (JSON.parse(made.stdout) as { dir: string }).dir;
    expect(fs.existsSync(path.resolve(co.root, dir, 'migration.json'))).toBe(true);
    expect(made.stdout.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('NO_COLOR=1 or no terminal: no escape codes in any command', async () => {
    for (const c of commands()) {
      for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: undefined, FORCE_COLOR: undefined }]) {
        const r = await dbkit(c.args, { cwd: c.cwd, env });
        expect(r.code, `${c.name}: ${r.stderr}`).toBe(0);
        noEscapes(r, `${c.name} ${JSON.stringify(env)}`);
      }
    }
    const help = await dbkit(['help', 'migrate'], { env: { NO_COLOR: undefined } });
    noEscapes(help, 'help');
  }, 180_000);

  it('colour: on a terminal by default, in a pipe with FORCE_COLOR, never with --no-color or NO_COLOR', async () => {
    const args = ['status', '--url', db.url];
    const forced = await dbkit(args, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ESCAPE);
    expect((await dbkit([...args, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout).not.toMatch(ESCAPE);
    expect((await dbkit(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).not.toMatch(ESCAPE);
    const cwd = tmp();
    const tty = await onPty(`env -u NO_COLOR -u FORCE_COLOR ${process.execPath} ${bin} ${args.join(' ')}`, [], { cwd, keepEscapes: true });
    expect(tty.code).toBe(0);
    expect(tty.screen).toMatch(ESCAPE);
  }, 60_000);
});
