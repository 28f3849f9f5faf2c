/**
 * How each driver connects to a server URL: explicit node-postgres and
 * mysql2 options (never a connection string), with the TLS plan the URL asks for.
 */
import { pgTls, mysqlTls, tlsDecision, type TlsPlan } from './tls.js';
import { CONNECT_TIMEOUT_MS, parseServerUrl } from './server-url.js';

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
