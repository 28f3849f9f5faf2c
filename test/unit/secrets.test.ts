/**
 * The secret scrubber (src/shared/secrets.ts) and the URL splitter it relies
 * on: whole-token replacement that leaves other words alone, credential
 * contexts for short and common passwords, user names never printed.
 */
import { describe, expect, it } from 'vitest';
import { PUBLIC_WORDS, SecretSet, scrubDeep, withSecrets, currentSecrets, registerUrl } from '../../src/shared/secrets.js';
import { percentDecode, splitServerUrl } from '../../src/shared/url-parts.js';
import { parseServerUrl, pgConnection, mysqlConnection } from '../../src/config/url.js';
import { schemas } from '../../src/schema/registry.js';

const withUrl = (url: string) => {
  const s = new SecretSet();
  s.addUrl(url);
  return s;
};

describe('splitting a server URL', () => {
  it.each([
    ['postgres://u:p@ss@host/db', 'u:p@ss', 'host'],
    ['postgres://u:a b"c\'d@host:5432/db', 'u:a b"c\'d', 'host:5432'],
    ['mysql://u:p%40ss@[::1]:3306/db', 'u:p%40ss', '[::1]:3306'],
    ['postgres://u:p:q@host/db', 'u:p:q', 'host'],
    ['postgres://host/db', undefined, 'host'],
    ['postgres:///db?host=/tmp', undefined, ''],
  ])('%s: userinfo %s, host %s', (url, userinfo, hostport) => {
    const r = splitServerUrl(url);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.parts.userinfo).toBe(userinfo);
      expect(r.parts.hostport).toBe(hostport);
    }
  });

  it("refuses an '@' after a '/', '?' or '#' (a raw delimiter in the password), naming no part of it", () => {
    for (const url of ['postgres://u:a/b@host/db', 'postgres://u:a?b@host/db', 'postgres://u:a#b@host/db', 'postgres://h/db?x=a@b']) {
      expect(splitServerUrl(url)).toEqual({ ok: false, reason: 'ambiguous-at' });
      expect(() => parseServerUrl(url, '--url')).toThrowError(/percent-encode/);
      try {
        parseServerUrl(url);
      } catch (err) {
        expect((err as Error).message).not.toMatch(/a\/b|a\?b|a#b/);
        expect((err as { exitCode: number }).exitCode).toBe(2);
      }
    }
  });

  it('decodes percent escapes that are UTF-8 and keeps anything else as written', () => {
    expect(percentDecode('p%40ss%20w%C3%B6rd')).toBe('p@ss wörd');
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('a%zzb%E9')).toBe('a%zzb%E9');
    expect(percentDecode('%F0%9F%94%91')).toBe('🔑');
  });

  it('gives both drivers the decoded user and password, the host after the last @, and an IPv6 host without brackets', () => {
    const pg = pgConnection('postgres://us%65r:p@ss:w%25rd@[::1]:5433/my%20db');
    expect(pg).toMatchObject({ user: 'user', password: 'p@ss:w%rd', host: '::1', port: 5433, database: 'my db', ssl: false });
    expect(pg).not.toHaveProperty('connectionString');
    const my = mysqlConnection('mysql://root:a b%22c@[::1]:3307/chat');
    expect(my).toMatchObject({ user: 'root', password: 'a b"c', host: '::1', port: 3307, database: 'chat' });
  });

  it.each([
    ['postgres://u:p@h:99999/db', /the port is not a number from 1 to 65535$/],
    ['postgres://user:secret/db', /the port is not a number from 1 to 65535 \(if that was user:password, the URL lacks its '@host'\)$/],
    ['postgres://u:p@h1,h2/db', /several hosts/],
    ['mysql://u:p@::1/db', /IPv6 address must be written in brackets/],
    ['postgres://u:p@h/db?sslmode=maybe', /sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full/],
  ])('%s is a usage error', (url, message) => {
    expect(() => (url.includes('sslmode') ? pgConnection(url) : parseServerUrl(url))).toThrowError(message);
  });
});

describe('sslmode', () => {
  it('maps libpq modes to explicit TLS options', () => {
    expect(pgConnection('postgres://u@h/db').ssl).toBe(false);
    expect(pgConnection('postgres://u@h/db?sslmode=disable').ssl).toBe(false);
    expect(pgConnection('postgres://u@h/db?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(pgConnection('postgres://u@h/db?sslmode=verify-full').ssl).toMatchObject({ rejectUnauthorized: true });
    const ca = pgConnection('postgres://u@h/db?sslmode=verify-ca').ssl as { checkServerIdentity?: () => unknown };
    expect(typeof ca.checkServerIdentity).toBe('function');
    // allow: plain until a probe says otherwise; prefer: TLS unless the probe found none.
    expect(pgConnection('postgres://u@h2/db?sslmode=allow').ssl).toBe(false);
    expect(mysqlConnection('mysql://u@h/db?ssl-mode=REQUIRED').ssl).toMatchObject({ rejectUnauthorized: false, verifyIdentity: false });
    expect(mysqlConnection('mysql://u@h/db?ssl-mode=verify_identity').ssl).toMatchObject({ rejectUnauthorized: true, verifyIdentity: true });
    expect(mysqlConnection('mysql://u@h/db?sslmode=disable')).not.toHaveProperty('ssl');
    expect(() => mysqlConnection('mysql://u@h/db?ssl-mode=sometimes')).toThrowError(/ssl-mode must be one of DISABLED/);
  });
});

describe('scrubbing', () => {
  it('replaces a password as a whole token and leaves words that contain it alone', () => {
    const s = withUrl('postgres://app:test@db.example.com/qa_test');
    expect(s.scrub('database "qa_test" does not exist')).toBe('database "qa_test" does not exist');
    expect(s.scrub('the password test leaked, (test), test.')).toBe('the password **** leaked, (****), ****.');
    expect(s.scrub('testing attested test_x')).toBe('testing attested test_x');
  });

  it('masks a short password only as a credential, never inside ordinary text', () => {
    const s = withUrl('postgres://app:x@db/app');
    expect(s.scrub('.env exists; x marks the spot')).toBe('.env exists; x marks the spot');
    expect(s.scrub('echo postgres://app:x@db/app and app:x@db and password=x')).toBe(
      'echo postgres://app:****@db/app and app:****@db and password=****',
    );
  });

  it('masks a password equal to a word dbkit prints (postgres, the host, the database) only as a credential', () => {
    const s = withUrl('postgres://postgres:postgres@localhost:5432/postgres');
    expect(s.scrub('cannot connect to postgres://postgres:postgres@localhost:5432/postgres: engine postgres')).toBe(
      'cannot connect to postgres://****:****@localhost:5432/postgres: engine postgres',
    );
    const db = withUrl('mysql://u:inventory@h/inventory');
    expect(db.scrub("Unknown database 'inventory'")).toBe("Unknown database 'inventory'");
  });

  it('shows a user name (a DBA needs it to grant a privilege): in URLs, after user/role, as a MySQL account', () => {
    const s = withUrl('mysql://alice:S3cret-pw@db/chat');
    expect(s.scrub('cannot connect to mysql://alice:S3cret-pw@db/chat')).toBe('cannot connect to mysql://alice:****@db/chat');
    expect(s.scrub("Access denied for user 'alice'@'10.0.0.1' (using password: YES)")).toBe("Access denied for user 'alice'@'10.0.0.1' (using password: YES)");
    expect(s.scrub('role alice lacks SELECT on public.dbkit_migrations')).toBe('role alice lacks SELECT on public.dbkit_migrations');
  });

  it('masks a user name that holds its password, as a whole: in URLs, after user/role, as a MySQL account, JSON-escaped, as a word', () => {
    const s = withUrl('mysql://alice-S3cret-pw:S3cret-pw@db/chat');
    expect(s.scrub('cannot connect to mysql://alice-S3cret-pw:S3cret-pw@db/chat')).toBe('cannot connect to mysql://****:****@db/chat');
    expect(s.scrub("Access denied for user 'alice-S3cret-pw'@'10.0.0.1' (using password: YES)")).toBe("Access denied for user '****'@'10.0.0.1' (using password: YES)");
    expect(s.scrub('password authentication failed for user "alice-S3cret-pw"')).toBe('password authentication failed for user "****"');
    expect(s.scrub('{"message":"failed for user \\"alice-S3cret-pw\\""}')).toBe('{"message":"failed for user \\"****\\""}');
    expect(s.scrub('role alice-S3cret-pw lacks SELECT')).toBe('role **** lacks SELECT');
    expect(s.scrub('lock held by alice-S3cret-pw@10.0.0.7')).toBe('lock held by ****@10.0.0.7');
    expect(s.scrub('alice in wonderland')).toBe('alice in wonderland');
    // A short password inside a user name: the user name is masked where it stands as one.
    const short = withUrl('postgres://app:p@db/x');
    expect(short.scrub('cannot connect to postgres://app:p@db/x: role "app" does not exist')).toBe('cannot connect to postgres://****:****@db/x: role "****" does not exist');
  });

  it('a raw @ in the password: the user name is checked against the password, not against a guess at another split', () => {
    const s = withUrl('postgres://pw_reader:p@ss@db/app');
    expect(s.scrub('cannot connect to postgres://pw_reader:p@ss@db/app: password authentication failed for user "pw_reader"')).toBe(
      'cannot connect to postgres://pw_reader:****@db/app: password authentication failed for user "pw_reader"',
    );
  });

  it('a user name equal to the password is masked; any other user name of the same password is shown', () => {
    const same = withUrl('postgres://Tr0ub4dor:Tr0ub4dor@db/app');
    const other = withUrl('postgres://someone:Tr0ub4dor@db/app');
    for (const [s, user, shown] of [[same, 'Tr0ub4dor', '****'], [other, 'someone', 'someone']] as const) {
      expect(s.scrub(`cannot connect to postgres://${user}:Tr0ub4dor@db/app: role "${user}" does not exist`)).toBe(
        `cannot connect to postgres://${shown}:****@db/app: role "${shown}" does not exist`,
      );
    }
  });

  it('catches raw, percent-encoded, JSON-escaped and SQL-quoted forms', () => {
    const pw = `it's a "p@ss/w%rd" 🔑`;
    const s = withUrl(`postgres://u:${encodeURIComponent(pw)}@h/db`);
    for (const form of [pw, encodeURIComponent(pw), JSON.stringify(pw).slice(1, -1), pw.replace(/'/g, "''")]) {
      expect(s.scrub(`x ${form} y`)).toBe('x **** y');
    }
  });

  it('replaces a registered URL as written, even one too broken to parse', () => {
    const s = withUrl('postgres://u:se/cret@h/db');
    expect(s.scrub("error: unknown command 'postgres://u:se/cret@h/db'")).not.toContain('se/cret');
  });

  it('scrubs JSON documents before they are serialised (escapes stay intact)', () => {
    const s = withUrl('postgres://u:ab%22cd%5Cef@h/db');
    const doc = scrubDeep({ message: 'bad ab"cd\\ef here', list: ['ab"cd\\ef'], n: 3, dialect: 'u' }, s);
    expect(JSON.parse(JSON.stringify(doc))).toEqual({ message: 'bad **** here', list: ['****'], n: 3, dialect: 'u' });
  });

  it('scrubDeep returns a document with nothing to hide as it is, and copies a changed one in key order', () => {
    const s = withUrl('postgres://u:Deep-Secret-9@h/db');
    const clean = { a: [{ b: 'x', c: [1, 'y'] }], d: null, e: true };
    expect(scrubDeep(clean, s)).toBe(clean);
    const doc = JSON.parse('{"first":1,"Deep-Secret-9":"k","__proto__":"Deep-Secret-9","list":["a",{"z":"Deep-Secret-9"}],"last":"ok"}');
    const out = scrubDeep(doc, s);
    expect(JSON.stringify(out)).toBe('{"first":1,"****":"k","__proto__":"****","list":["a",{"z":"****"}],"last":"ok"}');
    expect(JSON.stringify(doc)).toContain('Deep-Secret-9'); // the input is not changed
    expect(out.list[0]).toBe('a');
  });

  it('a string scrubbed before a secret was registered is scrubbed again after (no stale memo)', () => {
    const s = new SecretSet();
    expect(s.scrub('late-secret-77')).toBe('late-secret-77');
    s.addPassword('late-secret-77');
    expect(s.scrub('late-secret-77')).toBe('****');
    expect(s.scrub('late-secret-77')).toBe('****');
    const long = `${'x '.repeat(100)}late-secret-77`;
    expect(s.scrub(long)).toBe(`${'x '.repeat(100)}****`);
  });

  it('keeps one set per run, shared through globalThis', async () => {
    const seen = await withSecrets(async (secrets) => {
      registerUrl('postgres://u:per-run-secret@h/db');
      await new Promise((r) => setTimeout(r, 1));
      return [currentSecrets() === secrets, secrets.scrub('per-run-secret')];
    });
    expect(seen).toEqual([true, '****']);
    expect(currentSecrets().scrub('per-run-secret')).toBe('per-run-secret');
  });

  it('keeps overlapping runs apart: each sees its own set across awaits, none leaks after', async () => {
    const one = async (n: number) =>
      withSecrets(async (secrets) => {
        registerUrl(`postgres://u:overlap-secret-${n}@h/db`);
        await new Promise((r) => setTimeout(r, 5 - n));
        const mine = currentSecrets() === secrets;
        await Promise.resolve();
        return [mine, currentSecrets().scrub(`overlap-secret-${n} overlap-secret-${(n + 1) % 3}`)];
      });
    const seen = await Promise.all([one(0), one(1), one(2)]);
    expect(seen).toEqual([0, 1, 2].map((n) => [true, `**** overlap-secret-${(n + 1) % 3}`]));
    expect(currentSecrets().scrub('overlap-secret-0 overlap-secret-1')).toBe('overlap-secret-0 overlap-secret-1');
  });

  it('lists every table name of both schemas as a word dbkit prints', () => {
    const tables = Object.values(schemas).flatMap((schema) => schema.tables.map((t) => t.name));
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) expect(PUBLIC_WORDS).toContain(t);
  });
});
