/**
 * Database URLs: which engine, how each driver connects to it, and how it is
 * shown. The URL is split by dbkit itself (url-parts.ts), never by WHATWG
 * `URL` or a driver's connection-string parser, so that a password with a
 * raw `@`, `:`, space, quote or `%` reaches the server as written and the
 * host is the one after the last `@`; the drivers get explicit options.
 */
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { pgTls, mysqlTls, tlsDecision, type TlsPlan } from './tls.js';
import { displayOf, parseQuery, percentDecode, splitServerUrl, splitUserinfo, type UrlParts } from '../shared/url-parts.js';

export type Engine = 'postgres' | 'mysql' | 'pglite';

export interface Target {
  engine: Engine;
  /** The URL as given (never printed: use `display`). */
  url: string;
  /** The URL with its user name and password masked. */
  display: string;
  /** PGlite data directory, or null for `pglite:memory`. */
  pgliteDir?: string | null;
  /** MySQL database named in the URL, if any. */
  database?: string;
}

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

export const DEFAULT_PGLITE_DIR = path.join('.dbkit', 'pglite');

/** How long a connection attempt may take (an unreachable host must not hang a pipeline; mysql2's default is the same). */
export const CONNECT_TIMEOUT_MS = 10_000;

const SCHEMES: Record<string, 'postgres' | 'mysql'> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mariadb: 'mysql' };
const USE = 'use postgres://, postgresql://, mysql://, mariadb://, pglite:<dir> or pglite:memory';

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

/**
 * `pglite:<dir>` (a path, absolute or from the working directory) or
 * `pglite:memory` (any casing: MEMORY is no directory name anyone means;
 * `pglite:./MEMORY` is one). Refused (exit 2): a blank or space-padded
 * directory (`pglite: ` made a directory named " "), and `pglite://...`,
 * which reads as a host and made ./tmp/x of `pglite://tmp/x`.
 */
function pgliteTarget(url: string, cwd: string): Target {
  const rest = url.slice('pglite:'.length);
  if (rest.startsWith('//')) {
    throw new UsageError(`"${url}": a pglite URL takes a path, not //: write pglite:/tmp/x for an absolute directory or pglite:./tmp/x for one under the working directory`);
  }
  if (rest.trim() === '') throw new UsageError(`"${url}": a pglite URL needs a directory or "memory" after "pglite:" (pglite:./.dbkit/pglite, pglite:memory)`);
  if (rest.trim() !== rest) throw new UsageError(`"${url}": the directory of a pglite URL begins or ends with a space (a quoting mistake?): remove it`);
  if (rest.toLowerCase() === 'memory') return { engine: 'pglite', url, display: url, pgliteDir: null };
  return { engine: 'pglite', url, display: url, pgliteDir: path.resolve(cwd, rest) };
}

/** The URL a command uses: `from` names where it came from, for messages (`--url`, `DATABASE_URL`, ...). */
export function parseUrl(url: string, cwd = process.cwd(), from?: string): Target {
  if (url.trim() === '') throw new UsageError(`${from ?? 'the database URL'} is empty: give a database URL (${USE})`);
  if (url.startsWith('pglite:')) return pgliteTarget(url, cwd);
  const s = parseServerUrl(url, from);
  // Checked now, not at the first connection: a bad sslmode is a usage error.
  if (s.engine === 'postgres') pgTls(s.params);
  else mysqlTls(s.params);
  return { engine: s.engine, url, display: s.display, ...(s.engine === 'mysql' && s.database ? { database: s.database } : {}) };
}

/** The SQL dialect an engine speaks (PGlite is PostgreSQL). */
export const dialectOf = (engine: Engine): 'postgres' | 'mysql' => (engine === 'mysql' ? 'mysql' : 'postgres');

/** Where a postgres:// URL connects (libpq's `host`, `port` parameters override the URL's parts), and its TLS plan. */
export function pgServer(url: string) {
  const s = parseServerUrl(url);
  const host = s.params.host ?? (s.host || undefined);
  const port = s.params.port !== undefined ? Number(s.params.port) : s.port;
  const plan = pgTls(s.params);
  return { s, host, port, plan, key: `postgres:${host ?? ''}:${port ?? ''}` };
}

/** Where a mysql:// URL connects, and its TLS plan. */
export function mysqlServer(url: string) {
  const s = parseServerUrl(url);
  const host = s.host || '127.0.0.1';
  const port = s.port ?? 3306;
  const plan = mysqlTls(s.params);
  return { s, host, port, socketPath: s.params.socket || undefined, plan, key: `mysql:${s.params.socket || host}:${port}` };
}

/** Whether to use TLS now: allow/prefer read the decision made when the first connection was opened (src/db/tls-probe.ts). */
function useTls(plan: TlsPlan, key: string): boolean {
  if (plan.mode === 'disable') return false;
  if (plan.mode === 'allow' || plan.mode === 'prefer') return tlsDecision(key) ?? plan.mode === 'prefer';
  return true;
}

/** node-postgres options that pg passes through from a URL's parameters. */
const PG_PASSTHROUGH = ['options', 'fallback_application_name', 'client_encoding', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'query_timeout', 'keepalives', 'keepalives_idle'];

export interface PgConnectionOptions {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  application_name: string;
  connectionTimeoutMillis: number;
  ssl: false | TlsPlan['options'];
  [key: string]: unknown;
}

/** node-postgres options from a postgres:// URL (never its connectionString: see the top of this file). */
export function pgConnection(url: string): PgConnectionOptions {
  const { s, host, port, plan, key } = pgServer(url);
  const p = s.params;
  const user = p.user ?? s.user;
  const password = p.password ?? s.password;
  const database = p.dbname ?? s.database;
  const timeout = Number(p.connect_timeout);
  return {
    ...Object.fromEntries(PG_PASSTHROUGH.filter((k) => p[k] !== undefined).map((k) => [k, p[k]])),
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(database !== undefined ? { database } : {}),
    application_name: p.application_name ?? 'dbkit',
    connectionTimeoutMillis: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : CONNECT_TIMEOUT_MS,
    ssl: useTls(plan, key) ? plan.options : false,
  };
}

/** mysql2 connection options from a mysql:// or mariadb:// URL. */
export function mysqlConnection(url: string, database?: string) {
  const { s, host, port, socketPath, plan, key } = mysqlServer(url);
  const p = s.params;
  const timeout = Number(p.connectTimeout ?? p.connect_timeout);
  return {
    host,
    port,
    user: p.user ?? s.user ?? '',
    password: p.password ?? s.password ?? '',
    database: database ?? (s.database || undefined),
    ...(socketPath ? { socketPath } : {}),
    ...(p.charset ? { charset: p.charset } : {}),
    ...(useTls(plan, key) ? { ssl: plan.options } : {}),
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : CONNECT_TIMEOUT_MS,
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
  };
}
