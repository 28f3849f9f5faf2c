/**
 * The CLI contract on the embedded default (PGlite), with no server at all:
 * migrate / status / rollback / dry runs / JSON shapes / exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbkit, json } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const workdir = tempDirs('dbkit-e2e-');

interface StatusJson {
  upToDate: boolean;
  counts: Record<string, number>;
  migrations: { name: string; state: string; batch: number | null }[];
  dialect: string;
  engine: string;
  schema: string;
}

describe('embedded default (PGlite in ./.dbkit/)', () => {
  it('migrate with no configuration, then status --check exits 0; round trip leaves nothing', async () => {
    const cwd = workdir();
    const first = await dbkit(['migrate'], { cwd });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('applied 7 migration(s)');
    expect(fs.existsSync(path.join(cwd, '.dbkit', 'pglite', 'PG_VERSION'))).toBe(true);
    expect(fs.readFileSync(path.join(cwd, '.dbkit', '.gitignore'), 'utf8')).toBe('*\n');

    const status = await dbkit(['status', '--check', '--json'], { cwd });
    expect(status.code).toBe(0);
    const s = json<StatusJson>(status);
    expect(s).toMatchObject({ upToDate: true, dialect: 'postgres', engine: 'pglite', schema: 'agents' });
    expect(s.counts).toEqual({ applied: 7, pending: 0, changed: 0, missing: 0 });

    const again = await dbkit(['migrate', '--json'], { cwd });
    expect(again.code).toBe(0);
    expect(json(again).migrations).toEqual([]);

    const noTty = await dbkit(['rollback', '--all'], { cwd });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    expect(noTty.stderr.trim().split('\n')).toHaveLength(1);

    const back = await dbkit(['rollback', '--all', '--yes', '--json'], { cwd });
    expect(back.code).toBe(0);
    expect(json<{ migrations: { name: string }[] }>(back).migrations.map((m) => m.name)[0]).toBe(
      '20250101000700_create_gallery',
    );
    const after = json<StatusJson>(await dbkit(['status', '--json'], { cwd }));
    expect(after.counts).toEqual({ applied: 0, pending: 7, changed: 0, missing: 0 });
    const check = await dbkit(['status', '--check'], { cwd });
    expect(check.code).toBe(1);

    expect((await dbkit(['migrate'], { cwd })).code).toBe(0);
    expect((await dbkit(['status', '--check'], { cwd })).code).toBe(0);
  }, 120_000);

  it('--dry-run prints the exact SQL and changes nothing; --to and --steps work', async () => {
    const cwd = workdir();
    const url = `pglite:${path.join(cwd, 'db')}`;
    const dry = await dbkit(['migrate', '--dry-run', '--url', url, '--schema', 'chat'], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('-- 20250201000000_prelude (up)');
    expect(dry.stdout).toContain(`CREATE TYPE "messages_role" AS ENUM ('user', 'assistant', 'system');`);
    const status = json<StatusJson>(await dbkit(['status', '--json', '--url', url, '--schema', 'chat'], { cwd }));
    expect(status.counts.pending).toBe(5);

    const to = await dbkit(['migrate', '--to', 'create_conversations', '--url', url, '--schema', 'chat', '--json'], { cwd });
    expect(to.code).toBe(0);
    expect(json<{ migrations: { name: string }[] }>(to).migrations.map((m) => m.name)).toEqual([
      '20250201000000_prelude',
      '20250201000100_create_users',
      '20250201000200_create_conversations',
    ]);
    const batches = json<StatusJson>(await dbkit(['status', '--json', '--url', url, '--schema', 'chat'], { cwd }));
    expect(batches.migrations.filter((m) => m.state === 'applied').map((m) => m.batch)).toEqual([1, 1, 1]);
    expect(fs.existsSync(path.join(cwd, '.gitignore'))).toBe(false); // a --url directory is the user's to place
    const rest = await dbkit(['migrate', '--url', url, '--schema', 'chat'], { cwd });
    expect(rest.code).toBe(0);

    const dryBack = await dbkit(['rollback', '--steps', '2', '--dry-run', '--url', url, '--schema', 'chat'], { cwd });
    expect(dryBack.code).toBe(0);
    expect(dryBack.stdout).toMatch(/-- 20250201000400_create_api_calls \(down\)\nDROP TABLE "api_calls";/);
    expect(dryBack.stdout).toContain('DROP TYPE "messages_role";');
    const back = await dbkit(['rollback', '--steps', '2', '--yes', '--url', url, '--schema', 'chat', '--json'], { cwd });
    expect(json<{ migrations: { name: string }[] }>(back).migrations.map((m) => m.name)).toEqual([
      '20250201000400_create_api_calls',
      '20250201000300_create_messages',
    ]);
    const s = json<StatusJson>(await dbkit(['status', '--json', '--url', url, '--schema', 'chat'], { cwd }));
    expect(s.counts).toEqual({ applied: 3, pending: 2, changed: 0, missing: 0 });
  }, 120_000);
});

describe('diff and check-indexes on PGlite', () => {
  it('a migrated embedded database diffs clean; a dropped index is drift', async () => {
    const cwd = workdir();
    const url = `pglite:${path.join(cwd, 'db')}`;
    for (const schema of ['agents', 'chat']) {
      expect((await dbkit(['migrate', '--url', url, '--schema', schema, '--namespace', schema], { cwd })).code).toBe(0);
      const d = await dbkit(['diff', '--url', url, '--schema', schema, '--namespace', schema, '--json'], { cwd });
      expect(json(d)).toMatchObject({ clean: true, changes: [], namespace: schema });
      expect(d.code).toBe(0);
      const ci = await dbkit(['check-indexes', '--url', url, '--schema', schema, '--namespace', schema], { cwd });
      expect(ci.code).toBe(0);
    }
    const rb = await dbkit(['rollback', '--steps', '1', '--yes', '--url', url, '--schema', 'chat', '--namespace', 'chat'], { cwd });
    expect(rb.code).toBe(0);
    const d = await dbkit(['diff', '--url', url, '--schema', 'chat', '--namespace', 'chat', '--json'], { cwd });
    expect(d.code).toBe(1);
    expect(json<{ changes: { kind: string; name: string }[] }>(d).changes).toEqual([
      expect.objectContaining({ kind: 'table_missing', name: 'api_calls' }),
    ]);
    expect(d.stderr).toMatch(/1 migration\(s\) of chat are pending/);
    const fix = await dbkit(['diff', '--sql', '--url', url, '--schema', 'chat', '--namespace', 'chat'], { cwd });
    expect(fix.stdout).toMatch(/^SET search_path TO "chat";$/m);
    expect(fix.stdout).toContain('CREATE TABLE "api_calls"');
  }, 120_000);
});

describe('exit codes and errors', () => {
  it('usage errors exit 2 with one line and no stack', async () => {
    const cwd = workdir();
    for (const args of [['migrate', '--url', 'oracle://x@y/z'], ['rollback', '--steps', 'x', '--yes'], ['bogus'], ['sql', '--dialect', 'sqlite']]) {
      const r = await dbkit(args, { cwd });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('cannot connect: exit 3, password masked in text, JSON and --verbose', async () => {
    const cwd = workdir();
    const url = 'postgres://app:Sup3rSecret@127.0.0.1:1/nowhere';
    for (const extra of [[], ['--json'], ['--verbose']]) {
      const r = await dbkit(['status', '--url', url, ...extra], { cwd });
      expect(r.code).toBe(3);
      expect(r.stderr + r.stdout).not.toContain('Sup3rSecret');
      expect(r.stderr).toContain('postgres://app:****@127.0.0.1:1/nowhere'); // the password masked, the user name shown
      if (extra[0] === '--json') expect(json(r)).toMatchObject({ error: { exitCode: 3 } });
    }
    const env = await dbkit(['migrate'], { cwd, env: { DATABASE_URL: 'mysql://root:An0therSecret@127.0.0.1:1/db' } });
    expect(env.code).toBe(3);
    expect(env.stderr).not.toContain('An0therSecret');
  });

  it('command-line usage errors follow the error format, with a JSON document under --json', async () => {
    const r = await dbkit(['status', '--bogus', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dbkit: unknown option '--bogus'/);
    expect(json(r)).toEqual({ error: { exitCode: 2, message: "unknown option '--bogus'" } });
  });

  it('sql and make read the config file like every other command', async () => {
    const cwd = workdir();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ schema: 'chat', url: 'pglite:memory' }));
    const r = await dbkit(['sql', '--json'], { cwd });
    expect(json(r)).toMatchObject({ dialect: 'postgres', schema: 'chat' });
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ bogus: 1 }));
    expect((await dbkit(['sql'], { cwd })).code).toBe(2);
  });

  it('sql prints every variant offline', async () => {
    for (const [dialect, schema, marker] of [
      ['postgres', 'agents', '"file_paths" text[]'],
      ['postgres', 'chat', 'CREATE TRIGGER "trg_users_updated_at"'],
      ['mysql', 'agents', '`id` bigint NOT NULL AUTO_INCREMENT PRIMARY KEY'],
      ['mysql', 'chat', "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='API call records table'"],
    ] as const) {
      const r = await dbkit(['sql', '--dialect', dialect, '--schema', schema, '--url', 'postgres://u:p@127.0.0.1:1/x']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(marker);
      const j = json<{ statements: string[] }>(await dbkit(['sql', '--dialect', dialect, '--schema', schema, '--json']));
      expect(j.statements.length).toBeGreaterThan(3);
    }
  });
});
