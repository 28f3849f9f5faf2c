/**
 * The config file's `directUrl` (issue 13), through the real binary on
 * PostgreSQL: migrations and rollback connect to it (a second role, so the
 * tables' owner shows which connection made them) while `status` reads
 * through `url`; `--direct-url` beats `DBKIT_DIRECT_URL`, which beats the
 * file; a direct URL of another engine is a usage error; neither password
 * is ever printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbkit, json } from '../support/cli.js';
import { adminQuery, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { freePort } from '../support/servers.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-direct-url-');
const PASSWORD = 'Direct-Pw-4417';
let db: FreshDatabase;
let role: string;
let direct: string;
let closed: string;

beforeAll(async () => {
  db = await freshPostgres('direct_cfg');
  role = `${db.name}_mig`;
  await adminQuery(db.url, `CREATE ROLE "${role}" LOGIN PASSWORD '${PASSWORD}'`);
  await adminQuery(db.url, `GRANT CONNECT, CREATE ON DATABASE "${db.name}" TO "${role}"`);
  await adminQuery(db.url, `GRANT USAGE, CREATE ON SCHEMA public TO "${role}"`);
  const u = new URL(db.url);
  u.username = role;
  u.password = PASSWORD;
  direct = u.toString();
  u.port = String(await freePort()); // nothing listens there
  closed = u.toString();
}, 120_000);

afterAll(async () => {
  await db?.drop();
  await adminQuery(new URL('/postgres', db.url).toString(), `DROP ROLE IF EXISTS "${role}"`).catch(() => undefined);
});

/** A working directory whose dbkit.config.json names `url` and `directUrl`. */
function project(directUrl: string): string {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'dbkit.config.json'), JSON.stringify({ url: db.url, schema: 'chat', directUrl }));
  return dir;
}

const owners = async (): Promise<string[]> =>
  (await adminQuery<{ o: string }>(db.url, "SELECT DISTINCT tableowner AS o FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'conversations', 'messages', 'api_calls')")).map(
    (r) => r.o,
  );

const noSecrets = (out: string) => {
  expect(out).not.toContain(PASSWORD);
  expect(out).not.toContain(new URL(db.url).password);
};

describe('config directUrl', () => {
  it('migrate and rollback go to directUrl, status reads through url; no password printed', async () => {
    const cwd = project(direct);
    const up = await dbkit(['migrate', '--json', '--verbose'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/migrations connect directly to postgres(ql)?:\/\/[^:@/]+:\*\*\*\*@127\.0\.0\.1:\d+\//);
    noSecrets(up.stdout + up.stderr);
    expect(await owners()).toEqual([role]);

    const status = await dbkit(['status', '--json'], { cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(json<{ counts: Record<string, number> }>(status).counts).toEqual({ applied: 5, pending: 0, changed: 0, missing: 0 });

    const back = await dbkit(['rollback', '--steps', '1', '--yes', '--json'], { cwd });
    expect(back.code, back.stderr).toBe(0);
    expect(await owners()).toEqual([role]);
    expect((await adminQuery(db.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'api_calls'")).length).toBe(0);
  }, 300_000);

  it('--direct-url beats DBKIT_DIRECT_URL, which beats the file; the one chosen is the one used', async () => {
    const cwd = project(closed);
    // status never uses the direct URL: the unreachable one in the file does not matter to it.
    expect((await dbkit(['status'], { cwd })).code).toBe(0);
    const viaFile = await dbkit(['migrate'], { cwd });
    expect(viaFile.code, viaFile.stderr).toBe(3);
    noSecrets(viaFile.stdout + viaFile.stderr);
    const viaEnv = await dbkit(['migrate', '--json'], { cwd, env: { DBKIT_DIRECT_URL: direct } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    const flagOverEnv = await dbkit(['rollback', '--steps', '1', '--yes', '--direct-url', direct], { cwd, env: { DBKIT_DIRECT_URL: closed } });
    expect(flagOverEnv.code, flagOverEnv.stderr).toBe(0);
    noSecrets(viaEnv.stdout + viaEnv.stderr + flagOverEnv.stdout + flagOverEnv.stderr);
  }, 300_000);

  it('a directUrl of another engine is a usage error (exit 2) naming both, masked', async () => {
    const cwd = project(`mysql://${role}:${PASSWORD}@127.0.0.1:3306/x`);
    const r = await dbkit(['migrate'], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^dbkit: --direct-url mysql:\/\/[^:@/]+:\*\*\*\*@127\.0\.0\.1:3306\/x must be a postgres URL like the database URL postgres(ql)?:\/\/[^:@/]+:\*\*\*\*@/);
    noSecrets(r.stdout + r.stderr);
  }, 120_000);
});
