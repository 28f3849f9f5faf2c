/**
 * Server URLs (postgres://, mysql://): split by dbkit itself (url-parts.ts),
 * never by WHATWG `URL` or a driver's connection-string parser, so that a
 * password with a raw `@`, `:`, space, quote or `%` reaches the server as
 * written and the host is the one after the last `@`.
 */
import { UsageError } from '../shared/errors.js';
import { displayOf, parseQuery, percentDecode, splitServerUrl, splitUserinfo, type UrlParts } from '../shared/url-parts.js';

/** A postgres:// or mysql:// URL, split and decoded. */
export interface ServerUrl {
  engine: 'postgres' | 'mysql';
  user?: string;
  password?: string;
  /** Host name or address (an IPv6 address without its brackets); '' when the URL names none. */
  host: string;
  port?: number;
  database?: string;
  /** Query parameters, decoded. */
  params: Record<string, string>;
  display: string;
}

/** How long a connection attempt may take (an unreachable host must not hang a pipeline; mysql2's default is the same). */
export const CONNECT_TIMEOUT_MS = 10_000;

const SCHEMES: Record<string, 'postgres' | 'mysql'> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql' };
export const USE = 'use postgres://, postgresql://, mysql://, mariadb://, pglite:<dir> or pglite:memory';

/**
 * Why a URL is not usable, quoting none of it: with no `@`, what looks like
 * `host:port` may well be `user:password` with the host forgotten.
 */
const invalid = (from: string | undefined, why: string) => new UsageError(`not a valid database URL${from ? ` (${from})` : ''}: ${why}`);

function hostAndPort(hostport: string, from: string | undefined, withUser: boolean): { host: string; port?: number } {
  if (hostport.includes(',')) throw invalid(from, 'several hosts are not supported: name one');
  let host = hostport;
  let port: string | undefined;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) throw invalid(from, 'an IPv6 address needs its closing bracket');
    host = hostport.slice(1, close);
    const after = hostport.slice(close + 1);
    if (after && !after.startsWith(':')) throw invalid(from, 'only ":port" may follow an IPv6 address in brackets');
    port = after ? after.slice(1) : undefined;
  } else {
    const colons = hostport.split(':').length - 1;
    if (colons > 1) throw invalid(from, 'an IPv6 address must be written in brackets: [::1]:5432');
    if (colons === 1) [host, port] = hostport.split(':') as [string, string];
  }
  if (port !== undefined && port !== '') {
    const n = Number(port);
    if (!/^\d{1,5}$/.test(port) || n < 1 || n > 65535) {
      throw invalid(from, `the port is not a number from 1 to 65535${withUser ? '' : " (if that was user:password, the URL lacks its '@host')"}`);
    }
    return { host: percentDecode(host), port: n };
  }
  return { host: percentDecode(host) };
}

/** Split a server URL and check it: a UsageError (exit 2) that prints neither user name nor password when it is not usable. */
export function parseServerUrl(url: string, from?: string): ServerUrl {
  const split = splitServerUrl(url);
  if (!split.ok) {
    if (split.reason === 'ambiguous-at') {
      throw invalid(
        from,
        "an '@' follows a '/', '?' or '#': percent-encode '/', '?', '#' and '@' in the user name and password (%2F, %3F, %23, %40), and an '@' in the database name or a parameter (%40)",
      );
    }
    throw invalid(from, `it does not start with a scheme: ${USE}`);
  }
  const parts: UrlParts = split.parts;
  const display = displayOf(parts);
  const engine = SCHEMES[parts.scheme];
  if (!engine) throw new UsageError(`unsupported URL scheme "${parts.scheme}" in ${display}: ${USE}`);
  const { host, port } = hostAndPort(parts.hostport, from, parts.userinfo !== undefined);
  const auth = parts.userinfo ? splitUserinfo(parts.userinfo) : undefined;
  const database = percentDecode(parts.path.replace(/^\//, ''));
  return {
    engine,
    ...(auth?.user ? { user: auth.user } : {}),
    ...(auth?.password !== undefined ? { password: auth.password } : {}),
    host,
    ...(port !== undefined ? { port } : {}),
    ...(database ? { database } : {}),
    params: parseQuery(parts.query),
    display,
  };
}
