/** `dbkit status` reports changed and missing migrations, and `--check` fails on them. */
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit, json } from '../support/cli.js';
import { adminExec, freshPostgres } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

interface StatusJson {
  upToDate: boolean;
  counts: Record<string, number>;
  migrations: { name: string; state: string }[];
}

describe('status', () => {
  it('reports a changed migration (checksum differs) and a missing one (no file); --check exits 1', async () => {
    const db = await freshPostgres('status');
    cleanups.push(db.drop);
    expect((await dbkit(['migrate', '--url', db.url])).code).toBe(0);
    await adminExec(db.url, `UPDATE dbkit_checksums SET checksum = repeat('0', 64) WHERE name = '20250101000300_create_runs'`);
    await adminExec(
      db.url,
      `INSERT INTO dbkit_migrations (name, batch, migration_time) VALUES ('20240101000000_gone', 1, now())`,
    );
    const r = await dbkit(['status', '--url', db.url, '--json']);
    expect(r.code).toBe(0);
    const s = json<StatusJson>(r);
    expect(s.upToDate).toBe(false);
    expect(s.counts).toEqual({ applied: 6, pending: 0, changed: 1, missing: 1 });
    expect(s.migrations.filter((m) => m.state !== 'applied')).toEqual([
      expect.objectContaining({ name: '20250101000300_create_runs', state: 'changed' }),
      expect.objectContaining({ name: '20240101000000_gone', state: 'missing' }),
    ]);
    const check = await dbkit(['status', '--check', '--url', db.url]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/changed +20250101000300_create_runs/);
    expect(check.stdout).toContain('1 changed, 1 missing');
    // migrate stops on both until they are accepted by name.
    expect((await dbkit(['migrate', '--url', db.url])).code).toBe(1);
    const accept = ['--accept-changed', '20250101000300_create_runs', '--accept-changed', '20240101000000_gone'];
    expect((await dbkit(['migrate', '--url', db.url, ...accept])).code).toBe(0);
    expect((await dbkit(['status', '--check', '--url', db.url])).code).toBe(0);
  }, 60_000);
});
