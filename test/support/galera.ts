/**
 * A throwaway MariaDB Galera cluster on loopback for the cluster tests:
 * galera-4's libgalera_smm.so, N mariadbd nodes with free ports for SQL,
 * group communication (gcomm), IST and SST. Node 1 is initialised with
 * mariadb-install-db and bootstraps the cluster (--wsrep-new-cluster); the
 * others start empty and receive a full copy by rsync SST (wsrep_sst_rsync
 * runs an rsync daemon as the server's user, so as root the nodes run as
 * the `mysql` user: rsync drops root to `nobody`, who cannot write the data).
 *
 *   const cluster = await startGaleraCluster(3);
 *   cluster.nodes[1].url   // mysql://dbkit:…@127.0.0.1:<port>/  (node 2)
 *   await cluster.stop();  // also on failure: kills every node, deletes the data
 */
import { execFileSync, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import {
  TEST_PASSWORD,
  cleanUpOnExit,
  findExecutable,
  findMariadb,
  freePort,
  isRoot,
  removeDir,
  run,
  spawnTracked,
  startServer,
  tempDir,
} from './servers.js';

export const GALERA_LIBRARY = '/usr/lib/galera/libgalera_smm.so';

export interface GaleraNode {
  /** wsrep_node_name: node1, node2, … */
  name: string;
  port: number;
  /** Admin URL without a database (user dbkit, all privileges), password included. */
  url: string;
  /** Stop this node (SIGTERM) and delete its data. */
  stop(): Promise<void>;
}

export interface GaleraCluster {
  nodes: GaleraNode[];
  /** Stop every node that still runs and delete their data. */
  stop(): Promise<void>;
}

/** Why a Galera cluster cannot be started here, or null when it can. */
export function galeraMissing(): string | null {
  if (!existsSync(GALERA_LIBRARY)) return `${GALERA_LIBRARY} not found (apt-get install galera-4)`;
  if (!findMariadb()) return 'mariadbd not found (apt-get install mariadb-server)';
  if (!findExecutable(['rsync'])) return 'rsync not found (apt-get install rsync), needed for state transfer';
  if (!findExecutable(['wsrep_sst_rsync'], ['/usr/bin'])) return 'wsrep_sst_rsync not found (mariadb-server)';
  return null;
}

/** uid/gid of the `mysql` user, the nodes' user when we are root. */
function mysqlUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'mysql'], { encoding: 'utf8', stdio: 'pipe' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('dbkit tests: running as root, but there is no `mysql` user to run the Galera nodes as (rsync SST cannot run as root)');
  }
}

interface Ports {
  sql: number;
  gcomm: number;
  ist: number;
  sst: number;
}

async function ports(): Promise<Ports> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!taken.has(p)) {
        taken.add(p);
        return p;
      }
    }
  };
  return { sql: await next(), gcomm: await next(), ist: await next(), sst: await next() };
}

async function wsrepStatus(url: string): Promise<Map<string, string>> {
  const conn = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_cluster_status')",
    );
    return new Map(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
  } finally {
    await conn.end();
  }
}

interface NodePlan {
  name: string;
  ports: Ports;
  dir: string;
}

/** mariadbd's arguments for one node. */
function nodeArgs(plan: NodePlan, peers: string, first: boolean, asMysql: boolean): string[] {
  const { dir, ports: p, name } = plan;
  return [
    '--no-defaults',
    `--datadir=${join(dir, 'data')}`,
    ...(asMysql ? ['--user=mysql'] : []),
    `--port=${p.sql}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${join(dir, 'error.log')}`,
    ...(first ? [`--init-file=${join(dir, 'init.sql')}`] : []),
    '--skip-name-resolve',
    '--skip-log-bin',
    '--skip-performance-schema',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    '--innodb-use-native-aio=0',
    '--max-connections=300',
    // What Galera needs: row events, interleaved auto-increment locks.
    '--binlog-format=ROW',
    '--innodb-autoinc-lock-mode=2',
    '--wsrep-on=ON',
    `--wsrep-provider=${GALERA_LIBRARY}`,
    `--wsrep-cluster-address=gcomm://${first ? '' : peers}`,
    '--wsrep-cluster-name=dbkit_test',
    `--wsrep-node-name=${name}`,
    `--wsrep-node-address=127.0.0.1:${p.gcomm}`,
    `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${p.gcomm};ist.recv_addr=127.0.0.1:${p.ist};gcache.size=32M`,
    '--wsrep-sst-method=rsync',
    `--wsrep-sst-receive-address=127.0.0.1:${p.sst}`,
    ...(first ? ['--wsrep-new-cluster'] : []),
  ];
}

export async function startGaleraCluster(size = 3): Promise<GaleraCluster> {
  const missing = galeraMissing();
  if (missing) throw new Error(`dbkit tests: cannot start a Galera cluster: ${missing}`);
  cleanUpOnExit();
  const { mariadbd, installDb } = findMariadb()!;
  const owner = mysqlUser();
  const plans: NodePlan[] = [];
  const nodes: GaleraNode[] = [];
  const stopAll = async (): Promise<void> => {
    // Joiners first, the bootstrap node last: each leaves the cluster cleanly.
    for (const n of nodes.splice(0).reverse()) await n.stop().catch(() => undefined);
    await Promise.allSettled(plans.splice(0).map((p) => removeDir(p.dir)));
  };
  try {
    for (let i = 0; i < size; i++) {
      plans.push({ name: `node${i + 1}`, ports: await ports(), dir: await tempDir(`dbkit-test-galera${i + 1}-`, owner) });
    }
    const peers = plans.map((p) => `127.0.0.1:${p.ports.gcomm}`).join(',');
    const startNode = async (plan: NodePlan, first: boolean): Promise<GaleraNode> => {
      const dataDir = join(plan.dir, 'data');
      if (first) {
        await run(installDb, ['--no-defaults', `--datadir=${dataDir}`, ...(owner ? ['--user=mysql'] : []), '--auth-root-authentication-method=normal', '--skip-test-db']);
        const grant = `CREATE USER IF NOT EXISTS 'dbkit'@'%' IDENTIFIED BY '${TEST_PASSWORD}';\nGRANT ALL PRIVILEGES ON *.* TO 'dbkit'@'%' WITH GRANT OPTION;\n`;
        await writeFile(join(plan.dir, 'init.sql'), grant, { mode: 0o644 });
      } else {
        // Empty: the node receives the whole data directory from a donor (rsync SST).
        await run('mkdir', ['-p', dataDir], owner ?? {});
      }
      const url = `mysql://dbkit:${TEST_PASSWORD}@127.0.0.1:${plan.ports.sql}/`;
      const ready = async (): Promise<string> => {
        const s = await wsrepStatus(url);
        if (s.get('wsrep_local_state_comment') !== 'Synced') throw new Error(`${plan.name} is ${s.get('wsrep_local_state_comment')}`);
        return s.get('wsrep_cluster_size') ?? '?';
      };
      const errLog = join(plan.dir, 'error.log');
      const logs = (): string => (existsSync(errLog) ? readFileSync(errLog, 'utf8').split('\n').slice(-40).join('\n') : '(no error log)');
      const args = nodeArgs(plan, peers, first, !!owner);
      const spawnOpts: SpawnOptions = { stdio: 'ignore' };
      const { stop } = await startServer(plan.dir, () => spawnTracked(mariadbd, args, spawnOpts, 'SIGKILL'), 'SIGTERM', ready, logs);
      return { name: plan.name, port: plan.ports.sql, url, stop };
    };
    nodes.push(await startNode(plans[0]!, true));
    // One joiner after the other: the donor serves one state transfer at a time anyway.
    for (const plan of plans.slice(1)) nodes.push(await startNode(plan, false));
    nodes.sort((a, b) => a.name.localeCompare(b.name));
    // Every node sees all the others.
    for (const n of nodes) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const s = await wsrepStatus(n.url);
        if (Number(s.get('wsrep_cluster_size')) === size && s.get('wsrep_cluster_status') === 'Primary') break;
        if (Date.now() > deadline) throw new Error(`dbkit tests: ${n.name} sees a cluster of ${s.get('wsrep_cluster_size')}, not ${size}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { nodes: [...nodes], stop: stopAll };
}

/**
 * One statement on a Galera node, after wsrep_sync_wait = 15: it sees every
 * write the cluster committed before it (a plain read right after a commit
 * on another node may not: nodes apply write-sets asynchronously).
 */
export async function galeraQuery<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const conn = await mysql.createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  try {
    await conn.query('SET SESSION wsrep_sync_wait = 15');
    const [rows] = await conn.query(sql, params);
    return Array.isArray(rows) ? (rows as T[]) : [];
  } finally {
    await conn.end().catch(() => undefined);
  }
}
