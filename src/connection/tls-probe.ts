/**
 * sslmode=allow|prefer (MySQL ssl-mode=PREFERRED): whether to use TLS with a
 * server is decided once per process, before the first connection, and
 * every later connection (Knex's pool, the lock session) reads it.
 *
 * - prefer: ask the server. PostgreSQL answers an SSLRequest with one byte
 *   ('S' or 'N') before any authentication; MySQL's greeting lists whether
 *   it can do TLS. So a server without TLS gets a plain connection, as psql
 *   and mysql do, instead of node-postgres' "The server does not support SSL
 *   connections".
 * - allow (PostgreSQL): a plain connection first; TLS only when the server
 *   refuses one without it (pg_hba.conf `hostssl`).
 * When the server cannot be reached, nothing is decided: the connection
 * itself then reports why.
 */
import net from 'node:net';
import path from 'node:path';
import { decideTls, tlsDecision } from './tls.js';
import { CONNECT_TIMEOUT_MS } from './server-url.js';
import { mysqlServer, pgConnection, pgServer } from './driver-options.js';

/** Send `hello` (if any) and resolve with the first `need(buffer)` bytes' verdict; undefined when the server cannot be asked. */
function ask(target: net.NetConnectOpts, hello: Buffer | null, verdict: (data: Buffer) => boolean | undefined | 'more'): Promise<boolean | undefined> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    const socket = net.connect(target);
    const end = (v: boolean | undefined) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => end(undefined));
    socket.once('connect', () => hello && socket.write(hello));
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      const v = verdict(data);
      if (v !== 'more') end(v);
    });
    socket.once('error', () => end(undefined));
    socket.once('close', () => end(undefined));
  });
}

/** PostgreSQL's SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

async function pgOffersTls(host: string | undefined, port: number | undefined): Promise<boolean | undefined> {
  const h = host ?? process.env.PGHOST ?? 'localhost';
  const p = port ?? (Number(process.env.PGPORT) || 5432);
  const target: net.NetConnectOpts = h.startsWith('/') ? { path: path.join(h, `.s.PGSQL.${p}`) } : { host: h, port: p };
  return ask(target, SSL_REQUEST, (data) => (data[0] === 0x53 ? true : data[0] === 0x4e ? false : undefined));
}

/** MySQL's greeting (protocol 10): the capability flags after the version, thread id and salt; CLIENT_SSL = 0x800. */
function mysqlGreetingTls(data: Buffer): boolean | undefined | 'more' {
  if (data.length < 4) return 'more';
  const length = data.readUIntLE(0, 3);
  if (data.length < 4 + length) return 'more';
  const payload = data.subarray(4, 4 + length);
  if (payload[0] !== 10) return undefined; // an error packet (too many connections, host blocked): let the connection say it
  const versionEnd = payload.indexOf(0, 1);
  const flagsAt = versionEnd + 1 + 4 + 8 + 1;
  if (versionEnd < 0 || payload.length < flagsAt + 2) return undefined;
  return (payload.readUInt16LE(flagsAt) & 0x0800) !== 0;
}

/** Whether a plain connection is refused for want of encryption (pg_hba.conf: hostssl only). */
async function pgRefusesPlain(url: string): Promise<boolean | undefined> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...pgConnection(url), ssl: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return false;
  } catch (err) {
    return /no encryption/i.test((err as Error).message) ? true : undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Decide allow/prefer for the server of `url`, once (a no-op for the other modes and for PGlite). */
export async function resolveTls(engine: 'postgres' | 'mysql', url: string): Promise<void> {
  // An engine test that cannot be a port method: src/connection lies below the engine port (the
  // dialects' connect areas call this before they open a driver), and each branch speaks one wire
  // protocol's TLS request (PostgreSQL's SSLRequest, MySQL's server greeting).
  if (engine === 'postgres') {
    const { host, port, plan, key } = pgServer(url);
    if ((plan.mode !== 'prefer' && plan.mode !== 'allow') || tlsDecision(key) !== undefined) return;
    const use = plan.mode === 'prefer' ? await pgOffersTls(host, port) : await pgRefusesPlain(url);
    if (use !== undefined) decideTls(key, use);
    return;
  }
  const { host, port, socketPath, plan, key } = mysqlServer(url);
  if ((plan.mode !== 'prefer' && plan.mode !== 'allow') || tlsDecision(key) !== undefined) return;
  const use = await ask(socketPath ? { path: socketPath } : { host, port }, null, mysqlGreetingTls);
  if (use !== undefined) decideTls(key, use);
}
