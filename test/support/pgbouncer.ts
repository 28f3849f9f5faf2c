/**
 * A throwaway PgBouncer (the system's /usr/sbin/pgbouncer) in front of a
 * PostgreSQL server, on a free loopback port, for the pooler tests:
 * transaction pooling by default, SCRAM authentication from a userlist that
 * holds the server's password (PgBouncer logs in to the server with it).
 *
 *   const bouncer = await startPgBouncer(pgAdminUrl());
 *   bouncer.url('mydb')    // postgres://postgres:…@127.0.0.1:<bouncer port>/mydb
 *   await bouncer.stop();  // kills it, deletes its directory
 */
import { writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { cleanUpOnExit, findExecutable, freePort, pgOwner, spawnTracked, startServer, tempDir } from './servers.js';

export interface PgBouncer {
  port: number;
  /** URL of `database` through PgBouncer, with the server URL's user and password. */
  url(database: string): string;
  /** The end of PgBouncer's log (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  poolMode?: 'session' | 'transaction' | 'statement';
  /** Server connections per database and user (default 10). */
  poolSize?: number;
}

/** Why PgBouncer cannot be started here, or null when it can. */
export function pgbouncerMissing(): string | null {
  return findExecutable(['pgbouncer'], ['/usr/sbin', '/usr/local/sbin']) ? null : 'pgbouncer not found (apt-get install pgbouncer)';
}

const quoteUserlist = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export async function startPgBouncer(serverUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const bin = findExecutable(['pgbouncer'], ['/usr/sbin', '/usr/local/sbin']);
  if (!bin) throw new Error(`dbkit tests: ${pgbouncerMissing()}`);
  cleanUpOnExit();
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  // PgBouncer refuses to run as root.
  const owner = pgOwner();
  const dir = await tempDir('dbkit-test-pgbouncer-', owner);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  const log = join(dir, 'pgbouncer.log');
  await writeFile(join(dir, 'userlist.txt'), `${quoteUserlist(user)} ${quoteUserlist(password)}\n`, { mode: 0o644 });
  await writeFile(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 10}`,
      'max_client_conn = 500',
      // Each test database gets a pool of its own: idle server connections go soon, not after 10 minutes.
      'server_idle_timeout = 5',
      `logfile = ${log}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const url = (database: string): string => {
    const u = new URL(serverUrl);
    u.port = String(port);
    u.pathname = `/${encodeURIComponent(database)}`;
    return u.toString();
  };
  const ready = async (): Promise<string> => {
    const client = new pg.Client({ connectionString: url(server.pathname.replace(/^\//, '') || 'postgres'), connectionTimeoutMillis: 2000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return 'ok';
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const logs = (): string => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-200).join('\n') : '(no log)');
  // It logs to its file (and to stderr, which nobody reads: ignored, or a full pipe would stop it). SIGTERM: immediate shutdown.
  const { stop } = await startServer(dir, () => spawnTracked(bin, [ini], { ...(owner ?? {}), cwd: dir, stdio: 'ignore' }, 'SIGKILL'), 'SIGTERM', ready, logs);
  return { port, url, logs, stop };
}
