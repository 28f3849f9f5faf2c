/**
 * `dbkit migrate` with nothing to do (issue 22): it answers without the
 * migration lock (src/migrate/apply/up-to-date.ts), so a deploy whose
 * database is current is not held up by a run migrating another schema's
 * namespace, nor by a stuck holder; with any work at all it takes the lock
 * as before, and waits for it (exit 4 when it stays held).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { connect, type Connection } from '../../src/db/connect.js';
import { acquireMigrationLock } from '../../src/migrate/apply/lock.js';
import type { HeldLock } from '../../src/port/lock.js';
import { dbkit, json } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';

const ENGINES = [
  ['postgres', () => freshPostgres('noop_pg')],
  ['mysql', () => freshMysql('noop_my')],
] as const;

describe.each(ENGINES)('%s: migrate with nothing to do', (engine, fresh) => {
  // adminQuery binds as the driver does: $1 on PostgreSQL, ? on MySQL.
  const [p1, p2] = engine === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  let db: FreshDatabase;
  let holder: Connection;
  let lock: HeldLock | null = null;

  beforeAll(async () => {
    db = await fresh();
    const first = await dbkit(['migrate', '--url', db.url, '--quiet']);
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await lock?.release().catch(() => undefined);
    await holder?.close().catch(() => undefined);
  });

  it('exits 0 at once while another session holds the migration lock, saying nothing ran; with a migration pending it waits for the lock and gives up (exit 4)', async () => {
    holder = await connect(await loadConfig({ url: db.url }));
    lock = await acquireMigrationLock(holder);
    const idle = await dbkit(['migrate', '--url', db.url, '--lock-timeout', '1', '--json']);
    expect(idle.code, idle.stderr).toBe(0);
    expect(idle.stderr).not.toMatch(/waiting up to/);
    expect(json<{ dryRun: boolean; migrations: unknown[] }>(idle)).toMatchObject({ dryRun: false, migrations: [] });
    const text = await dbkit(['migrate', '--url', db.url, '--lock-timeout', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toMatch(/^migrating \w+ on \S+ \.\.\.\n/);

    // Work to do: the last migration rolled back (as soon as the lock is free), then a run with the lock held again.
    await lock.release();
    lock = null;
    const back = await dbkit(['rollback', '--url', db.url, '--steps', '1', '--yes', '--quiet', '--force']);
    expect(back.code, back.stderr).toBe(0);
    lock = await acquireMigrationLock(holder);
    const busy = await dbkit(['migrate', '--url', db.url, '--lock-timeout', '1']);
    expect(busy.code, busy.stderr).toBe(4);
    expect(busy.stderr).toMatch(/waiting up to 1s for the migration lock/);
    await lock.release();
    lock = null;
    const done = await dbkit(['migrate', '--url', db.url, '--json']);
    expect(done.code, done.stderr).toBe(0);
    expect(json<{ migrations: unknown[] }>(done).migrations).toHaveLength(1);
  }, 120_000);

  it('an edited applied migration is not "nothing to do": the normal path refuses it as before (exit 1)', async () => {
    const r = await dbkit(['status', '--url', db.url, '--json']);
    const last = json<{ migrations: { name: string }[] }>(r).migrations.at(-1)!.name;
    const was = await adminQuery<{ checksum: string }>(db.url, `SELECT checksum FROM dbkit_checksums WHERE name = ${p1}`, [last]);
    await adminQuery(db.url, `UPDATE dbkit_checksums SET checksum = ${p1} WHERE name = ${p2}`, ['0'.repeat(64), last]);
    try {
      const m = await dbkit(['migrate', '--url', db.url]);
      expect(m.code, m.stderr).toBe(1);
      expect(m.stderr).toContain(last);
    } finally {
      await adminQuery(db.url, `UPDATE dbkit_checksums SET checksum = ${p1} WHERE name = ${p2}`, [was[0]!.checksum, last]);
    }
  }, 120_000);
});
