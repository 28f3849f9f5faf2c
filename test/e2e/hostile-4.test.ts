/**
 * Hostile cases found by the review of issue 20's hardening, through the
 * real binary; each failed before (a hang, a leak, a wrong exit code, a
 * wrong directory) and each run here is bounded (killed after its bound, the
 * test fails instead of stalling):
 * - `--config` of a file that is no config file (a password file) was run as
 *   JavaScript and its text came back in the error; a .js config's error
 *   named what it read; a directory named dbkit.config.json read as "the end
 *   of the file";
 * - a FIFO at a document of `docs --out`, at `.env` (even with --url), at
 *   dbkit.config.json or at a targets file hung for ever;
 * - `pglite: ` made a directory named " ", `pglite://tmp/x` made ./tmp/x,
 *   `pglite:MEMORY` a directory MEMORY, `pglite:/proc/x` gave Node's raw ENOENT;
 * - the PGlite lock file took any live Node.js process for its holder;
 * - `seed --truncate` blocked by another table's foreign key did not say
 *   which (PostgreSQL), or emptied the referenced table anyway (MariaDB:
 *   foreign-key checks off); a masked URL ran into the error after it (`?password=**** password ...`);
 * - `--lock-timeout 0x10`, `1e3` and the like were read as numbers.
 * (Seed's lock waits: test/e2e/seed-lock-waits.test.ts.)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireFileLock } from '../../dialects/pglite/file-lock.js';
import { dbkit, dbkitKilledAfter, json, type CliOptions, type CliResult } from '../support/cli.js';
import { adminQuery, freshMysql, freshPglite, freshPostgres, pgAdminUrl, type FreshDatabase } from '../support/databases.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-hostile4-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

async function bounded(args: string[], opts: CliOptions = {}, ms = 20_000): Promise<CliResult> {
  const r = await dbkitKilledAfter(args, ms, opts);
  expect(r.killed, `dbkit ${args.join(' ')} still running after ${ms / 1000}s: ${r.stderr}`).toBe(false);
  return r;
}

const errorLine = (r: CliResult): string => r.stderr.trim().split('\n').filter((l) => l.startsWith('dbkit: ')).pop() ?? '';

const mkfifo = (file: string) => {
  const r = spawn('mkfifo', [file]);
  return new Promise<void>((resolve, reject) => r.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mkfifo ${file}: ${code}`)))));
};

describe('--config and the config file', () => {
  const PASSWORD = 'S3cr3tPassw0rd';

  it('a file whose name does not end in .ts, .js, .mjs or .json is never read: exit 2 naming the extensions, no piece of it printed (also --json, --verbose)', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'db_password'), `${PASSWORD}\n`);
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const r = await bounded(['status', '--config', 'db_password', ...extra], { cwd });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('S3cr3t');
      expect(errorLine(r)).toBe("dbkit: --config db_password: a config file's name ends in .ts, .js, .mjs, .json (dbkit.config.ts); it was not read");
    }
    expect(json<{ error: { exitCode: number } }>(await bounded(['status', '--config', 'db_password', '--json'], { cwd })).error.exitCode).toBe(2);
  });

  it('a .js or .ts config that throws: line, column and kind, never a name or value from the file (also --verbose)', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'bare.js'), `${PASSWORD}\n`);
    fs.writeFileSync(path.join(cwd, 'bare.ts'), `${PASSWORD}\n`);
    fs.writeFileSync(path.join(cwd, 'thrown.mjs'), `const config = { password: '${PASSWORD}' };\nthrow new Error('cannot use ' + config.password);\n`);
    for (const [file, where] of [['bare.js', 'line 1, column 1: '], ['bare.ts', ''], ['thrown.mjs', 'line 2, column 7: ']]) {
      for (const extra of [[], ['--verbose']]) {
        const r = await bounded(['status', '--config', file!, ...extra], { cwd });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout + r.stderr, `${file} ${extra.join(' ')}`).not.toContain('S3cr3t');
        expect(errorLine(r)).toMatch(new RegExp(`^dbkit: cannot read config file ${file!.replace('.', '\\.')}: ${where}`));
      }
    }
    const bare = await bounded(['status', '--config', 'bare.js'], { cwd });
    expect(errorLine(bare)).toBe("dbkit: cannot read config file bare.js: line 1, column 1: ReferenceError: a name used in the file is not defined (the file's text is not shown, it may hold a password)");
    expect(errorLine(await bounded(['status', '--config', 'thrown.mjs'], { cwd }))).toBe('dbkit: cannot read config file thrown.mjs: line 2, column 7: cannot use ****');
    // A quoted value under no password-like key: masked in the error all the same.
    fs.writeFileSync(path.join(cwd, 'literal.js'), `const x = 'Hunter22x';\nthrow new Error('cannot use ' + x);\n`);
    const literal = await bounded(['status', '--config', 'literal.js'], { cwd });
    expect(errorLine(literal)).toBe('dbkit: cannot read config file literal.js: line 2, column 7: cannot use ****');
    expect(literal.stdout + literal.stderr).not.toContain('Hunter22x');
  });

  it('a directory or a FIFO named dbkit.config.json: exit 2 saying what it is', async () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'dbkit.config.json'));
    const r = await bounded(['status', '--url', 'pglite:memory'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe('dbkit: dbkit.config.json is a directory, not a regular file: a config file must be a regular file; remove or rename it');
    const fifo = tmp();
    await mkfifo(path.join(fifo, 'dbkit.config.json'));
    for (const args of [['status', '--url', 'pglite:memory'], ['status', '--config', 'dbkit.config.json', '--url', 'pglite:memory']]) {
      const f = await bounded(args, { cwd: fifo });
      expect(f.code, f.stderr).toBe(2);
      expect(errorLine(f)).toMatch(/dbkit\.config\.json is a FIFO \(named pipe\), not a regular file: a config file must be a regular file/);
    }
  });
});

describe('FIFOs are never opened', () => {
  it('docs: a FIFO at a document of --out (given or the default docs/schema) is exit 2 naming it, nothing written', async () => {
    const cwd = tmp();
    fs.mkdirSync(path.join(cwd, 'd'));
    await mkfifo(path.join(cwd, 'd', 'agents.md'));
    fs.mkdirSync(path.join(cwd, 'docs', 'schema'), { recursive: true });
    await mkfifo(path.join(cwd, 'docs', 'schema', 'chat.md'));
    for (const [args, file] of [[['docs', '--out', 'd'], 'd/agents.md'], [['docs', '--out', 'd', '--check'], 'd/agents.md'], [['docs'], 'docs/schema/chat.md']] as const) {
      const r = await bounded([...args], { cwd });
      expect(r.code, r.stderr).toBe(2);
      expect(errorLine(r)).toBe(`dbkit: --out: ${path.join(cwd, file)} is a FIFO (named pipe), not a regular file: dbkit writes a document only as a regular file; remove it or give another --out`);
    }
    // Checked before the first document is written: agents.md of docs/schema is not there either.
    expect(fs.readdirSync(path.join(cwd, 'docs', 'schema'))).toEqual(['chat.md']);
    expect(fs.readdirSync(path.join(cwd, 'd'))).toEqual(['agents.md']);
    expect(fs.statSync(path.join(cwd, 'd', 'agents.md')).isFIFO()).toBe(true);
  });

  it('.env: with --url it is not needed (exit 0); without, it is exit 2 naming it', async () => {
    const cwd = tmp();
    await mkfifo(path.join(cwd, '.env'));
    const withUrl = await bounded(['status', '--url', 'pglite:memory'], { cwd });
    expect(withUrl.code, withUrl.stderr).toBe(0);
    const without = await bounded(['status'], { cwd });
    expect(without.code, without.stderr).toBe(2);
    expect(errorLine(without)).toBe('dbkit: .env is a FIFO (named pipe), not a regular file: dbkit reads .env only as a regular file; remove it, or pass --url');
  });

  it('a targets file that is a FIFO: exit 2 naming it', async () => {
    const cwd = tmp();
    await mkfifo(path.join(cwd, 'targets.yaml'));
    const r = await bounded(['status', '--targets', 'targets.yaml'], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe('dbkit: targets file targets.yaml is a FIFO (named pipe), not a regular file: give a JSON or YAML file');
  });
});

describe('pglite: URLs', () => {
  it.each([
    ['pglite: ', /"pglite: ": a pglite URL needs a directory or "memory" after "pglite:"/],
    ['pglite: x', /"pglite: x": the directory of a pglite URL begins or ends with a space/],
    ['pglite://tmp/x', /"pglite:\/\/tmp\/x": a pglite URL takes a path, not \/\/: write pglite:\/tmp\/x for an absolute directory or pglite:\.\/tmp\/x for one under the working directory/],
  ])('%j is exit 2 and makes nothing', async (url, message) => {
    const cwd = tmp();
    const r = await bounded(['migrate', '--url', url], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toMatch(message);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('pglite:MEMORY is the in-memory database, in any casing: no directory made', async () => {
    const cwd = tmp();
    for (const url of ['pglite:MEMORY', 'pglite:Memory']) {
      const r = await bounded(['migrate', '--url', url], { cwd }, 60_000);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('pglite:/proc/x: one line saying the directory cannot be made there and why (exit 3)', async () => {
    const r = await bounded(['status', '--url', 'pglite:/proc/dbkit-x']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(errorLine(r)).toBe(
      'dbkit: cannot open the embedded database pglite:/proc/dbkit-x: its directory /proc/dbkit-x and lock file cannot be made in /proc: the file system there takes no new files or directories (ENOENT); give a directory dbkit can create and write in',
    );
  });
});

describe('the PGlite lock file records its holder’s start time', () => {
  /** Field 22 of /proc/<pid>/stat, as the lock file records it: ticks after boot. */
  const ticks = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
  /** The format: the pid, a newline, each digit d of the start time as U+2000 + d (whitespace Number() skips). */
  const withStart = (pid: number, start: string) => `${pid}\n${[...start].map((d) => String.fromCharCode(0x2000 + Number(d))).join('')}`;

  it('dbkit writes the pid first (an older dbkit reads it with Number(text.trim())) and its own start time', async () => {
    const file = path.join(tmp(), 'db.lock');
    const lock = await acquireFileLock(file, 1000);
    try {
      const text = fs.readFileSync(file, 'utf8');
      expect(Number(text.trim())).toBe(process.pid);
      expect(text).toBe(withStart(process.pid, ticks(process.pid)));
    } finally {
      await lock!.release();
    }
  });

  it.each([
    ['a start time that is not the process’s: taken over', (pid: number) => withStart(pid, String(Number(ticks(pid)) + 1)), 0],
    ['its exact start time: the holder (exit 4)', (pid: number) => withStart(pid, ticks(pid)), 4],
    ['the pid alone (an older dbkit’s file), of a Node.js process started before it: the older rule, the holder (exit 4)', (pid: number) => String(pid), 4],
  ] as const)('a live Node.js process (node -e setTimeout) named with %s', async (_what, text, code) => {
    const db = await freshPglite('h4_lock');
    dbs.push(db);
    fs.mkdirSync(path.dirname(db.name), { recursive: true });
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      fs.writeFileSync(`${db.name}.lock`, text(child.pid!));
      const r = await bounded(['status', '--url', db.url, '--lock-timeout', '1'], {}, 60_000);
      expect(r.code, r.stderr).toBe(code);
      if (code === 4) expect(errorLine(r)).toMatch(new RegExp(`is in use by another dbkit process \\(pid ${child.pid}\\); gave up after 1s`));
      else expect(fs.existsSync(`${db.name}.lock`)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});

describe('errors that say why', () => {
  it('seed --truncate refused by a foreign key of another table: the line names that table (the server’s DETAIL), exit 5, nothing emptied', async () => {
    const db = await freshPostgres('h4_truncate_fk');
    dbs.push(db);
    expect((await dbkit(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
    expect((await dbkit(['seed', '--url', db.url, '--users', '3', '--quiet'])).code).toBe(0);
    await adminQuery(db.url, 'CREATE TABLE audit (id serial PRIMARY KEY, user_id uuid REFERENCES users (id))');
    const r = await bounded(['seed', '--url', db.url, '--users', '3', '--truncate', '--yes'], {}, 60_000);
    expect(r.code, r.stderr).toBe(5);
    expect(errorLine(r)).toMatch(/^dbkit: seeding failed: cannot truncate a table referenced in a foreign key constraint; detail: Table "audit" references "users"\.; hint: .*\(SQLSTATE 0A000\); statement: TRUNCATE .*; nothing was written$/);
    expect(Number((await adminQuery<{ n: string }>(db.url, 'SELECT count(*) AS n FROM users'))[0]!.n)).toBe(3);
  }, 120_000);

  it('MariaDB: seed --truncate is refused the same way (it emptied users with foreign-key checks off, and the other table’s row pointed at a new user)', async () => {
    const db = await freshMysql('h4_truncate_fk');
    dbs.push(db);
    expect((await dbkit(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
    expect((await dbkit(['seed', '--url', db.url, '--users', '3', '--quiet'])).code).toBe(0);
    await adminQuery(db.url, 'CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT, CONSTRAINT audit_user FOREIGN KEY (user_id) REFERENCES users (id))');
    await adminQuery(db.url, 'INSERT INTO audit (user_id) SELECT MIN(id) FROM users');
    const before = await adminQuery(db.url, 'SELECT u.username FROM audit a JOIN users u ON u.id = a.user_id');
    const r = await bounded(['seed', '--url', db.url, '--users', '3', '--truncate', '--yes'], {}, 60_000);
    expect(r.code, r.stderr).toBe(5);
    expect(errorLine(r)).toMatch(/^dbkit: cannot truncate a table referenced in a foreign key constraint: audit references users \(foreign key audit_user\); --truncate empties only the schema's tables .*; nothing was written$/);
    expect(await adminQuery(db.url, 'SELECT u.username FROM audit a JOIN users u ON u.id = a.user_id')).toEqual(before);
  }, 120_000);

  it("a connection error after a URL with ?password=: ': ' between the masked URL and the server's words", async () => {
    const u = new URL(pgAdminUrl());
    const url = `postgres://${u.username}@${u.host}/postgres?password=Wrong-Pw-4417`;
    const r = await bounded(['status', '--url', url]);
    expect(r.code, r.stderr).toBe(3);
    expect(errorLine(r)).toBe(`dbkit: cannot connect to postgres://${u.username}@${u.host}/postgres?password=****: password authentication failed for user "${u.username}" (28P01)`);
    const j = await bounded(['status', '--url', url, '--json']);
    expect(json<{ error: { message: string } }>(j).error.message).toContain('?password=****: password authentication failed');
  });
});

describe('seconds are plain decimal digits', () => {
  it.each([
    ['--lock-timeout', ['status', '--url', 'pglite:memory', '--lock-timeout']],
    ['--timeout', ['wait', '--url', 'pglite:memory', '--timeout']],
    ['--statement-timeout', ['migrate', '--url', 'pglite:memory', '--statement-timeout']],
    ['--ddl-lock-timeout', ['migrate', '--url', 'pglite:memory', '--ddl-lock-timeout']],
  ])('%s: 0x10, 1e3, Infinity, " 5" and -1 are exit 2; 5, 0.5 and 5.5 are taken', async (flag, args) => {
    for (const bad of ['0x10', '1e3', 'Infinity', ' 5', '-1', '.5', '5.']) {
      const r = await bounded([...args, bad]);
      expect(r.code, `${flag} ${bad}: ${r.stderr}`).toBe(2);
      expect(errorLine(r)).toContain(`${flag} must be a number of seconds`);
    }
    for (const good of ['5', '0.5', '5.5']) {
      const r = await bounded([...args, good, ...(args[0] === 'migrate' ? ['--dry-run'] : [])], {}, 60_000);
      // On a busy machine the embedded database may take longer than half a second to open: `wait`
      // then gives up, saying the bound it was given (exit 3), which shows the value was taken too.
      if (flag === '--timeout' && r.code === 3) expect(r.stderr).toMatch(new RegExp(`did not accept connections within ${good.replace('.', '\\.')}s`));
      else expect(r.code, `${flag} ${good}: ${r.stderr}`).toBe(0);
    }
  }, 180_000);

  it('DBKIT_LEASE_TTL=1e3 and a config file lockTimeout written as a string are exit 2', async () => {
    const r = await bounded(['status', '--url', 'pglite:memory'], { env: { DBKIT_LEASE_TTL: '1e3' } });
    expect(r.code, r.stderr).toBe(2);
    expect(errorLine(r)).toBe('dbkit: DBKIT_LEASE_TTL must be a number of seconds (digits, optionally a fraction: 5 or 0.5), got "1e3"');
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ lockTimeout: '0x10' }));
    const c = await bounded(['status', '--url', 'pglite:memory'], { cwd });
    expect(c.code, c.stderr).toBe(2);
    expect(errorLine(c)).toBe('dbkit: config file dbkit.config.json: "lockTimeout" must be a number');
  });
});
