/**
 * TCP proxies in front of the suite's servers, for connection tests that
 * need what the servers themselves do not offer: an IPv6 address (the
 * servers listen on 127.0.0.1 only) and TLS (a PostgreSQL front that answers
 * SSLRequest with 'S' and terminates TLS with a throwaway certificate made
 * by `openssl`, then speaks plain to the real server).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

export interface Proxy {
  port: number;
  /** Connections that were upgraded to TLS (the TLS proxy only). */
  tlsSessions: number;
  close(): Promise<void>;
}

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b).pipe(a);
  const end = () => (a.destroy(), b.destroy());
  a.on('error', end);
  b.on('error', end);
  a.on('close', end);
  b.on('close', end);
}

async function listen(server: net.Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return (server.address() as net.AddressInfo).port;
}

const closer = (server: net.Server, sockets: Set<net.Socket>) => () =>
  new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });

/** A plain proxy listening on `host` (e.g. '::1') to `target`. */
export async function tcpProxy(host: string, target: { host: string; port: number }): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    pipeBoth(client, upstream);
  });
  const port = await listen(server, host);
  return { port, tlsSessions: 0, close: closer(server, sockets) };
}

/** Whether loopback IPv6 works here (the IPv6 tests need ::1). */
export async function hasIpv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  try {
    await listen(server, '::1');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

export interface Certificate {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** A self-signed certificate for `localhost` (DNS name only: 127.0.0.1 does not match it). */
export function selfSignedCertificate(): Certificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-tls-'));
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
    { stdio: 'pipe' },
  );
  return { dir, certFile, keyFile, cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
}

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/** A PostgreSQL front with TLS on 127.0.0.1: SSLRequest gets 'S' and a TLS session; a plain startup is passed through. */
export async function pgTlsProxy(target: { host: string; port: number }, certificate: Certificate): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const proxy: Proxy = { port: 0, tlsSessions: 0, close: async () => undefined };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('readable', function first() {
      const head: Buffer | null = client.read(8);
      if (head === null) return void client.once('readable', first);
      const upstream = net.connect(target.port, target.host);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      if (!head.equals(SSL_REQUEST)) {
        upstream.write(head);
        return pipeBoth(client, upstream);
      }
      client.write('S');
      const secure = new tls.TLSSocket(client, { isServer: true, cert: certificate.cert, key: certificate.key });
      secure.once('secure', () => (proxy.tlsSessions += 1));
      pipeBoth(secure as unknown as net.Socket, upstream);
    });
  });
  proxy.port = await listen(server, '127.0.0.1');
  proxy.close = closer(server, sockets);
  return proxy;
}
