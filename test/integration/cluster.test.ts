/**
 * Beyond one server (issue 13, acceptance 1, 2 and 4): the migration lock on
 * a three-node MariaDB Galera cluster (galera-4, on loopback) and behind
 * PgBouncer in transaction pooling, with real processes and real kills.
 *
 * - Galera: three concurrent `migrate` runs, one per node, on five fresh
 *   databases: all exit 0, each migration recorded once on every node, diff
 *   clean everywhere; kill -9 of the lease holder at random moments, then a
 *   re-run through another node completes once the lease expires or at once
 *   after `unlock --force`; the fence refuses to record for a run whose lease
 *   was taken over; unsynced and RSU nodes are refused with their line.
 * - PgBouncer: eight concurrent runs per round, five rounds, through the pool:
 *   all exit 0, each migration once, no advisory lock left in pg_locks; the
 *   same with --direct-url, status and diff through the pool; a killed run
 *   strands nothing; --namespace through the pool stops at once naming
 *   --direct-url; a new holder waits until the old holder's fenced recording ends.
 *
 * The two groups run side by side (each keeps its own order); the cluster and
 * the pooler are stopped in afterAll, also when a test fails.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { acquireMysqlLock } from '../../dialects/mysql/lock.js';
import { acquirePostgresLock } from '../../dialects/postgres/lock.js';
import { knexFor } from '../support/catalog.js';
import { bin, dbkit, json, startDbkit, type CliResult } from '../support/cli.js';
import { adminQuery, freshPostgres, uniqueName, withDatabase, type FreshDatabase } from '../support/databases.js';
import { galeraQuery, startGaleraCluster, type GaleraCluster } from '../support/galera.js';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';

let cluster: GaleraCluster | undefined;
let bouncer: PgBouncer | undefined;
const pgDatabases: FreshDatabase[] = [];

beforeAll(async () => {
  const [c, b] = await Promise.allSettled([startGaleraCluster(3), startPgBouncer(inject('dbkitPgUrl'), { poolSize: 10 })]);
  if (c.status === 'fulfilled') cluster = c.value;
  if (b.status === 'fulfilled') bouncer = b.value;
  const failed = [c, b].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}, 240_000);

afterAll(async () => {
  if (process.env.DBKIT_TEST_BOUNCER_LOG) process.stderr.write(bouncer?.logs() ?? '');
  await Promise.allSettled(pgDatabases.map((d) => d.drop()));
  await Promise.allSettled([cluster?.stop(), bouncer?.stop()]);
}, 60_000);

type Row = Record<string, unknown>;
const HOST = os.hostname();
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The migrations a fresh database would get (names, in order), from `status --json`. */
async function pendingNames(url: string, schema: string): Promise<string[]> {
  const r = await dbkit(['status', '--url', url, '--schema', schema, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return json<{ migrations: { name: string; state: string }[] }>(r).migrations.filter((m) => m.state === 'pending').map((m) => m.name);
}

/** Names applied by all these --json migrate runs together. */
const appliedBy = (runs: CliResult[]): string[] => runs.flatMap((r) => json<{ migrations: { name: string }[] }>(r).migrations.map((m) => m.name));

type Query = <T = Row>(url: string, sql: string, params?: unknown[]) => Promise<T[]>;
/** Reads on a Galera node wait for the cluster's earlier commits; PostgreSQL reads need nothing. */
const queryFor = (url: string): Query => (url.startsWith('mysql:') ? galeraQuery : adminQuery) as Query;

/** Each expected migration recorded exactly once (and nothing else), Knex's lock row single and unset. */
async function recordedOnce(url: string, expected: string[]): Promise<void> {
  const q = queryFor(url);
  const rows = await q<{ name: string }>(url, 'SELECT name FROM dbkit_migrations ORDER BY id');
  expect(rows.map((r) => r.name)).toEqual(expected);
  const sums = await q<{ name: string; checksum: string }>(url, 'SELECT name, checksum FROM dbkit_checksums');
  expect(sums.map((s) => s.name).sort()).toEqual([...expected].sort());
  expect(sums.filter((s) => s.checksum === 'started')).toEqual([]);
  const lockRows = await q<{ is_locked: unknown }>(url, 'SELECT is_locked FROM dbkit_migrations_lock');
  expect(lockRows.map((r) => Number(r.is_locked))).toEqual([0]);
}

/** `diff` clean; with `status`, also `status --check` up to date (once per database is enough: recordedOnce reads every node). */
async function clean(url: string, schema: string, status = true): Promise<void> {
  const d = await dbkit(['diff', '--url', url, '--schema', schema]);
  expect(d.code, d.stdout + d.stderr).toBe(0);
  if (!status) return;
  const s = await dbkit(['status', '--url', url, '--schema', schema, '--check']);
  expect(s.code, s.stdout + s.stderr).toBe(0);
}

/**
 * `dbkit migrate --verbose` killed with SIGKILL `delayMs` after it says it
 * holds the migration lock (or when it ends first): a kill of the lock holder
 * at a random moment of its run.
 */
function killHolderAfter(args: string[], delayMs: number, env: Record<string, string> = {}): Promise<{ killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args, '--verbose'], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!timer && /holding the migration lock/.test(stderr)) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', stderr });
    });
  });
}

/** Run `fn` over `items`, at most `n` at a time (two cores, and other test files). */
async function limited<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

/**
 * The cases of each group run one after the other (they share a cluster, a
 * pooler, global variables); the two groups run side by side.
 */
type Case = { name: string; fn: () => Promise<void> };
const galeraCases: Case[] = [];
const poolerCases: Case[] = [];
const galeraCase = (name: string, fn: () => Promise<void>) => galeraCases.push({ name, fn });
const poolerCase = (name: string, fn: () => Promise<void>) => poolerCases.push({ name, fn });

// ------------------------------------------------------------------ Galera

const nodes = () => cluster!.nodes;
/** A new database, created through node 1 (DDL replicates), and its URL on every node. */
async function galeraDatabase(prefix: string): Promise<string[]> {
  const name = uniqueName(prefix);
  await galeraQuery(nodes()[0]!.url, `CREATE DATABASE \`${name}\``);
  return nodes().map((n) => withDatabase(n.url, name));
}

galeraCase('three concurrent migrate runs, one per node, on five fresh databases: all exit 0, each migration recorded once on every node, diff clean on every node', async () => {
  const rounds = ['chat', 'agents', 'chat', 'agents', 'chat'];
  await limited(rounds, 2, async (schema) => {
    const urls = await galeraDatabase('galera_race');
    const expected = await pendingNames(urls[0]!, schema);
    expect(expected.length).toBeGreaterThan(3);
    const runs = await Promise.all(urls.map((u) => dbkit(['migrate', '--url', u, '--schema', schema, '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const applied = appliedBy(runs);
    expect([...applied].sort()).toEqual([...expected].sort());
    for (const u of urls) {
      await recordedOnce(u, expected);
      // The lease was released (its row deleted), and GET_LOCK was never what held it.
      expect(await galeraQuery(u, 'SELECT owner FROM dbkit_lease')).toEqual([]);
      await clean(u, schema, u === urls[1]);
    }
  });
});

galeraCase('a waiting run names the lease holder (host, pid, node, since) and exits 4 after --lock-timeout; GET_LOCK is not what holds it', async () => {
  const urls = await galeraDatabase('galera_wait');
  const db = new URL(urls[0]!).pathname.slice(1);
  const held = await acquireMysqlLock(urls[0]!, db, 5_000, undefined, undefined, { leaseTtlMs: 30_000 });
  expect(held?.kind).toBe('lease');
  try {
    const r = await dbkit(['migrate', '--url', urls[1]!, '--lock-timeout', '1']);
    expect(r.code, r.stderr).toBe(4);
    const who = `dbkit on ${escape(HOST)} \\(pid ${process.pid}\\) through Galera node node1, since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; lease expires in \\d+s`;
    expect(r.stderr).toMatch(new RegExp(`waiting up to 1s for the migration lock, held by ${who}`));
    expect(r.stderr).toMatch(new RegExp(`dbkit: another dbkit is migrating .*; lock held by ${who}.*gave up after 1s \\(--lock-timeout\\)\\n$`));
    // Node 3 could take the named lock: it is node-local, and dbkit does not use it on Galera.
    const free = await galeraQuery<{ ok: unknown }>(urls[2]!, 'SELECT IS_FREE_LOCK(?) AS ok', [`dbkit_migrate:${db}`]);
    expect(Number(free[0]!.ok)).toBe(1);
  } finally {
    await held!.release();
  }
  expect(await galeraQuery(urls[1]!, 'SELECT owner FROM dbkit_lease')).toEqual([]);
  const again = await dbkit(['migrate', '--url', urls[2]!, '--lock-timeout', '5']);
  expect(again.code, again.stderr).toBe(0);
});

galeraCase('kill -9 of the lease holder at random moments: a re-run through another node completes once the lease expires, or at once after unlock --force', async () => {
  const schema = 'chat';
  let forced = 0;
  let waitedOut = 0;
  // A chat migration can end within the random delay (then the kill lands on nothing): go on,
  // with shorter delays after a miss, until both ways out were taken (at least 5 rounds, at most 12).
  let maxDelay = 800;
  for (let i = 0; i < 12 && (i < 5 || forced === 0 || waitedOut === 0); i++) {
    const urls = await galeraDatabase('galera_kill');
    const expected = await pendingNames(urls[0]!, schema);
    // Alternate between the two ways out, counting only kills that landed while the lease was held.
    const useForce = forced <= waitedOut;
    // A long TTL where --force must be what frees it; a short one where expiry must.
    const ttl = useForce ? '60' : '4';
    const killed = await killHolderAfter(['migrate', '--url', urls[i % 3]!, '--schema', schema], Math.floor(Math.random() * maxDelay), { DBKIT_LEASE_TTL: ttl });
    expect(killed.stderr).toMatch(/holding the migration lock \(lease, owner dbkit pid \d+ on .* since .* #[0-9a-f]{6}\)/);
    const lease = await galeraQuery<{ pid: unknown }>(urls[(i + 1) % 3]!, 'SELECT pid FROM dbkit_lease');
    const rerunUrl = urls[(i + 2) % 3]!;
    if (killed.killed && lease.length) {
      const pid = Number(lease[0]!.pid);
      if (useForce) {
        forced++;
        const u = await dbkit(['unlock', '--force', '--url', urls[(i + 1) % 3]!]);
        expect(u.code, u.stderr).toBe(0);
        expect(u.stdout).toContain(`deleted the migration lease held by dbkit on ${HOST} (pid ${pid}) through Galera node node${(i % 3) + 1}`);
        // The lease had a minute to go: only --force explains a run that gets it within 2 s.
        const r = await dbkit(['migrate', '--url', rerunUrl, '--schema', schema, '--lock-timeout', '2']);
        expect(r.code, r.stderr).toBe(0);
      } else {
        // Within 4 s the lease expires by itself, and the waiting run takes it.
        waitedOut++;
        const r = await dbkit(['migrate', '--url', rerunUrl, '--schema', schema, '--lock-timeout', '60'], { env: { DBKIT_LEASE_TTL: ttl } });
        expect(r.code, r.stderr).toBe(0);
      }
    } else {
      // Finished before the kill: nothing to take over.
      maxDelay = Math.max(50, maxDelay / 2);
      const r = await dbkit(['migrate', '--url', rerunUrl, '--schema', schema, '--lock-timeout', '60']);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const u of urls) {
      await recordedOnce(u, expected);
      await clean(u, schema, u === urls[0]);
    }
  }
  // Kills land while the lease is held (right after "holding", up to 0.8 s later; a run takes longer): both ways were taken.
  expect(forced).toBeGreaterThan(0);
  expect(waitedOut).toBeGreaterThan(0);
});

galeraCase('fencing: a run whose lease was taken over records nothing (its recording transaction is refused), and learns it', async () => {
  const urls = await galeraDatabase('galera_fence');
  const db = new URL(urls[0]!).pathname.slice(1);
  await galeraQuery(urls[0]!, 'CREATE TABLE recorded (name VARCHAR(64) PRIMARY KEY) ENGINE=InnoDB');
  const a = (await acquireMysqlLock(urls[0]!, db, 5_000, undefined, undefined, { leaseTtlMs: 30_000 }))!;
  const k = knexFor('mysql', urls[0]!);
  try {
    // Run A records a migration: fence, then its row, in one transaction; not committed yet...
    const trx = await k.transaction();
    await a.fence!(trx);
    await trx('recorded').insert({ name: 'by_a' });
    // ...when another node takes the lease over (the row write a takeover makes after expiry).
    await galeraQuery(urls[1]!, "UPDATE dbkit_lease SET owner = 'intruder', host = 'elsewhere', pid = 1 WHERE name = 'migrate'");
    // The cluster certified the takeover first: A's transaction cannot commit.
    const outcome = trx.executionPromise.then(
      () => 'committed',
      (err: Error) => err.message,
    );
    await trx.commit();
    expect(await outcome).toMatch(/deadlock|conflict|try restarting/i);
    for (const u of urls) expect(await galeraQuery(u, 'SELECT name FROM recorded')).toEqual([]);
    // And every later fence refuses, naming the new holder.
    await expect(k.transaction((t) => a.fence!(t))).rejects.toThrow(/lost the migration lock: the lease was taken over by dbkit on elsewhere \(pid 1\)/);
  } finally {
    await k.destroy();
    await a.release();
  }
  // Releasing a lost lease leaves the new holder's row alone.
  expect(await galeraQuery<{ owner: string }>(urls[2]!, 'SELECT owner FROM dbkit_lease')).toEqual([{ owner: 'intruder' }]);
  const u = await dbkit(['unlock', '--force', '--url', urls[2]!, '--json']);
  expect(json<{ leaseCleared: string }>(u).leaseCleared).toMatch(/^dbkit on elsewhere \(pid 1\)/);
  expect(await galeraQuery(urls[0]!, 'SELECT owner FROM dbkit_lease')).toEqual([]);
});

galeraCase('refuses a node that is not Synced (exit 3) and wsrep_OSU_method=RSU (exit 2), each in one line', async () => {
  const urls = await galeraDatabase('galera_refuse');
  const node3 = nodes()[2]!.url;
  await galeraQuery(node3, 'SET GLOBAL wsrep_desync = ON');
  try {
    const r = await dbkit(['migrate', '--url', urls[2]!]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/(^|\n)dbkit: Galera node node3 \(mysql:\/\/[^:@/]+:\*\*\*\*@127\.0\.0\.1:\d+\/\w+\) is not Synced \(wsrep_local_state_comment=Donor\/Desynced\): migrate through a Synced node, or wait until this one has caught up\n$/);
  } finally {
    await galeraQuery(node3, 'SET GLOBAL wsrep_desync = OFF');
  }
  await galeraQuery(node3, "SET GLOBAL wsrep_OSU_method = 'RSU'");
  try {
    const r = await dbkit(['migrate', '--url', urls[2]!]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/(^|\n)dbkit: Galera node node3 .* applies DDL with wsrep_OSU_method=RSU: .*set wsrep_OSU_method=TOI to migrate\n$/);
  } finally {
    await galeraQuery(node3, "SET GLOBAL wsrep_OSU_method = 'TOI'");
  }
  // Nothing was created by the refused runs.
  expect(await galeraQuery(urls[0]!, 'SHOW TABLES')).toEqual([]);
  const ok = await dbkit(['migrate', '--url', urls[2]!]);
  expect(ok.code, ok.stderr).toBe(0);
});

// --------------------------------------------------------------- PgBouncer

async function pooledDatabase(prefix: string): Promise<{ direct: string; pooled: string; name: string }> {
  const db = await freshPostgres(prefix);
  pgDatabases.push(db);
  return { direct: db.url, pooled: bouncer!.url(db.name), name: db.name };
}
/** Advisory locks held in `database`, read on the server itself. */
const advisoryLocks = (direct: string, name: string) =>
  adminQuery(direct, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = $1)", [name]);

poolerCase('eight concurrent migrate runs through the pool, five rounds: all exit 0, each migration once, no advisory lock left in pg_locks', async () => {
  for (let round = 0; round < 5; round++) {
    const { direct, pooled, name } = await pooledDatabase('bouncer_race');
    const schema = round % 2 ? 'chat' : 'agents';
    const expected = await pendingNames(pooled, schema);
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => dbkit(['migrate', '--url', pooled, '--schema', schema, '--json', ...(i === 0 ? ['--verbose'] : [])])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect([...appliedBy(runs)].sort()).toEqual([...expected].sort());
    // The pooler was seen for what it is.
    expect(runs[0]!.stderr).toMatch(/pooler probe: (backend \d+ served two client connections|one client connection was served by backends \d+ and \d+) \(transaction pooler/);
    await recordedOnce(direct, expected);
    expect(await advisoryLocks(direct, name)).toEqual([]);
    await clean(pooled, schema);
  }
});

poolerCase('with --direct-url: eight concurrent runs, five rounds, migrate straight to the server; status and diff go through the pool', async () => {
  for (let round = 0; round < 5; round++) {
    const { direct, pooled, name } = await pooledDatabase('bouncer_direct');
    const schema = round % 2 ? 'chat' : 'agents';
    const expected = await pendingNames(pooled, schema);
    // --direct-url on the command line in half the runs, DBKIT_DIRECT_URL in the others. The --verbose one
    // starts first and the rest once it has probed the pooler (it takes the lock to migrate): a run that
    // starts after the work is done finds nothing to do without the lock, and so without a probe.
    const first = startDbkit(['migrate', '--url', pooled, '--schema', schema, '--json', '--verbose'], { env: { DBKIT_DIRECT_URL: direct } });
    await first.waitFor(/pooler probe:/);
    const runs = await Promise.all([
      first.done,
      ...Array.from({ length: 7 }, (_, k) => {
        const i = k + 1;
        return i % 2
          ? dbkit(['migrate', '--url', pooled, '--schema', schema, '--json', '--direct-url', direct])
          : dbkit(['migrate', '--url', pooled, '--schema', schema, '--json'], { env: { DBKIT_DIRECT_URL: direct } });
      }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect([...appliedBy(runs)].sort()).toEqual([...expected].sort());
    expect(runs[0]!.stderr).toMatch(/migrations connect directly to postgres:\/\/[^:@/]+:\*\*\*\*@127\.0\.0\.1:\d+\//);
    expect(runs[0]!.stderr).toMatch(/pooler probe: each client connection kept its own backend/);
    for (const r of runs) expect(r.stdout + r.stderr).not.toContain('dbkit-test-pw');
    await recordedOnce(direct, expected);
    expect(await advisoryLocks(direct, name)).toEqual([]);
    await clean(pooled, schema);
  }
});

poolerCase('--namespace through the pool stops at once with the line naming --direct-url; with --direct-url it works', async () => {
  const { direct, pooled } = await pooledDatabase('bouncer_ns');
  const r = await dbkit(['migrate', '--url', pooled, '--namespace', 'app']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^dbkit: postgres:\/\/[^:@/]+:\*\*\*\*@127\.0\.0\.1:\d+\/\w+ goes through a transaction pooler such as PgBouncer \(.*\): --namespace app needs a session search_path, which a transaction pooler does not keep; give dbkit a direct connection to the server for migrations with --direct-url \(or DBKIT_DIRECT_URL\)\n$/,
  );
  expect(await adminQuery(direct, "SELECT nspname FROM pg_namespace WHERE nspname = 'app'")).toEqual([]);
  const ok = await dbkit(['migrate', '--url', pooled, '--namespace', 'app', '--direct-url', direct]);
  expect(ok.code, ok.stderr).toBe(0);
  const d = await dbkit(['diff', '--url', pooled, '--namespace', 'app']);
  expect(d.code, d.stdout + d.stderr).toBe(0);
});

poolerCase('a run killed at a random moment behind the pool strands no lock: the next run starts at once', async () => {
  for (let i = 0; i < 3; i++) {
    const { direct, pooled, name } = await pooledDatabase('bouncer_kill');
    const expected = await pendingNames(pooled, 'agents');
    const killed = await killHolderAfter(['migrate', '--url', pooled], Math.floor(Math.random() * 1500));
    expect(killed.stderr).toMatch(/holding the migration lock \(advisory\)/);
    // PgBouncer closes the server connection of a client gone mid-transaction; the lock goes with it.
    const deadline = Date.now() + 10_000;
    while ((await advisoryLocks(direct, name)).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await advisoryLocks(direct, name)).toEqual([]);
    const r = await dbkit(['migrate', '--url', pooled, '--lock-timeout', '3']);
    expect(r.code, r.stderr).toBe(0);
    await recordedOnce(direct, expected);
    await clean(pooled, 'agents');
  }
});

poolerCase('fencing: once the lock transaction is gone the run records nothing more, and a new holder first waits out a fenced recording in flight', async () => {
  const { direct, pooled } = await pooledDatabase('bouncer_fence');
  await adminQuery(direct, 'CREATE TABLE recorded (name text PRIMARY KEY)');
  const a = (await acquirePostgresLock(pooled, 'public', 5_000))!;
  expect(a.cancelQuery).toBeUndefined(); // behind a pooler: no cancel by pid
  const k = knexFor('postgres', pooled);
  let b: Awaited<ReturnType<typeof acquirePostgresLock>> | undefined;
  try {
    const trx = await k.transaction();
    await a.fence!(trx);
    await trx('recorded').insert({ name: 'by_a' });
    // A's lock transaction dies (its server connection is terminated)...
    await adminQuery(direct, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'dbkit-lock %' AND datname = current_database()");
    // ...B gets the lock, but starts only once A's fenced recording has ended.
    let bDone = false;
    const bPromise = acquirePostgresLock(pooled, 'public', 20_000).then((l) => {
      bDone = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 1500));
    expect(bDone).toBe(false);
    await trx.commit();
    b = await bPromise;
    expect(b?.kind).toBe('advisory');
    // A recorded before B started; after that, A's fence refuses.
    await expect(k.transaction((t) => a.fence!(t))).rejects.toThrow(/lost the migration lock: the lock transaction \(PostgreSQL session \d+\) no longer holds it/);
    await b!.fence!(k);
  } finally {
    await k.destroy();
    await a.release();
    await b?.release();
  }
  expect(await adminQuery(direct, 'SELECT name FROM recorded')).toEqual([{ name: 'by_a' }]);
});

/** One after the other: each call waits for the previous one to settle. */
function inTurn(): (fn: () => Promise<void>) => Promise<void> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** A case's time, waiting for the earlier cases of its group included. */
const CASE_TIMEOUT_MS = 1_500_000;

describe.concurrent('beyond one server', () => {
  const groups = [
    { label: 'Galera (three nodes)', cases: galeraCases, turn: inTurn() },
    { label: 'PgBouncer (transaction pooling)', cases: poolerCases, turn: inTurn() },
  ];
  // Declared alternately, so that vitest's concurrency limit always starts cases of both groups.
  for (let i = 0; i < Math.max(...groups.map((g) => g.cases.length)); i++) {
    for (const g of groups) {
      const c = g.cases[i];
      if (c) it(`${g.label}: ${c.name}`, () => g.turn(c.fn), CASE_TIMEOUT_MS);
    }
  }
});
