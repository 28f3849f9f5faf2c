/**
 * Hostile and mistaken input (issue 5, acceptance 5; issue 11), through the
 * real binary: each case exits with its documented code and says one clear
 * line (`dbkit: ...`) with no stack trace, and the password (or any piece of
 * it of 6 characters or more) appears in no output mode: plain, --json (one
 * error document on stdout) and --verbose (where a stack trace is allowed).
 * URLs are shown with user name and password masked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, type CliResult } from '../support/cli.js';
import { freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { freePort } from '../support/servers.js';
import { tempDirs } from '../support/tmp.js';

const SECRET = 'Hunter2-s3cret';
/** Raw in the URL: a space, quotes, an `@` and a `:` (the userinfo runs to the last `@`). */
const RAW_SECRET = `Hu nt"er'2@s3:cr3t`;
const SECRETS = [SECRET, RAW_SECRET, 'pa/ss-w0rd-x'];
const tmp = tempDirs('dbkit-hostile-');
const dbs: FreshDatabase[] = [];
let pg: FreshDatabase;
let my: FreshDatabase;
let closedPort = 0;

beforeAll(async () => {
  pg = await freshPostgres('hostile');
  my = await freshMysql('hostile');
  dbs.push(pg, my);
  expect((await dbkit(['migrate', '--url', pg.url, '--quiet'])).code).toBe(0);
  closedPort = await freePort();
}, 60_000);
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** The URL with the password replaced by SECRET (and optionally another database). */
const withSecret = (url: string, database?: string) => {
  const u = new URL(url);
  u.password = SECRET;
  if (database) u.pathname = `/${database}`;
  return u.toString();
};
/** The URL with `password` written into it raw, as a user might. */
const withRawPassword = (url: string, password: string, user?: string) => {
  const u = new URL(url);
  return `${u.protocol}//${user ?? u.username}:${password}@${u.host}${u.pathname}`;
};
const withDatabase = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();

interface Case {
  what: string;
  /** Arguments, and the working directory to run in (prepared by the case). */
  run(): { args: string[]; cwd?: string };
  code: number;
  message: RegExp;
}

const CASES: Case[] = [
  { what: 'unreachable host', run: () => ({ args: ['migrate', '--url', `postgres://app:${SECRET}@127.0.0.1:${closedPort}/app`] }), code: 3, message: /^cannot connect to postgres:\/\/app:\*\*\*\*@127\.0\.0\.1:\d+\/app: .*ECONNREFUSED/ },
  { what: 'unknown host', run: () => ({ args: ['migrate', '--url', `mysql://app:${SECRET}@no-such-host.invalid/app`] }), code: 3, message: /^cannot connect to mysql:\/\/app:\*\*\*\*@no-such-host\.invalid\/app: .*(ENOTFOUND|EAI_AGAIN)/ },
  { what: 'wrong password (PostgreSQL)', run: () => ({ args: ['migrate', '--url', withSecret(pg.url)] }), code: 3, message: /^cannot connect to postgres:\/\/postgres:\*\*\*\*@.*password authentication failed for user "postgres"/ },
  { what: 'wrong password (MariaDB)', run: () => ({ args: ['migrate', '--url', withSecret(my.url)] }), code: 3, message: /^cannot connect to mysql:\/\/dbkit:\*\*\*\*@.*Access denied for user 'dbkit'@/ },
  // Before issue 11 the raw `@` sent dbkit to the host "s3:cr3t@127.0.0.1" and printed the rest of the password.
  { what: 'wrong password with a raw space, quotes, @ and : (PostgreSQL)', run: () => ({ args: ['status', '--url', withRawPassword(pg.url, RAW_SECRET)] }), code: 3, message: /^cannot connect to postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/\w+: password authentication failed/ },
  { what: 'wrong password with a raw space, quotes, @ and : (MariaDB)', run: () => ({ args: ['status', '--url', withRawPassword(my.url, RAW_SECRET)] }), code: 3, message: /Access denied for user 'dbkit'@/ },
  { what: 'a user name equal to the password is masked', run: () => ({ args: ['status', '--url', withRawPassword(my.url, SECRET, SECRET)] }), code: 3, message: /^cannot connect to mysql:\/\/\*\*\*\*:\*\*\*\*@.*Access denied for user '\*\*\*\*'@/ },
  { what: 'a user name containing the password is masked as a whole', run: () => ({ args: ['status', '--url', withRawPassword(my.url, SECRET, `ops_${SECRET}_ro`)] }), code: 3, message: /^cannot connect to mysql:\/\/\*\*\*\*:\*\*\*\*@.*Access denied for user '\*\*\*\*'@/ },
  { what: 'a raw / in the password', run: () => ({ args: ['status', '--url', withRawPassword(pg.url, 'pa/ss-w0rd-x')] }), code: 2, message: /^not a valid database URL \(--url\): an '@' follows a '\/', '\?' or '#': percent-encode/ },
  { what: 'an empty --url (a CI variable that is not set)', run: () => ({ args: ['migrate', '--url', ''] }), code: 2, message: /^--url is empty/ },
  { what: 'help for a command that does not exist', run: () => ({ args: ['help', 'nosuch'] }), code: 2, message: /^unknown command 'nosuch' \(the commands: migrate, / },
  { what: 'missing database (PostgreSQL)', run: () => ({ args: ['status', '--url', withDatabase(pg.url, 'no_such_db')] }), code: 3, message: /database "no_such_db" does not exist/ },
  { what: 'missing database (MariaDB)', run: () => ({ args: ['status', '--url', withDatabase(my.url, 'no_such_db')] }), code: 3, message: /Unknown database 'no_such_db'/ },
  { what: 'malformed URL', run: () => ({ args: ['migrate', '--url', `postgres://app:${SECRET}@db:port/app`] }), code: 2, message: /^not a valid database URL \(--url\): the port is not a number from 1 to 65535$/ },
  { what: 'unknown scheme', run: () => ({ args: ['migrate', '--url', `oracle://app:${SECRET}@db/app`] }), code: 2, message: /^unsupported URL scheme "oracle" in oracle:\/\/app:\*\*\*\*@db\/app: use postgres:\/\// },
  { what: 'unknown schema', run: () => ({ args: ['migrate', '--url', pg.url, '--schema', 'billing'] }), code: 2, message: /^unknown schema "billing": use one of agents, chat$/ },
  { what: 'unknown flag', run: () => ({ args: ['migrate', '--url', withSecret(pg.url), '--frobnicate'] }), code: 2, message: /unknown option '--frobnicate'/ },
  {
    what: 'unwritable PGlite directory',
    run: () => {
      const file = path.join(tmp(), 'a-file');
      fs.writeFileSync(file, 'not a directory\n');
      return { args: ['migrate', '--url', `pglite:${file}/db`] };
    },
    code: 3,
    message: /^cannot open the embedded database pglite:.*a-file\/db: .*(EEXIST|ENOTDIR)/,
  },
  { what: 'rollback without --yes and no terminal', run: () => ({ args: ['rollback', '--url', pg.url] }), code: 2, message: /pass --yes to confirm \(no terminal to ask on\)/ },
  {
    what: 'config file with a JSON syntax error',
    run: () => {
      const cwd = tmp();
      fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), `{ "url": "postgres://app:${SECRET}@db/app", }\n`);
      return { args: ['status'], cwd };
    },
    code: 2,
    message: /^cannot read config file dbkit\.config\.json: /,
  },
  {
    what: 'config file with a TypeScript syntax error',
    run: () => {
      const cwd = tmp();
      fs.writeFileSync(path.join(cwd, 'dbkit.config.ts'), `export default { url: 'postgres://app:${SECRET}@db/app' as string, schema: ; };\n`);
      return { args: ['status'], cwd };
    },
    code: 2,
    message: /^cannot read config file dbkit\.config\.ts: line 1, column \d+: Unexpected ";"$/,
  },
];

/** No secret, raw or percent-encoded, nor any piece of one of 6 characters or more. */
function expectNoSecret(r: CliResult, what: string): void {
  const out = r.stdout + r.stderr;
  for (const secret of SECRETS) {
    for (const form of [secret, encodeURIComponent(secret)]) {
      for (let i = 0; i + 6 <= form.length; i++) expect(out, `${what}: ${form.slice(i, i + 6)}`).not.toContain(form.slice(i, i + 6));
    }
  }
}

describe('hostile and mistaken input, through the real binary', () => {
  it.each(CASES.map((c) => [c.what, c] as const))('%s', async (_what, c) => {
    const { args, cwd } = c.run();
    const opts = { cwd, env: { DATABASE_URL: undefined } };

    const plain = await dbkit(args, opts);
    expect(plain.code, plain.stderr).toBe(c.code);
    const lines = plain.stderr.split('\n').filter(Boolean);
    const errors = lines.filter((l) => l.startsWith('dbkit: '));
    expect(errors, plain.stderr).toHaveLength(1);
    expect(errors[0]!.slice('dbkit: '.length)).toMatch(c.message);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    expectNoSecret(plain, 'plain');

    const asJson = await dbkit([...args, '--json'], opts);
    expect(asJson.code).toBe(c.code);
    const doc = JSON.parse(asJson.stdout) as { error: { exitCode: number; message: string } };
    expect(doc.error.exitCode).toBe(c.code);
    expect(doc.error.message).toMatch(c.message);
    expectNoSecret(asJson, '--json');

    const verbose = await dbkit([...args, '--verbose'], opts);
    expect(verbose.code).toBe(c.code);
    expect(verbose.stderr).toMatch(/dbkit: /);
    expectNoSecret(verbose, '--verbose');
  }, 60_000);
});
