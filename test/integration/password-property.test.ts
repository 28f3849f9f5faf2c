/**
 * The password property test (issue 11, acceptance 3): thousands of
 * generated passwords (every printable ASCII character, spaces, quotes, URL
 * delimiters, percent sequences, non-ASCII letters, emoji, one-character
 * ones, ones equal to the user name) and the issue's own, set on REAL
 * PostgreSQL and MariaDB roles made here, then used by dbkit on success
 * paths (status, diff, sql, migrate --dry-run, wait) and failure paths
 * (wrong password, missing database, unreachable port, SQL error), in plain,
 * --json and --verbose modes.
 *
 * The property: the output of a run with password P is the output of the
 * same run with a fixed neutral password, byte for byte (once times and
 * stack frames are set aside), the user name aside: user names are shown
 * (issue 20), so the neutral run's user name (the owner's) stands where the
 * case's is shown, and `****` where the case's user name holds P (equals or
 * contains it: such a name is masked as a whole). So it says nothing about
 * P: no P, raw or encoded, no piece of it, and no word altered by masking.
 * (A one-letter password is a letter of many words: there the check is that
 * every occurrence is one the neutral run has too.)
 *
 * The bulk runs `run(argv, streams)` (src/cli/run.ts: what bin/dbkit.ts
 * calls) in-process with captured streams; a few hundred run the built
 * binary (dist/cli/dbkit.cjs), with the password given by --url,
 * DATABASE_URL, .env, the config file and `init --password`/DBKIT_PASSWORD,
 * and are held to the same in-process baselines: the two paths are one.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentDecode } from '../../src/shared/url-parts.js';
import { bin, dbkitInProcess } from '../support/cli.js';
import { mysqlFixture, NEUTRAL, pgFixture, type Fixture } from '../support/password-roles.js';
import { generatePassword, ISSUE_PASSWORDS, pieces, printedForms, prng, rawAmbiguous, rawDecodes, urlWith } from '../support/passwords.js';
import { tempDirs } from '../support/tmp.js';

const SEED = Number(process.env.DBKIT_PASSWORD_SEED ?? 20251130);
/** Generated passwords per engine, run in-process (acceptance: 2,000 in total at least). */
const GENERATED_PER_ENGINE = Number(process.env.DBKIT_PASSWORD_COUNT ?? 1000);
/** Passwords per engine run through the real binary. */
const SPAWNED_PER_ENGINE = Number(process.env.DBKIT_PASSWORD_SPAWNED ?? 50);
const NEUTRAL_AMBIGUOUS = 'Neutral/pw?4242';
const MISSING_DATABASE = 'qa_test';

const tmp = tempDirs('dbkit-pw-');

// ---------------------------------------------------------------- scenarios

type Mode = 'plain' | 'json' | 'verbose';
const MODES: Mode[] = ['plain', 'json', 'verbose'];
const modeArgs = (m: Mode): string[] => (m === 'json' ? ['--json'] : m === 'verbose' ? ['--verbose'] : []);

interface Scenario {
  name: string;
  /** The role the URL names, whose password must be P (null: none needs it: a wrong password, no server, offline). */
  role: (f: Fixture, user: string) => string | null;
  user: (f: Fixture, user: string) => string;
  database: (f: Fixture) => string;
  port?: (f: Fixture) => number;
  args: string[];
}

const SCENARIOS: Scenario[] = [
  { name: 'status', role: (_f, u) => u, user: (_f, u) => u, database: (f) => f.db, args: ['status'] },
  { name: 'diff', role: (_f, u) => u, user: (_f, u) => u, database: (f) => f.db, args: ['diff'] },
  { name: 'sql', role: () => null, user: (_f, u) => u, database: (f) => f.db, args: ['sql'] },
  { name: 'migrate --dry-run', role: (_f, u) => u, user: (_f, u) => u, database: (f) => f.dryDb, args: ['migrate', '--dry-run'] },
  { name: 'wait', role: (_f, u) => u, user: (_f, u) => u, database: (f) => f.db, args: ['wait', '--timeout', '60'] },
  { name: 'wrong password', role: () => null, user: (f) => f.wrongRole, database: (f) => f.db, args: ['status'] },
  { name: 'missing database', role: (_f, u) => u, user: (_f, u) => u, database: () => MISSING_DATABASE, args: ['status'] },
  { name: 'unreachable port', role: () => null, user: (_f, u) => u, database: (f) => f.db, port: (f) => f.closedPort, args: ['status'] },
  { name: 'SQL error', role: (_f, u) => u, user: (_f, u) => u, database: (f) => f.brokenDb, args: ['status'] },
];

interface Case {
  password: string;
  /** The lane's role. */
  lane: string;
  /** The user name: the lane's role, or (user = password) a role named like the password. */
  user: string;
  scenario: Scenario;
  mode: Mode;
  /** The password written raw into the URL instead of percent-encoded. */
  raw: boolean;
}

// ------------------------------------------------------------------ running

interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

const inProcess: (args: string[]) => Promise<Output> = dbkitInProcess;

function spawned(args: string[], env: Record<string, string | undefined>, cwd: string): Promise<Output> {
  return new Promise((resolve, reject) => {
    const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Times and stack frames (which name src/*.ts in-process and dist/cli/*.js in the binary) set aside; nothing else. */
const normalize = (text: string): string =>
  text
    .replace(/^ +at .*\n?/gm, '')
    .replace(/\b\d+(\.\d+)?(e-?\d+)? ?(ms|s)\b/g, '<time>')
    .replace(/"seconds":[\d.e-]+/g, '"seconds":<time>');

const argsOf = (f: Fixture, c: Case, password: string, user: string): string[] => {
  const base = { ...f.base(c.scenario.database(f)), ...(c.scenario.port ? { port: c.scenario.port(f) } : {}) };
  return [...c.scenario.args, '--url', urlWith(base, c.scenario.user(f, user), password, c.raw), ...modeArgs(c.mode)];
};

/** The neutral run of a case: the same scenario, mode and URL form, with the neutral password and the owner. */
const baselineKey = (f: Fixture, c: Case) => `${f.engine}|${c.scenario.name}|${c.mode}|${c.raw && rawAmbiguous(c.password) ? 'ambiguous' : 'ok'}`;
const baselines = new Map<string, Output>();

async function baseline(f: Fixture, c: Case): Promise<Output> {
  const key = baselineKey(f, c);
  let b = baselines.get(key);
  if (!b) {
    const ambiguous = c.raw && rawAmbiguous(c.password);
    const neutral = ambiguous ? NEUTRAL_AMBIGUOUS : NEUTRAL;
    b = await inProcess(argsOf(f, { ...c, raw: ambiguous }, neutral, f.owner));
    baselines.set(key, b);
  }
  return b;
}

/** Every way P could show: in full (any form), or a piece of 4 code points or more; allowed only where the neutral run shows the same text. */
function leaks(out: string, neutral: string, password: string): string[] {
  const found: string[] = [];
  const forms = printedForms(password);
  for (const form of [...forms, ...forms.flatMap((f) => ([...f].length > 4 ? pieces(f, 4) : []))]) {
    if (out.includes(form) && !neutral.includes(form)) found.push(form);
  }
  return found;
}

const describeCase = (f: Fixture, c: Case) =>
  `${f.engine} ${c.scenario.name} ${c.mode}${c.raw ? ' raw' : ''}${c.user !== c.lane ? ' user=password' : ''} password ${JSON.stringify(c.password)} (seed ${SEED})`;

/** Whether a user name holds the password (equals or contains it, as the server has both): dbkit masks such a name. */
const holds = (user: string, password: string): boolean => user.includes(password);

/**
 * The neutral run as the case's should read: it connected as the owner (or
 * the scenario's own user); the case connects as its lane's role (or one
 * named like P), shown by name, or as `****` where that name holds P.
 */
function asCase(f: Fixture, c: Case, neutral: Output): Output {
  const [from, to] = [c.scenario.user(f, f.owner), c.scenario.user(f, c.user)];
  const shown = holds(to, c.password) ? '****' : to;
  if (shown === from) return neutral;
  return { code: neutral.code, stdout: neutral.stdout.replaceAll(from, shown), stderr: neutral.stderr.replaceAll(from, shown) };
}

function check(f: Fixture, c: Case, got: Output, baselineRun: Output): void {
  const what = describeCase(f, c);
  const neutral = asCase(f, c, baselineRun);
  if (got.code !== neutral.code) console.log(`${what}\n--- got (exit ${got.code}):\n${got.stdout}${got.stderr}\n--- neutral (exit ${neutral.code}):\n${neutral.stdout}${neutral.stderr}`);
  expect(leaks(got.stdout + got.stderr, neutral.stdout + neutral.stderr, c.password), `${what}: the password shows`).toEqual([]);
  expect({ code: got.code, stdout: normalize(got.stdout), stderr: normalize(got.stderr) }, `${what}: differs from the neutral run`).toEqual({
    code: neutral.code,
    stdout: normalize(neutral.stdout),
    stderr: normalize(neutral.stderr),
  });
}

/** Names a password cannot take as a role of its own: reserved in PostgreSQL, or roles the servers already have. */
const TAKEN = ['public', 'none', 'current_user', 'session_user', 'current_role', 'system_user', 'postgres', 'root', 'dbkit', 'mysql', 'mariadb.sys'];
/** Whether a password can name a role too (user = password): a length both engines take, no reserved or existing name. */
const roleNameOk = (p: string) => p.length > 0 && Buffer.byteLength(p) <= 32 && p.trim() === p && !/^pg_/i.test(p) && !TAKEN.includes(p.toLowerCase());

async function runCase(f: Fixture, c: Case): Promise<void> {
  const neutral = await baseline(f, c);
  const equal = c.user !== c.lane;
  if (equal) await f.addRole(c.user, c.password);
  try {
    const role = c.scenario.role(f, c.user);
    if (role && !equal) await f.setPassword(role, c.password);
    check(f, c, await inProcess(argsOf(f, c, c.password, c.user)), neutral);
  } finally {
    if (equal) await f.dropRole(c.user);
  }
}

/**
 * The cases of one engine, by lane: each generated password gets one
 * scenario and mode (round robin), each issue password every scenario.
 * User = password cases all go to lane 0 (their roles are made and dropped
 * around the run: two lanes must not make the same one).
 */
function casesFor(f: Fixture, rnd: () => number): Case[][] {
  const lanes: Case[][] = f.lanes.map(() => []);
  const add = (i: number, c: Omit<Case, 'lane' | 'user'>, equal: boolean) => {
    const n = equal ? 0 : i % f.lanes.length;
    lanes[n]!.push({ ...c, lane: f.lanes[n]!, user: equal ? c.password : f.lanes[n]! });
  };
  const raw = (p: string, i: number) => !rawDecodes(p) && i % 2 === 1;
  for (let i = 0; i < GENERATED_PER_ENGINE; i++) {
    const password = generatePassword(rnd);
    const scenario = SCENARIOS[i % SCENARIOS.length]!;
    add(i, { password, scenario, mode: MODES[Math.floor(i / SCENARIOS.length) % 3]!, raw: raw(password, Math.floor(i / 27)) }, i % 50 === 7 && roleNameOk(password));
  }
  ISSUE_PASSWORDS.forEach((password, j) => {
    SCENARIOS.forEach((scenario, k) => add(j * SCENARIOS.length + k, { password, scenario, mode: MODES[(j + k) % 3]!, raw: raw(password, j + k) }, false));
    // user = password, on the paths that connect as that user (status, missing database, SQL error)
    if (roleNameOk(password)) add(0, { password, scenario: SCENARIOS[[0, 6, 8][j % 3]!]!, mode: MODES[j % 3]!, raw: false }, true);
  });
  return lanes;
}

// --------------------------------------------------------- through the binary

type Source = '--url' | 'DATABASE_URL' | '.env' | 'config file';
const SOURCES: Source[] = ['--url', 'DATABASE_URL', '.env', 'config file'];

/** Give the URL the way `source` does: a flag, a variable, a `.env` line, a config file (in a fresh working directory). */
function given(source: Source, args: string[]): { args: string[]; env: Record<string, string | undefined>; cwd: string } {
  const cwd = tmp();
  const at = args.indexOf('--url');
  const url = args[at + 1]!;
  const rest = [...args.slice(0, at), ...args.slice(at + 2)];
  if (source === '--url') return { args, env: { DATABASE_URL: undefined }, cwd };
  if (source === 'DATABASE_URL') return { args: rest, env: { DATABASE_URL: url }, cwd };
  if (source === '.env') fs.writeFileSync(path.join(cwd, '.env'), `DATABASE_URL="${url.replace(/"/g, '%22')}"\n`);
  else fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url }));
  return { args: rest, env: { DATABASE_URL: undefined }, cwd };
}

/** Run `jobs` with at most `n` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

// -------------------------------------------------------------------- tests

const fixtures: Fixture[] = [];
const noColor = process.env.NO_COLOR;

beforeAll(async () => {
  process.env.NO_COLOR = '1'; // as the binary's runs below
  fixtures.push(await pgFixture(), await mysqlFixture());
  for (const f of fixtures) {
    const migrate = await inProcess(['migrate', '--quiet', '--url', urlWith(f.base(f.db), f.owner, NEUTRAL, false)]);
    expect(migrate.code, migrate.stderr).toBe(0);
  }
}, 120_000);
afterAll(async () => {
  if (noColor === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = noColor;
  for (const f of fixtures) await f.teardown().catch(() => undefined);
});

// Concurrent: the binary's runs and init's (on a role of its own, whose password the lanes never set) go beside the in-process runs.
describe.concurrent('no password ever shows (property test on real roles)', () => {
  it(`in-process: ${GENERATED_PER_ENGINE} generated passwords per engine and the issue's own, on every path and mode`, async () => {
    const started = Date.now();
    const cpu = process.cpuUsage();
    let failed = false; // the other engine's loop stops too: no run may outlive the test
    const lanes = fixtures.flatMap((f, n) => casesFor(f, prng(SEED + n)).map((cases) => ({ f, cases })));
    const counts = await Promise.all(
      lanes.map(async ({ f, cases }) => {
        for (const c of cases) {
          if (failed) break;
          await runCase(f, c).catch((err: unknown) => {
            failed = true;
            throw err;
          });
        }
        return cases.length;
      }),
    );
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(2 * GENERATED_PER_ENGINE + 2 * ISSUE_PASSWORDS.length * SCENARIOS.length);
    const used = process.cpuUsage(cpu);
    console.log(`password property: ${total} in-process runs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${((used.user + used.system) / 1e6).toFixed(1)} s of this process's CPU (seed ${SEED})`);
  }, 600_000);

  it(`through the real binary: ${SPAWNED_PER_ENGINE} passwords per engine, from --url, DATABASE_URL, .env and the config file`, async () => {
    const started = Date.now();
    const plan = fixtures.flatMap((f, n) => {
      const rnd = prng(SEED + 100 + n);
      return Array.from({ length: SPAWNED_PER_ENGINE }, (_, i) => {
        const password = i < ISSUE_PASSWORDS.length ? ISSUE_PASSWORDS[i]! : generatePassword(rnd);
        // Paths that need no role password: the runs go in parallel, the role's password cannot change under them.
        const scenario = [SCENARIOS[2]!, SCENARIOS[5]!, SCENARIOS[7]!][i % 3]!;
        const lane = f.lanes[i % f.lanes.length]!;
        const c: Case = { password, lane, user: lane, scenario, mode: MODES[Math.floor(i / 3) % 3]!, raw: !rawDecodes(password) && i % 2 === 0 };
        return { f, c, source: SOURCES[Math.floor(i / 9) % SOURCES.length]! };
      });
    });
    // Neutral runs of the binary, by source: also held to the in-process baselines below.
    const results = await pool(
      plan.map(({ f, c, source }) => async () => {
        const g = given(source, argsOf(f, c, c.password, c.user));
        return { f, c, source, got: await spawned(g.args, g.env, g.cwd) };
      }),
      3,
    );
    for (const { f, c, source, got } of results) {
      const neutral = await baseline(f, c);
      // Where the URL came from is named in some messages: the same words otherwise.
      const sourceName = /\((from )?(--url|DATABASE_URL|\.env|config file)\)/g;
      const viaSource = (o: Output) => ({ ...o, stdout: o.stdout.replace(sourceName, '($1--url)'), stderr: o.stderr.replace(sourceName, '($1--url)') });
      check(f, { ...c, scenario: { ...c.scenario, name: `${c.scenario.name} (${source}, binary)` } }, viaSource(got), neutral);
    }
    expect(results).toHaveLength(2 * SPAWNED_PER_ENGINE);
    console.log(`password property: ${results.length} runs of the binary in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);

  it('init: --password and DBKIT_PASSWORD are scrubbed, and the .env it writes connects', async () => {
    const rnd = prng(SEED + 200);
    const passwords = ['p@ss word', 'say "hi"', '🔑key🔑', 'a/b?c#d', 'x', generatePassword(rnd)];
    // The two engines side by side.
    await Promise.all(fixtures.map(async (f) => {
      const base = f.base(f.db);
      const role = f.initRole;
      const flags = ['init', '--engine', f.engine, '--host', base.host, '--port', String(base.port), '--user', role, '--database', f.db, '--json'];
      const init = async (password: string, byFlag: boolean) => {
        await f.setPassword(role, password);
        const cwd = tmp();
        const env = { DATABASE_URL: undefined, DBKIT_PASSWORD: byFlag ? undefined : password };
        return { cwd, out: await spawned(byFlag ? [...flags, '--password', password] : flags, env, cwd) };
      };
      const neutralRuns = [await init(NEUTRAL, false), await init(NEUTRAL, true)];
      // The role's name is shown, unless it holds the password (then `****` where the neutral run shows it).
      const named = (o: Output, password: string): Output => (holds(role, password) ? { ...o, stdout: o.stdout.replaceAll(role, '****'), stderr: o.stderr.replaceAll(role, '****') } : o);
      const neutral = neutralRuns.map((n) => n.out);
      const neutralStatus = await spawned(['status', '--json'], { DATABASE_URL: undefined }, neutralRuns[0]!.cwd);
      for (const [i, password] of passwords.entries()) {
        const byFlag = i % 2 === 1;
        const { cwd, out } = await init(password, byFlag);
        const what = `${f.engine} init ${byFlag ? '--password' : 'DBKIT_PASSWORD'} ${JSON.stringify(password)} (seed ${SEED})`;
        const n = named(neutral[byFlag ? 1 : 0]!, password);
        expect(out.code, `${what}: ${out.stderr}`).toBe(0);
        expect(leaks(out.stdout + out.stderr, n.stdout + n.stderr, password), what).toEqual([]);
        expect({ stdout: out.stdout, stderr: out.stderr }, what).toEqual({ stdout: n.stdout, stderr: n.stderr });
        // The .env holds the password percent-encoded, and a plain `status` in that directory connects with it.
        expect(percentDecode(fs.readFileSync(path.join(cwd, '.env'), 'utf8'))).toContain(`:${password}@`);
        const status = await spawned(['status', '--json'], { DATABASE_URL: undefined }, cwd);
        expect(status.code, `${what}: status with the written .env: ${status.stderr}`).toBe(0);
        expect(leaks(status.stdout + status.stderr, neutralStatus.stdout + neutralStatus.stderr, password), what).toEqual([]);
      }
    }));
  }, 600_000);
});
