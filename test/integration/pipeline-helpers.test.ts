/**
 * `dbkit wait` and `dbkit unlock` on real servers: wait returns once a
 * server comes up on its port (here a TCP proxy to MariaDB that opens after
 * dbkit's first failed attempt), gives up with exit 3 after --timeout, and
 * fails at once on a wrong password; unlock clears a Knex lock row left set,
 * and says so. Nothing here depends on how fast the machine is: the order
 * of events is forced, and what is asserted is what dbkit says.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, dbkit, json, repoRoot, type CliResult } from '../support/cli.js';
import { adminExec, adminQuery, freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { freePort, TEST_PASSWORD } from '../support/servers.js';

const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A TCP proxy on `port` to the server of `url`, opened when called. */
async function proxy(port: number, url: string): Promise<net.Server> {
  const target = new URL(url);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

const viaPort = (url: string, port: number) => Object.assign(new URL(url), { port: String(port) }).toString();

/** Run dbkit and call `when` once its stderr matches `pattern` (it runs with --verbose to say so). */
function dbkitWhen(args: string[], pattern: RegExp, when: () => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let called = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!called && pattern.test(stderr)) {
        called = true;
        when();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('dbkit wait', () => {
  it('returns once the server comes up, after failed attempts', async () => {
    const db = await freshMysql('wait');
    dbs.push(db);
    const port = await freePort();
    let server: Promise<net.Server> | undefined;
    try {
      // The server opens only once dbkit has said its first attempt failed.
      const r = await dbkitWhen(['wait', '--url', viaPort(db.url, port), '--timeout', '120', '--json', '--verbose'], /attempt 1: /, () => {
        server = proxy(port, db.url);
      });
      expect(r.code, r.stderr).toBe(0);
      const out = json<{ ready: boolean; seconds: number; attempts: number }>(r);
      expect(out.ready).toBe(true);
      expect(out.attempts).toBeGreaterThan(1);
      expect(out.seconds).toBeGreaterThan(0);
      expect(r.stdout + r.stderr).not.toContain(TEST_PASSWORD);
    } finally {
      (await server)?.close();
    }
  }, 180_000);

  it('exits 3 after --timeout when nothing answers, in one line without the password', async () => {
    const url = `postgres://app:${TEST_PASSWORD}@127.0.0.1:${await freePort()}/app`;
    const t0 = Date.now();
    const r = await dbkit(['wait', '--url', url, '--timeout', '1.5']);
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400); // a lower bound only: a busy machine is slower, never faster
    // On a busy machine the last attempt may not have been refused yet when the time is up: either is the truth.
    expect(r.stderr).toMatch(
      /^dbkit: postgres:\/\/app:\*\*\*\*@127\.0\.0\.1:\d+\/app did not accept connections within 1\.5s \(\d+ attempts?\); last: (.*ECONNREFUSED.*|the last attempt was still connecting)\n$/,
    );
    expect(r.stderr + r.stdout).not.toContain(TEST_PASSWORD);
  }, 60_000);

  it('keeps to --timeout even when a connection attempt hangs (a server that accepts and never answers)', async () => {
    const silent = net.createServer(() => undefined); // accepts, says nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const r = await dbkit(['wait', '--url', `postgres://app:${TEST_PASSWORD}@127.0.0.1:${port}/app`, '--timeout', '1']);
      expect(r.code).toBe(3);
      // Had it waited for the attempt's own 10 s connect timeout, the last word would be that timeout's error.
      expect(r.stderr).toMatch(/did not accept connections within 1s \(1 attempt\); last: the last attempt was still connecting\n$/);
      expect(r.stderr).not.toContain(TEST_PASSWORD);
    } finally {
      silent.close();
    }
  }, 60_000);

  it('fails at once on a wrong password (waiting would not fix it)', async () => {
    const db = await freshPostgres('wait_pw');
    dbs.push(db);
    const wrong = Object.assign(new URL(db.url), { password: 'not-the-password' }).toString();
    const r = await dbkit(['wait', '--url', wrong, '--timeout', '600']);
    expect(r.code).toBe(3);
    // The authentication error itself, not "did not accept connections within 600s".
    expect(r.stderr).toMatch(/^dbkit: cannot connect to .*password authentication failed/);
    expect(r.stderr).not.toContain('not-the-password');
  }, 120_000);
});

describe.each([
  ['postgres', freshPostgres],
  ['mysql', freshMysql],
] as const)('dbkit unlock on %s', (_engine, fresh) => {
  it('clears a lock row left set, and says when there was nothing to clear', async () => {
    const db = await fresh('unlock');
    dbs.push(db);
    expect((await dbkit(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
    await adminExec(db.url, 'UPDATE dbkit_migrations_lock SET is_locked = 1');
    const r = await dbkit(['unlock', '--url', db.url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ wasLocked: true, unlocked: true });
    expect(await adminQuery(db.url, 'SELECT is_locked FROM dbkit_migrations_lock')).toEqual([{ is_locked: 0 }]);
    const again = await dbkit(['unlock', '--url', db.url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to unlock');
  }, 180_000); // generous: a migrate and three commands on a machine that may be busy
});
