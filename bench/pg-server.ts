/**
 * A throwaway PostgreSQL server for the bench scripts, from the system's
 * binaries (initdb + postgres): a fresh data directory under the temp dir,
 * a free port on 127.0.0.1, password authentication. `stop()` shuts it down
 * and deletes the directory; `kill()` is the synchronous last resort for
 * process 'exit'. As root, the server runs as the `postgres` user.
 *
 * (Ideas from test/support/global-setup.ts; the bench does not import test code.)
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface PgServer {
  /** Admin URL (database `postgres`), password included. */
  url: string;
  /** The directory of the server's binaries (pg_dump of the same version lives there). */
  binDir: string;
  description: string;
  stop(): Promise<void>;
  kill(): void;
}

const PASSWORD = 'dbkit-bench-pw';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const PG_DIRS = ['/usr/local/bin', '/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/18/bin'];

/** First `name` on PATH, then in `extraDirs`. */
export function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root but there is no "postgres" user to run PostgreSQL as (useradd -r postgres)');
  }
}

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** Run to completion; reject with the output on failure. */
async function run(cmd: string, args: string[], options: SpawnOptions): Promise<void> {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${output.slice(-4000)}`);
}

async function ready(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => true)]);
  if (timedOut && alive(child)) {
    child.kill('SIGKILL');
    await exited;
  }
}

export async function startPostgres(): Promise<PgServer> {
  const initdb = findExecutable('initdb', PG_DIRS);
  const postgres = findExecutable('postgres', PG_DIRS);
  if (!initdb || !postgres) {
    throw new Error('no PostgreSQL server binaries found (initdb/postgres not on PATH nor in /usr/lib/postgresql/*/bin); install postgresql or set DBKIT_BENCH_PG_URL');
  }
  const binDir = dirname(realpathSync(postgres));
  const owner = postgresUser();
  const asOwner: SpawnOptions = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'dbkit-bench-pg-'));
  const dataDir = join(dir, 'data');
  const pwFile = join(dir, 'pwfile');
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const env = { ...process.env, LC_ALL: 'C' };
  let child: ChildProcess | undefined;
  let log = '';
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    await writeFile(pwFile, `${PASSWORD}\n`, { mode: 0o644 });
    await run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'], { ...asOwner, env, cwd: dir });
    const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
    // Own process group: a Ctrl-C in the terminal reaches the bench, which then stops the server itself.
    child = spawn(postgres, ['-D', dataDir, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
      ...asOwner,
      env,
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (d: Buffer): void => void (log = (log + d.toString()).slice(-8000));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (!alive(child)) throw new Error(`postgres exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${log}`);
      try {
        await ready(url);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`postgres not ready after ${START_TIMEOUT_MS / 1000} s (${String(err)}):\n${log}`);
      }
      await sleep(100);
    }
  } catch (err) {
    if (child) await stopChild(child, 'SIGQUIT');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const server = child;
  let stopped = false;
  return {
    url,
    binDir,
    description: `throwaway PostgreSQL (${postgres}) on 127.0.0.1:${port}, data in ${dir}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopChild(server, 'SIGINT'); // fast shutdown
      await rm(dir, { recursive: true, force: true });
    },
    kill() {
      if (stopped) return;
      stopped = true;
      if (alive(server)) server.kill('SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
