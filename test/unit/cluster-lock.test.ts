/**
 * The lock's pure parts (issue 13): Galera refusals, holder descriptions,
 * the lease SQL, the pooler refusal, and the --direct-url / DBKIT_LEASE_TTL
 * configuration. The real-engine behaviour is in test/integration/cluster.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGaleraNode, type GaleraState } from '../../dialects/mysql/galera.js';
import { createLeaseTable, describeLease, renewLease } from '../../dialects/mysql/lease.js';
import { describeHolder, lockApplicationName } from '../../dialects/postgres/lock.js';
import { ExitCode } from '../../src/shared/errors.js';
import { migrationConfig } from '../../src/commands/shared.js';
import { newOwner } from '../../src/port/lock.js';
import { loadConfig } from '../../src/config/load.js';
import { poolerRefusal } from '../../src/db/topology.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-cluster-');

const synced: GaleraState = { state: 'Synced', status: 'Primary', osuMethod: 'TOI', clusterSize: 3, nodeName: 'node2' };

function refusal(g: GaleraState): { exitCode: number; message: string } | null {
  try {
    checkGaleraNode(g, 'mysql://app:****@db2:3306/chat');
    return null;
  } catch (err) {
    return err as { exitCode: number; message: string };
  }
}

describe('Galera: which nodes dbkit migrates through', () => {
  it('a Synced node of the Primary component applying DDL in total order (TOI)', () => {
    expect(refusal(synced)).toBeNull();
  });

  it('refuses a node that is not Synced, with exit 3', () => {
    const r = refusal({ ...synced, state: 'Joining' });
    expect(r?.exitCode).toBe(ExitCode.connect);
    expect(r?.message).toBe(
      'Galera node node2 (mysql://app:****@db2:3306/chat) is not Synced (wsrep_local_state_comment=Joining): migrate through a Synced node, or wait until this one has caught up',
    );
  });

  it('refuses a node cut off from the Primary component, with exit 3 (before its state)', () => {
    const r = refusal({ ...synced, status: 'non-Primary', state: 'Initialized' });
    expect(r?.exitCode).toBe(ExitCode.connect);
    expect(r?.message).toMatch(/^Galera node node2 .* is not in the Primary component \(wsrep_cluster_status=non-Primary\)/);
  });

  it('refuses wsrep_OSU_method=RSU, with exit 2', () => {
    const r = refusal({ ...synced, osuMethod: 'RSU' });
    expect(r?.exitCode).toBe(ExitCode.usage);
    expect(r?.message).toBe(
      'Galera node node2 (mysql://app:****@db2:3306/chat) applies DDL with wsrep_OSU_method=RSU: DDL would change this node only, out of the cluster\'s order; set wsrep_OSU_method=TOI to migrate',
    );
  });
});

describe('the owner of a run', () => {
  it('is readable and unique: pid, host, start, and a random tag (what crash-recovery markers and the lease row carry)', () => {
    const at = new Date('2026-11-30T10:00:00.000Z');
    expect(newOwner(4242, 'ci-7', at)).toMatch(/^dbkit pid 4242 on ci-7 since 2026-11-30T10:00:00\.000Z #[0-9a-f]{6}$/);
    expect(newOwner(4242, 'ci-7', at)).not.toBe(newOwner(4242, 'ci-7', at));
    expect(newOwner(4242, 'h'.repeat(300), at).length).toBeLessThanOrEqual(255);
  });
});

describe('the lease', () => {
  it('is one InnoDB row per name, with a primary key, in the migrated database, marked as dbkit\'s bookkeeping', () => {
    expect(createLeaseTable('chat')).toBe(`CREATE TABLE IF NOT EXISTS \`chat\`.\`dbkit_lease\` (
  name VARCHAR(64) NOT NULL,
  owner VARCHAR(255) NOT NULL,
  host VARCHAR(255) NOT NULL,
  pid INT UNSIGNED NOT NULL,
  node VARCHAR(64) NOT NULL DEFAULT '',
  acquired_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='dbkit bookkeeping v1'`);
  });

  it('is renewed (heartbeat and fence) only where this run owns it, on the servers\' UTC clock', () => {
    expect(renewLease('we`ird')).toBe(
      'UPDATE `we``ird`.`dbkit_lease` SET expires_at = UTC_TIMESTAMP(6) + INTERVAL ? MICROSECOND WHERE name = ? AND owner = ?',
    );
  });

  it('names its holder: host, pid, node, since, and when it expires', () => {
    const l = { owner: 'x', host: 'ci-7', pid: 4242, node: 'node1', since: '2026-11-30 10:00:00 UTC', expiresIn: 25 };
    expect(describeLease(l)).toBe('dbkit on ci-7 (pid 4242) through Galera node node1, since 2026-11-30 10:00:00 UTC; lease expires in 25s unless renewed');
    expect(describeLease({ ...l, node: '', expiresIn: -3 })).toBe('dbkit on ci-7 (pid 4242), since 2026-11-30 10:00:00 UTC; lease expired 3s ago');
  });
});

describe('PostgreSQL lock holder', () => {
  it('says in its application_name which dbkit holds it (63 bytes at most)', () => {
    expect(lockApplicationName('ci-7', 4242)).toBe('dbkit-lock ci-7 4242');
    expect(lockApplicationName('h'.repeat(100), 4242).length).toBeLessThanOrEqual(63);
    const h = { pid: 918, app: lockApplicationName('ci-7', 4242), addr: '10.0.0.7', since: '2026-11-30 10:00:00 UTC' };
    expect(describeHolder(h)).toBe('dbkit on ci-7 (pid 4242), PostgreSQL session 918 from 10.0.0.7, since 2026-11-30 10:00:00 UTC');
    expect(describeHolder({ ...h, app: 'psql', addr: null })).toBe('PostgreSQL session 918 (psql, since 2026-11-30 10:00:00 UTC)');
  });

  it('behind a transaction pooler, a session-bound option is refused in one line naming --direct-url', () => {
    const e = poolerRefusal('postgres://app:****@bouncer:6432/app', 'backend 7 served two client connections', '--namespace x needs a session search_path');
    expect(e.exitCode).toBe(ExitCode.usage);
    expect(e.message).toBe(
      'postgres://app:****@bouncer:6432/app goes through a transaction pooler such as PgBouncer (backend 7 served two client connections): --namespace x needs a session search_path; give dbkit a direct connection to the server for migrations with --direct-url (or DBKIT_DIRECT_URL)',
    );
  });
});

describe('--direct-url and DBKIT_LEASE_TTL', () => {
  const pooled = 'postgres://app:pw@bouncer:6432/app';
  const direct = 'postgres://app:pw2@db:5432/app';

  it('comes from --direct-url, else DBKIT_DIRECT_URL, else the config file; migrations connect there', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url: pooled, directUrl: 'postgres://app:pw3@file:5432/app' }));
    expect((await loadConfig({}, {}, cwd)).directTarget?.url).toBe('postgres://app:pw3@file:5432/app');
    expect((await loadConfig({}, { DBKIT_DIRECT_URL: direct }, cwd)).directTarget?.url).toBe(direct);
    const flag = await loadConfig({ directUrl: 'postgres://app:pw4@flag/app' }, { DBKIT_DIRECT_URL: direct }, cwd);
    expect(flag.directTarget?.display).toBe('postgres://app:****@flag/app');
    const m = migrationConfig(flag);
    expect(m.target.url).toBe('postgres://app:pw4@flag/app');
    expect(m.namespace).toBeNull();
    // Other commands keep the pooled URL.
    expect(flag.target.url).toBe(pooled);
  });

  it('is absent unless given, and must name a server of the same engine', async () => {
    const cwd = tmp();
    expect((await loadConfig({ url: pooled }, {}, cwd)).directTarget).toBeNull();
    await expect(loadConfig({ url: pooled, directUrl: 'mysql://u:secret@h/db' }, {}, cwd)).rejects.toThrow(
      /--direct-url mysql:\/\/u:\*\*\*\*@h\/db must be a postgres URL like the database URL postgres:\/\/app:\*\*\*\*@bouncer:6432\/app/,
    );
    await expect(loadConfig({ directUrl: direct }, {}, cwd)).rejects.toMatchObject({ exitCode: ExitCode.usage });
  });

  it('a MySQL direct URL without a database works in the database URL\'s', async () => {
    const cwd = tmp();
    const c = await loadConfig({ url: 'mysql://app:pw@proxy:6033/chat', directUrl: 'mysql://app:pw@galera-1:3306' }, {}, cwd);
    expect(migrationConfig(c).namespace).toBe('chat');
    expect(migrationConfig(c).target.url).toBe('mysql://app:pw@galera-1:3306');
  });

  it('DBKIT_LEASE_TTL: seconds, default 30, at least 3', async () => {
    const cwd = tmp();
    expect((await loadConfig({ url: pooled }, {}, cwd)).leaseTtlMs).toBe(30_000);
    expect((await loadConfig({ url: pooled }, { DBKIT_LEASE_TTL: '4.5' }, cwd)).leaseTtlMs).toBe(4_500);
    await expect(loadConfig({ url: pooled }, { DBKIT_LEASE_TTL: '1' }, cwd)).rejects.toThrow(/DBKIT_LEASE_TTL must be a number of seconds, at least 3, got "1"/);
  });
});
