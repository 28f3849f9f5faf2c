/**
 * `dbkit init` (issue 6, acceptance 2): driven on a real pseudo-terminal with
 * answers typed at the prompts (the password hidden), and by flags with no
 * terminal; either way the written .env and config connect (`dbkit migrate`
 * then works with no flags). Files are never replaced without a yes or --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, dbkit, json, repoRoot } from '../support/cli.js';
import { freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { onPty } from '../support/pty.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-init-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

const parts = (url: string) => {
  const u = new URL(url);
  return { host: u.hostname, port: u.port, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1) };
};

describe('dbkit init', () => {
  it('on a terminal: asks, hides the password, tests the connection, writes files that connect; asks before replacing', async () => {
    const db = await freshPostgres('init_pty');
    dbs.push(db);
    const p = parts(db.url);
    const cwd = tmp();
    const run = await onPty(
      `${process.execPath} ${bin} init`,
      [
        { prompt: /Database engine/, keys: '\r' }, // postgres, the default
        { prompt: /Host/, keys: `${p.host}\r` },
        { prompt: /Port/, keys: `${p.port}\r` },
        { prompt: /User/, keys: `${p.user}\r` },
        { prompt: /Password/, keys: `${p.password}\r` },
        { prompt: /Database \(app\)|Database(?! engine)/, keys: `${p.database}\r` },
        { prompt: /Schema/, keys: '\r' }, // agents, the default for PostgreSQL
      ],
      { cwd, env: { NO_COLOR: '1', DATABASE_URL: '' } },
    );
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).not.toContain(p.password); // typed, but shown as *
    expect(run.screen).toContain('(connection tested)');
    expect(fs.readFileSync(path.join(cwd, '.env'), 'utf8')).toBe(`DATABASE_URL="${db.url.replace(/\/$/, '')}"\n`);
    expect(fs.statSync(path.join(cwd, '.env')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, 'dbkit.config.json'), 'utf8'))).toEqual({ schema: 'agents', lockTimeout: 60 });

    // The written files connect: no flags needed.
    const migrate = await dbkit(['migrate', '--json'], { cwd, env: { DATABASE_URL: undefined } });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(json<{ url: string; migrations: unknown[] }>(migrate).migrations).toHaveLength(7);

    // Another database: .env would change, so it asks; "no" keeps it.
    const again = await onPty(
      `${process.execPath} ${bin} init --engine postgres --host ${p.host} --port ${p.port} --user ${p.user} --database postgres --schema agents`,
      [
        { prompt: /Password/, keys: `${p.password}\r` },
        { prompt: /\.env exists and would change: replace it\?/, keys: 'n\r' },
      ],
      { cwd, env: { NO_COLOR: '1', DATABASE_URL: '' } },
    );
    expect(again.code, again.screen).toBe(0);
    expect(again.screen).toMatch(/\.env: kept/);
    expect(fs.readFileSync(path.join(cwd, '.env'), 'utf8')).toContain(`/${p.database}"`);
  }, 60_000);

  it.each([
    ['PostgreSQL', 'postgres', freshPostgres],
    ['MariaDB', 'mysql', freshMysql],
  ] as const)('by flags with no terminal on %s: writes files that connect; refuses to replace without --force', async (_name, engine, fresh) => {
    const db = await fresh('init_flags');
    dbs.push(db);
    const p = parts(db.url);
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, '.env'), 'OTHER=1\n');
    const flags = ['init', '--engine', engine, '--host', p.host, '--port', p.port, '--user', p.user, '--database', p.database, '--schema', 'chat'];
    const r = await dbkit([...flags, '--json'], { cwd, env: { DBKIT_PASSWORD: p.password } });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ engine, schema: 'chat', tested: true, files: { '.env': 'updated', 'dbkit.config.json': 'created' } });
    expect(r.stdout + r.stderr).not.toContain(p.password);
    expect(fs.readFileSync(path.join(cwd, '.env'), 'utf8')).toMatch(/^OTHER=1\nDATABASE_URL=".+"\n$/);
    const migrate = await dbkit(['migrate'], { cwd });
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/^chat on .*: applied \d+ migration\(s\)/);

    // A different database would change .env: refused without --force, and nothing is written.
    const before = fs.readFileSync(path.join(cwd, '.env'), 'utf8');
    const other = flags.map((f) => (f === p.database ? 'elsewhere' : f));
    const refused = await dbkit([...other, '--no-test'], { cwd, env: { DBKIT_PASSWORD: p.password } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^dbkit: \.env exists and would change: pass --force to replace it \(nothing was written\)\n$/);
    expect(fs.readFileSync(path.join(cwd, '.env'), 'utf8')).toBe(before);
    const forced = await dbkit([...other, '--no-test', '--force'], { cwd, env: { DBKIT_PASSWORD: p.password } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(cwd, '.env'), 'utf8')).toContain('/elsewhere"');
    // The next step as it is typed from here: this checkout's launcher (the directory is outside it).
    expect(forced.stdout).toContain(`next: ${path.join(repoRoot, 'dbkit')} migrate\n`);

    // A connection that fails writes nothing (exit 3), and never shows the password.
    const cwd2 = tmp();
    const bad = await dbkit([...flags], { cwd: cwd2, env: { DBKIT_PASSWORD: 'wrong-Passw0rd' } });
    expect(bad.code).toBe(3);
    expect(bad.stderr).not.toContain('wrong-Passw0rd');
    expect(fs.readdirSync(cwd2)).toEqual([]);
  }, 60_000);
});
