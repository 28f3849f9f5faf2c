/**
 * Issue 11, through the real binary, each case one that failed before it:
 * output failures (a full disk, a closed pipe), `init` in a read-only
 * directory, `wait --timeout 1000000000`, an empty DATABASE_URL, MySQL and
 * PostgreSQL over an IPv6 literal, sslmode (prefer against a server without
 * TLS connects; require says why it cannot, with no Node warning; a real TLS
 * session through a TLS front), and a `.ts` config that imports a sibling.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, dbkit, json, repoRoot } from '../support/cli.js';
import { freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { hasIpv6Loopback, pgTlsProxy, selfSignedCertificate, tcpProxy, type Certificate, type Proxy } from '../support/proxies.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-conn-');
const dbs: FreshDatabase[] = [];
let pg: FreshDatabase;
let my: FreshDatabase;

beforeAll(async () => {
  pg = await freshPostgres('conn');
  my = await freshMysql('conn');
  dbs.push(pg, my);
}, 60_000);
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** Run the binary with its own stdio (a file, a pipe closed at once) and collect stderr. */
function spawnWith(args: string[], stdout: 'pipe' | 'closed-pipe' | number, opts: { cwd?: string; uid?: number; gid?: number } = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', typeof stdout === 'number' ? stdout : 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid } : {}),
    });
    if (stdout === 'closed-pipe') child.stdout!.destroy(); // the reader is gone before dbkit writes a byte
    else child.stdout?.resume();
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

const withUrl = (url: string, change: (u: URL) => void): string => {
  const u = new URL(url);
  change(u);
  return u.toString();
};

describe('output that cannot be written', () => {
  it('a full disk (stdout is /dev/full): one line, exit 8, no stack', async () => {
    for (const args of [['sql'], ['sql', '--json'], ['status', '--url', pg.url]]) {
      const full = fs.openSync('/dev/full', 'w');
      try {
        const r = await spawnWith(args, full);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(8);
        expect(r.stderr).toMatch(/^dbkit: cannot write to stdout: no space left on the device \(ENOSPC\); its output is incomplete, the command itself finished \(exit 0\)\n$/);
      } finally {
        fs.closeSync(full);
      }
    }
  }, 60_000);

  it('a closed pipe (`dbkit sql | head -0`): quietly, exit 141 as a Unix tool killed by SIGPIPE', async () => {
    for (const args of [['sql'], ['sql', '--json'], ['help']]) {
      const r = await spawnWith(args, 'closed-pipe');
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(141);
      expect(r.stderr).toBe('');
    }
  }, 60_000);
});

describe('small cases', () => {
  it('init in a directory it cannot write: exit 2 naming the directory, nothing written', async () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o555);
    // root writes anywhere: run as nobody then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = await spawnWith(['init', '--engine', 'pglite', '--no-test'], 'pipe', { cwd: dir, ...asNobody });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`dbkit: cannot write in ${dir}: permission denied (EACCES); run dbkit init in a directory you can write (nothing was written)\n`);
    expect(fs.readdirSync(dir)).toEqual([]);
  }, 30_000);

  it('wait --timeout 1000000000 waits as long as asked: no timer overflow, no immediate exit 3', async () => {
    const r = await dbkit(['wait', '--url', pg.url, '--timeout', '1000000000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|overflow/i);
    expect(r.stdout).toMatch(/accepting connections/);
  }, 30_000);

  it('an empty DATABASE_URL (a CI secret that is not set) is a usage error, never the embedded database', async () => {
    const cwd = tmp();
    const r = await dbkit(['migrate'], { cwd, env: { DATABASE_URL: '' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dbkit: DATABASE_URL is empty/);
    expect(fs.existsSync(path.join(cwd, '.dbkit'))).toBe(false);
  }, 30_000);

  it('an error nothing catches (a config file that throws later): one scrubbed line and exit 5, not a raw stack', async () => {
    const cwd = tmp();
    fs.writeFileSync(
      path.join(cwd, 'dbkit.config.mjs'),
      `setTimeout(() => { throw new Error('late failure for postgres://app:Late-S3cret@db/app'); }, 0);\nawait new Promise((r) => setTimeout(r, 50));\nexport default { schema: 'chat' };\n`,
    );
    const r = await dbkit(['sql', '--dialect', 'mysql'], { cwd });
    expect(r.code).toBe(5);
    expect(r.stderr).toBe('dbkit: unexpected error: late failure for postgres://app:****@db/app\n');
    expect(r.stdout + r.stderr).not.toContain('Late-S3cret');
  }, 30_000);

  it('a .ts config that imports a sibling file', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'schema-choice.ts'), `export const schema: 'chat' | 'agents' = 'chat';\n`);
    fs.writeFileSync(path.join(cwd, 'dbkit.config.ts'), `import { schema } from './schema-choice';\nexport default { schema, lockTimeout: 5 };\n`);
    const r = await dbkit(['sql', '--dialect', 'mysql', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ dialect: 'mysql', schema: 'chat' });
  }, 30_000);
});

describe('IPv6 literals', () => {
  let v6: boolean;
  const proxies: Proxy[] = [];
  beforeAll(async () => {
    v6 = await hasIpv6Loopback();
  });
  afterAll(async () => {
    for (const p of proxies) await p.close();
  });

  it.each([['mysql'], ['postgres']] as const)('%s://user:password@[::1]:port/db connects (through a proxy on ::1)', async (engine) => {
    expect(v6, 'this machine has no IPv6 loopback (::1): the IPv6 test cannot run').toBe(true);
    const db = engine === 'mysql' ? my : pg;
    const u = new URL(db.url);
    const proxy = await tcpProxy('::1', { host: u.hostname, port: Number(u.port) });
    proxies.push(proxy);
    const url = withUrl(db.url, (x) => (x.host = `[::1]:${proxy.port}`));
    expect(url).toContain(`@[::1]:${proxy.port}/`);
    const r = await dbkit(['status', '--url', url, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ url: string }>(r).url).toBe(`${engine}://${new URL(db.url).username}:****@[::1]:${proxy.port}/${db.name}`);
  }, 30_000);
});

describe('TLS modes', () => {
  const withParam = (url: string, key: string, value: string) => withUrl(url, (u) => u.searchParams.set(key, value));

  it('sslmode=prefer connects to a server without TLS, as psql does; require says why not, with no Node warning', async () => {
    const prefer = await dbkit(['status', '--url', withParam(pg.url, 'sslmode', 'prefer')]);
    expect(prefer.code, prefer.stderr).toBe(0);
    expect(prefer.stderr).toBe('');
    const require = await dbkit(['status', '--url', withParam(pg.url, 'sslmode', 'require')]);
    expect(require.code).toBe(3);
    expect(require.stderr).toMatch(/^dbkit: cannot connect to postgres:\/\/postgres:\*\*\*\*@.*: the server does not offer TLS, and the URL requires it \(sslmode=require or stricter; sslmode=prefer connects without TLS to such a server\)\n$/);
    const wait = await dbkit(['wait', '--url', withParam(pg.url, 'sslmode', 'require'), '--timeout', '30']);
    expect(wait.code).toBe(3); // at once: waiting would not give the server TLS
    expect(wait.stderr).not.toMatch(/did not accept connections within/);
  }, 60_000);

  it('ssl-mode=PREFERRED connects to MariaDB without TLS; REQUIRED says why not', async () => {
    const prefer = await dbkit(['status', '--url', withParam(my.url, 'ssl-mode', 'PREFERRED')]);
    expect(prefer.code, prefer.stderr).toBe(0);
    const require = await dbkit(['status', '--url', withParam(my.url, 'ssl-mode', 'REQUIRED')]);
    expect(require.code).toBe(3);
    expect(require.stderr).toMatch(/the server does not offer TLS, and the URL requires it/);
  }, 60_000);

  describe('through a TLS front', () => {
    let cert: Certificate;
    let proxy: Proxy;
    beforeAll(async () => {
      cert = selfSignedCertificate();
      const u = new URL(pg.url);
      proxy = await pgTlsProxy({ host: u.hostname, port: Number(u.port) }, cert);
    });
    afterAll(async () => {
      await proxy?.close();
      if (cert) fs.rmSync(cert.dir, { recursive: true, force: true });
    });

    const via = (host: string, params: Record<string, string>) =>
      withUrl(pg.url, (u) => {
        u.host = `${host}:${proxy.port}`;
        for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      });

    it.each([
      ['require (certificate not checked)', '127.0.0.1', { sslmode: 'require' }],
      ['prefer (the server offers TLS: it is used)', '127.0.0.1', { sslmode: 'prefer' }],
      ['verify-ca with the CA (the name is not checked)', '127.0.0.1', { sslmode: 'verify-ca', sslrootcert: 'CERT' }],
      ['verify-full with the CA and the certificate name', 'localhost', { sslmode: 'verify-full', sslrootcert: 'CERT' }],
    ])('%s: connects over TLS', async (_what, host, params) => {
      const before = proxy.tlsSessions;
      const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'CERT' ? cert.certFile : v]));
      const r = await dbkit(['status', '--url', via(host, p), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(proxy.tlsSessions).toBeGreaterThan(before);
    }, 30_000);

    it.each([
      ['verify-full against an address the certificate does not name', '127.0.0.1', { sslmode: 'verify-full', sslrootcert: 'CERT' }, /ERR_TLS_CERT_ALTNAME_INVALID|does not match|not in the cert/],
      ['verify-ca without the CA (a self-signed certificate)', '127.0.0.1', { sslmode: 'verify-ca' }, /self-signed|DEPTH_ZERO_SELF_SIGNED_CERT/],
    ])('%s: exit 3, one line', async (_what, host, params, message) => {
      const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'CERT' ? cert.certFile : v]));
      const r = await dbkit(['status', '--url', via(host, p)]);
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }, 30_000);
  });
});
