/**
 * Issue 13, acceptance 3: `migrate --targets` over 50 PostgreSQL and 10
 * MariaDB databases of the suite's servers, one unreachable (a closed port,
 * its URL from an environment variable), one whose migration lock is held,
 * one with drift (an applied migration whose recorded checksum no longer
 * matches: migrate refuses it with exit 1). The run finishes every
 * reachable target, exits 1 and names the three in its lines, its summary
 * and its JSON; after fixing them a re-run exits 0, the others up to date.
 * Then status, diff and check-indexes over the same targets. No output
 * holds the servers' password.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { connect, type Connection } from '../../src/db/connect.js';
import type { TargetOutcome } from '../../src/fleet/outcome.js';
import { acquireMigrationLock } from '../../src/migrate/apply/lock.js';
import type { HeldLock } from '../../src/port/lock.js';
import { dbkit, dbkitInProcess, json, type CliResult } from '../support/cli.js';
import { adminQuery, freshMysql, freshPostgres, type FreshDatabase } from '../support/databases.js';
import { freePort, TEST_PASSWORD } from '../support/servers.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-fleet-');
const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (let i = 0; i < dbs.length; i += 10) await Promise.all(dbs.slice(i, i + 10).map((d) => d.drop().catch(() => undefined)));
});

/** `n` fresh databases, a few at a time (CREATE DATABASE is slow on a busy machine). */
async function many(n: number, make: () => Promise<FreshDatabase>): Promise<FreshDatabase[]> {
  const out: FreshDatabase[] = [];
  for (let i = 0; i < n; i += 5) {
    const batch = await Promise.all(Array.from({ length: Math.min(5, n - i) }, make));
    dbs.push(...batch);
    out.push(...batch);
  }
  return out;
}

interface FleetDoc {
  exitCode: number;
  ok: boolean;
  stoppedBy: string | null;
  totals: Record<string, number>;
  targets: TargetOutcome[];
}

const fleet = (r: CliResult) => json<FleetDoc>(r);
const byName = (doc: FleetDoc) => new Map(doc.targets.map((t) => [t.name, t]));
const noPassword = (...runs: CliResult[]) => {
  for (const r of runs) expect(r.stdout + r.stderr).not.toContain(TEST_PASSWORD);
};

describe('migrate --targets over 50 PostgreSQL and 10 MariaDB databases', () => {
  let dir: string;
  let file: string;
  let pg: FreshDatabase[];
  let maria: FreshDatabase[];
  let drifted: FreshDatabase;
  let locked: FreshDatabase;
  let replacement: FreshDatabase;
  let lockConn: Connection;
  let lock: HeldLock | null = null;
  let pgMigrations: string[];
  let mariaMigrations: string[];
  let editedName: string;
  const env: Record<string, string> = {};

  beforeAll(async () => {
    dir = tmp();
    pg = await many(48, () => freshPostgres('fleet_pg'));
    [drifted, replacement] = await many(2, () => freshPostgres('fleet_pg'));
    maria = await many(10, () => freshMysql('fleet_maria'));
    locked = maria[9]!;
    // Set-up in-process (support/cli.ts): the fleet runs below are the binary's.
    pgMigrations = json<{ migrations: { name: string }[] }>(await dbkitInProcess(['status', '--url', pg[0]!.url, '--json'])).migrations.map((m) => m.name);
    mariaMigrations = json<{ migrations: { name: string }[] }>(await dbkitInProcess(['status', '--url', maria[0]!.url, '--json'])).migrations.map((m) => m.name);

    // Drift: the first two migrations applied, then the first one's recorded checksum no longer matches it.
    const partial = await dbkitInProcess(['migrate', '--url', drifted.url, '--to', pgMigrations[1]!]);
    expect(partial.code, partial.stderr).toBe(0);
    editedName = pgMigrations[0]!;
    await adminQuery(drifted.url, 'UPDATE dbkit_checksums SET checksum = $1 WHERE name = $2', ['0'.repeat(64), editedName]);

    // The lock of one MariaDB database, held as a running migrate holds it.
    lockConn = await connect(await loadConfig({ url: locked.url }));
    lock = await acquireMigrationLock(lockConn);

    env.FLEET_UNREACHABLE_URL = `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${await freePort()}/nothing_here`;
    env.FLEET_MARIA_0_URL = maria[0]!.url;
    const lines = ['# 50 PostgreSQL (agents) and 10 MariaDB (chat) databases', 'targets:'];
    pg.forEach((d, i) => lines.push(`  - name: pg-${String(i + 1).padStart(2, '0')}`, `    url: "${d.url}"`, `    tags: [pg${i < 5 ? ', early' : ''}]`));
    lines.push('  - name: pg-drift', `    url: "${drifted.url}"`, '    tags: [pg]');
    lines.push('  - name: pg-unreachable', '    urlEnv: FLEET_UNREACHABLE_URL', '    tags: [pg]');
    maria.forEach((d, i) => {
      const name = d === locked ? 'maria-locked' : `maria-${String(i + 1).padStart(2, '0')}`;
      lines.push(`  - name: ${name}`, i === 0 ? '    urlEnv: FLEET_MARIA_0_URL' : `    url: "${d.url}"`, '    schema: chat', '    tags: [maria]');
    });
    file = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(file, lines.join('\n') + '\n');
  }, 600_000);

  afterAll(async () => {
    await lock?.release().catch(() => undefined);
    await lockConn?.close().catch(() => undefined);
  });

  const run = (...args: string[]) => dbkit([...args, '--targets', file, '--concurrency', '8', '--lock-timeout', '3'], { env });

  it('finishes every reachable target, exits 1 and names the three; a re-run after fixing them exits 0', async () => {
    const first = await run('migrate', '--json');
    noPassword(first);
    expect(first.code, first.stderr).toBe(1);
    const doc = fleet(first);
    expect(doc.totals).toEqual({ targets: 60, applied: 57, upToDate: 0, failed: 3, skipped: 0, notStarted: 0, migrations: 48 * pgMigrations.length + 9 * mariaMigrations.length });
    const t = byName(doc);
    expect(doc.targets.filter((x) => x.status === 'failed').map((x) => [x.name, x.exitCode])).toEqual([
      ['pg-drift', 1],
      ['pg-unreachable', 3],
      ['maria-locked', 4],
    ]);
    expect(t.get('pg-drift')!.error!.message).toContain(`${editedName} (migrations/agents/${editedName}/) was edited after it was applied: nothing was migrated`);
    expect(t.get('pg-unreachable')!.error!.message).toMatch(/^cannot connect to postgres:\/\/.*127\.0\.0\.1:\d+\/nothing_here: .*ECONNREFUSED/);
    expect(t.get('maria-locked')!.error!.message).toMatch(/another dbkit is migrating .*gave up after 3s \(--lock-timeout\)/);
    for (const x of doc.targets.filter((y) => y.status === 'applied')) {
      const expected = x.engine === 'mysql' ? mariaMigrations : pgMigrations;
      expect(x.migrations!.map((m) => m.name), x.name).toEqual(expected);
      for (const m of x.migrations!) expect(m.ms, `${x.name} ${m.name}`).toBeGreaterThanOrEqual(0);
      expect(x.exitCode).toBe(0);
      expect(x.url).not.toContain(TEST_PASSWORD);
    }
    expect(t.get('maria-01')).toMatchObject({ status: 'applied', engine: 'mysql', schema: 'chat' });

    // What the databases say: every reachable one recorded each migration once; the three hold what they held.
    const counted = async (d: FreshDatabase) => (await adminQuery<{ n: number | string }>(d.url, 'SELECT COUNT(DISTINCT name) AS n FROM dbkit_migrations'))[0]!.n;
    for (let i = 0; i < pg.length; i += 12) {
      const counts = await Promise.all(pg.slice(i, i + 12).map(counted));
      expect(counts.map(Number)).toEqual(counts.map(() => pgMigrations.length));
    }
    expect(Number(await counted(drifted))).toBe(2);
    expect(await adminQuery(locked.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'dbkit_migrations'")).toEqual([]);

    // A re-run before fixing anything: the others are up to date, the same three fail, in plain lines.
    const again = await run('migrate');
    noPassword(again);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^pg-01 +up to date +\d+\.\d\d s$/m);
    expect(again.stdout).toMatch(/^pg-drift +failed +exit 1: .*was edited after it was applied/m);
    expect(again.stdout).toMatch(/^pg-unreachable +failed +exit 3: cannot connect to /m);
    expect(again.stdout).toMatch(/^maria-locked +failed +exit 4: another dbkit is migrating /m);
    expect(again.stdout).toContain('migrate over 60 targets in ');
    expect(again.stdout).toMatch(/: 57 up to date, 3 failed\nfailed: (pg-drift|pg-unreachable|maria-locked) \(exit \d\), .*\n/);
    for (const name of ['pg-drift', 'pg-unreachable', 'maria-locked']) expect(again.stdout).toMatch(new RegExp(`failed: .*${name} \\(exit`));

    // Fixing them: the lock released, the variable pointed at a real database, the edited migration accepted (on that target only).
    await lock!.release();
    lock = null;
    env.FLEET_UNREACHABLE_URL = replacement.url;
    const accepted = await run('migrate', '--only', 'pg-drift', '--accept-changed', editedName, '--json');
    expect(accepted.code, accepted.stdout).toBe(0);
    const acceptedDoc = fleet(accepted);
    expect(acceptedDoc.totals).toMatchObject({ applied: 1, skipped: 59 });
    expect(byName(acceptedDoc).get('pg-drift')).toMatchObject({ status: 'applied', accepted: [{ name: editedName, was: 'changed' }] });

    const last = await run('migrate', '--json');
    noPassword(last);
    expect(last.code, last.stdout).toBe(0);
    const lastDoc = fleet(last);
    expect(lastDoc.ok).toBe(true);
    expect(lastDoc.totals).toMatchObject({ targets: 60, applied: 2, upToDate: 58, failed: 0, notStarted: 0 });
    expect(lastDoc.targets.filter((x) => x.status === 'applied').map((x) => x.name)).toEqual(['pg-unreachable', 'maria-locked']);
    expect(byName(lastDoc).get('pg-drift')!.status).toBe('up to date');
  }, 900_000);

  it('status, diff and check-indexes over the same targets', async () => {
    const status = await run('status', '--check', '--json');
    noPassword(status);
    expect(status.code, status.stdout).toBe(0);
    expect(fleet(status).totals).toMatchObject({ targets: 60, upToDate: 60 });

    const clean = await run('diff');
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/diff over 60 targets in .*: 60 clean$/m);

    // One database drifts: an index dropped by hand.
    await adminQuery(pg[6]!.url, 'DROP INDEX idx_runs_status');
    const drift = await run('diff', '--json');
    noPassword(drift);
    expect(drift.code).toBe(1);
    const driftDoc = fleet(drift);
    expect(driftDoc.totals).toMatchObject({ clean: 59, drift: 1 });
    const seven = byName(driftDoc).get('pg-07')!;
    expect(seven).toMatchObject({ status: 'drift', exitCode: 1 });
    expect(JSON.stringify(seven.result)).toContain('idx_runs_status');

    const indexes = await run('check-indexes');
    noPassword(indexes);
    expect(indexes.code).toBe(1);
    expect(indexes.stdout).toMatch(/^pg-07 +problems +1 of \d+ expected indexes with problems/m);
    expect(indexes.stdout).toMatch(/^ {4}missing runs\.idx_runs_status \(status\)$/m);
    expect(indexes.stdout).toMatch(/check-indexes over 60 targets in .*: 59 ok, 1 problems$/m);
  }, 600_000);
});
