/**
 * Empty is not a value (issue 20, acceptance 3), through the real binary: an
 * empty flag, environment variable, `.env` entry or config value is a usage
 * error (exit 2) naming where it came from, and nothing is opened, created or
 * written. Before, `DATABASE_URL=""` in `.env` migrated the embedded database,
 * `migrate --to ""` applied everything, `--seed ""` seeded with seed 0 and
 * `--lock-timeout ""` was a timeout of 0. Also `seed --users`: digits only
 * (1e9 and 1.5 are refused), at most 1,000,000, and above 100,000 only when
 * confirmed (--yes without a terminal).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, type ProgramResult } from '../../src/cli/program.js';
import { bin, dbkit, type CliResult } from '../support/cli.js';
import { tableCounts } from '../support/databases.js';
import { onPty } from '../support/pty.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-empty-');

/** A working directory of its own, and its embedded database's place (not made yet). */
function place(): { cwd: string; url: string; dir: string } {
  const cwd = tmp();
  const dir = path.join(cwd, 'db');
  return { cwd, url: `pglite:${dir}`, dir };
}

/** Exit 2, one `dbkit:` line matching `message`, and the --json error document says the same. */
function expectUsage(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr + r.stdout).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(new RegExp(`^dbkit: ${message.source}`));
}

const noEmbeddedDatabase = (cwd: string) => expect(fs.existsSync(path.join(cwd, '.dbkit')), `${cwd}/.dbkit was made`).toBe(false);

let migrated: { cwd: string; url: string };

beforeAll(async () => {
  const p = place();
  const r = await dbkit(['migrate', '--url', p.url, '--schema', 'chat', '--quiet'], { cwd: p.cwd });
  expect(r.code, r.stderr).toBe(0);
  migrated = p;
}, 120_000);

describe('one test per source', () => {
  it('a flag: migrate --to "" (an unset $TARGET) applies nothing and makes no database', async () => {
    const p = place();
    const r = await dbkit(['migrate', '--url', p.url, '--to', ''], { cwd: p.cwd });
    expectUsage(r, /--to is empty \(a variable that is not set\?\): give it a value, or leave --to out$/);
    expect(fs.existsSync(p.dir)).toBe(false);
    const asJson = await dbkit(['migrate', '--url', p.url, '--to=', '--json'], { cwd: p.cwd });
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stdout)).toEqual({ error: { exitCode: 2, message: '--to is empty (a variable that is not set?): give it a value, or leave --to out' } });
  });

  it('an environment variable: an empty DBKIT_DIRECT_URL is refused, not skipped', async () => {
    const p = place();
    const r = await dbkit(['migrate', '--url', p.url], { cwd: p.cwd, env: { DBKIT_DIRECT_URL: '' } });
    expectUsage(r, /DBKIT_DIRECT_URL is empty \(a variable that is not set\?\)/);
    expect(fs.existsSync(p.dir)).toBe(false);
    // (DATABASE_URL, as before: refused, never the embedded database)
    const cwd = tmp();
    expectUsage(await dbkit(['migrate'], { cwd, env: { DATABASE_URL: '' } }), /DATABASE_URL is empty/);
    noEmbeddedDatabase(cwd);
  });

  it('a .env line: DATABASE_URL="" does not migrate the embedded database', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, '.env'), '# the app\nAPP_PORT=8080\nDATABASE_URL=""\n');
    const r = await dbkit(['migrate'], { cwd });
    expectUsage(r, /\.env line 3: DATABASE_URL is empty \(a variable that is not set\?\)/);
    noEmbeddedDatabase(cwd);
  });

  it('a config value: "url": "" does not migrate the embedded database', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url: '', schema: 'chat' }));
    const r = await dbkit(['migrate'], { cwd });
    expectUsage(r, /config file dbkit\.config\.json: "url" is empty: give it a value, or leave the key out$/);
    noEmbeddedDatabase(cwd);
  });
});

describe('the cases of the issue', () => {
  it('--seed "" is not seed 0: nothing is loaded', async () => {
    const r = await dbkit(['seed', '--url', migrated.url, '--users', '1', '--seed', ''], { cwd: migrated.cwd });
    expectUsage(r, /--seed is empty/);
    expect(await tableCounts(migrated.url, ['users'])).toEqual({ users: 0 });
  });

  it('--lock-timeout "" is refused, not a timeout of 0', async () => {
    expectUsage(await dbkit(['status', '--url', migrated.url, '--lock-timeout', ''], { cwd: migrated.cwd }), /--lock-timeout is empty/);
  });

  it('--users takes digits only, at most 1,000,000, and above 100,000 only when confirmed', async () => {
    const run = (users: string, ...extra: string[]) => dbkit(['seed', '--url', migrated.url, '--users', users, ...extra], { cwd: migrated.cwd });
    expectUsage(await run('1e9'), /--users must be a whole number from 1 to 1000000 \(digits only\), got "1e9"$/);
    expectUsage(await run('1.5'), /--users must be a whole number from 1 to 1000000 \(digits only\), got "1\.5"$/);
    expectUsage(await run('1000001', '--yes'), /--users must be a whole number from 1 to 1000000/);
    expectUsage(await run('100001'), /--users 100,001 loads about 30 million rows \(more than 100,000 users\): pass --yes to confirm \(no terminal to ask on\)$/);
    // The config file's seed.users: the same bound.
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url: migrated.url, seed: { users: 250_000 } }));
    expectUsage(await dbkit(['seed'], { cwd }), /the config file's seed\.users 250,000 loads about 75 million rows .*pass --yes to confirm/);
    expect(await tableCounts(migrated.url, ['users'])).toEqual({ users: 0 });
  });

  it('--users above 100,000 on a terminal: asked first; no is a usage error and nothing is loaded', async () => {
    const r = await onPty(`node ${bin} seed --url ${migrated.url} --users 100001`, [{ prompt: /loads about 30 million rows\. Go on\?/, keys: 'n\r' }], {
      cwd: migrated.cwd,
      env: { NO_COLOR: '1', DATABASE_URL: undefined },
      timeoutMs: 60_000,
    });
    expect(r.code, r.screen).toBe(2);
    expect(r.screen).toContain('dbkit: seed not confirmed');
    expect(await tableCounts(migrated.url, ['users'])).toEqual({ users: 0 });
  }, 90_000);
});

/** Every option that takes a value, by command, from the program itself: a new flag is swept too. */
function valuedOptions(): { command: string; flag: string }[] {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const result: ProgramResult = { exitCode: 0, io: null };
  const program = buildProgram({ stdout: sink, stderr: sink, stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false }, result);
  const valued = (o: { required: boolean; optional: boolean }) => o.required || o.optional;
  const out = program.options.filter(valued).map((o) => ({ command: 'status', flag: o.long! }));
  for (const c of program.commands) for (const o of c.options.filter(valued)) out.push({ command: c.name(), flag: o.long! });
  return out;
}

const ARGUMENTS: Record<string, string[]> = { make: ['some_change'] };

describe('the sweep: every option that takes a value, empty, on the command that has it', () => {
  const options = valuedOptions();

  it('covers the options of every command (the list is not empty by mistake)', () => {
    expect(options.length).toBeGreaterThan(30);
    expect(options).toContainEqual({ command: 'seed', flag: '--users' });
    expect(options).toContainEqual({ command: 'init', flag: '--password' });
  });

  it('each is a usage error naming the flag, before anything is opened', async () => {
    const cwd = tmp();
    const results = [];
    // A few at a time: each is a process start.
    for (let i = 0; i < options.length; i += 4) {
      results.push(
        ...(await Promise.all(
          options.slice(i, i + 4).map(async ({ command, flag }) => ({ command, flag, r: await dbkit([command, ...(ARGUMENTS[command] ?? []), flag, ''], { cwd }) })),
        )),
      );
    }
    for (const { command, flag, r } of results) {
      expect(r.code, `${command} ${flag} "": ${r.stderr}`).toBe(2);
      // Ours ("--to is empty"), or commander's for a flag with fixed choices ("option '--dialect <dialect>' argument '' is invalid").
      expect(r.stderr, `${command} ${flag} ""`).toMatch(new RegExp(`^dbkit: (${flag} (is empty|has an empty item)|option '${flag} <[^>]+>' argument '' is invalid)`));
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 300_000);

  it('an empty argument and an empty item of a list are refused too', async () => {
    const cwd = tmp();
    expectUsage(await dbkit(['make', ''], { cwd }), /the argument <name> is empty/);
    expectUsage(await dbkit(['status', '--targets', 'fleet.yaml', '--only', 'a,'], { cwd }), /--only has an empty item/);
    expectUsage(await dbkit(['migrate', '--url', ' '], { cwd }), /--url is empty/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});
