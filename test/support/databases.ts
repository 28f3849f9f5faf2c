/**
 * Test helpers for the real database servers started by global-setup.ts.
 *
 *   const db = await freshPostgres('migrate');   // new database, URL with password
 *   try { ... run dbkit with --url db.url ... } finally { await db.drop(); }
 *
 * Server admin URLs come from vitest's inject() (or, outside a vitest worker,
 * from DBKIT_TEST_PG_URL / DBKIT_TEST_MYSQL_URL).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import type { DbkitProvidedContext } from './global-setup.js';

export interface FreshDatabase {
  /** Connection URL for the new database, password included (usable as `--url`). */
  url: string;
  /** Database name (for pglite: the data directory). */
  name: string;
  /** Drops the database (pglite: deletes the directory). Safe to call twice. */
  drop(): Promise<void>;
}

export interface ClientResult {
  stdout: string;
  stderr: string;
}

export type Row = Record<string, unknown>;

const ENV_KEYS: Record<keyof DbkitProvidedContext, string> = {
  dbkitPgUrl: 'DBKIT_TEST_PG_URL',
  dbkitMysqlUrl: 'DBKIT_TEST_MYSQL_URL',
};

function provided(key: keyof DbkitProvidedContext): string {
  let url: string | undefined;
  try {
    url = inject(key);
  } catch {
    // not inside a vitest worker
  }
  url ||= process.env[ENV_KEYS[key]];
  if (!url) throw new Error(`no ${ENV_KEYS[key]}: run the tests through vitest (test/support/global-setup.ts) or set it`);
  return url;
}

/** Admin URL of the PostgreSQL test server (database `postgres`). */
export const pgAdminUrl = (): string => provided('dbkitPgUrl');
/** Admin URL of the MariaDB/MySQL test server (no database). */
export const mysqlAdminUrl = (): string => provided('dbkitMysqlUrl');

/** `url` pointing at database `name` instead. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

/** A database name nobody else uses: `<prefix>_<time>_<random>`, lowercase, <= 63 chars. */
export function uniqueName(prefix = 'dbkit'): string {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 32) || 'dbkit';
  return `${clean}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

type Engine = 'postgres' | 'mysql' | 'pglite';

function engineOf(url: string): Engine {
  if (url.startsWith('pglite:')) return 'pglite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mysql';
  throw new Error(`unsupported test database URL: ${url}`);
}

function pgliteDir(url: string): string {
  return url.slice('pglite:'.length).replace(/^\/\//, '');
}

async function withPg<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function withMysql<T>(url: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: url, multipleStatements: true, dateStrings: true });
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function withPglite<T>(url: string, fn: (db: import('@electric-sql/pglite').PGlite) => Promise<T>): Promise<T> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(pgliteDir(url));
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Run ONE statement (with optional `$1`/`?` params) and return its rows
 * ([] for statements without a result set). Works on postgres://, mysql:// and pglite: URLs.
 */
export async function adminQuery<T extends Row = Row>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  switch (engineOf(url)) {
    case 'postgres':
      return withPg(url, async (c) => (await c.query<T>(sql, params)).rows);
    case 'mysql':
      return withMysql(url, async (c) => {
        const [result] = await c.query(sql, params);
        return Array.isArray(result) ? (result as unknown as T[]) : [];
      });
    case 'pglite':
      return withPglite(url, async (db) => (await db.query<T>(sql, params)).rows);
  }
}

/** Run a whole SQL script (several statements, no params) over the driver. */
export async function adminExec(url: string, script: string): Promise<void> {
  switch (engineOf(url)) {
    case 'postgres':
      await withPg(url, (c) => c.query(script));
      return;
    case 'mysql':
      await withMysql(url, (c) => c.query(script));
      return;
    case 'pglite':
      await withPglite(url, (db) => db.exec(script));
      return;
  }
}

const quotePg = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const quoteMysql = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** A new, empty database on the PostgreSQL test server. */
export async function freshPostgres(prefix = 'dbkit'): Promise<FreshDatabase> {
  const admin = pgAdminUrl();
  const name = uniqueName(prefix);
  await adminQuery(admin, `CREATE DATABASE ${quotePg(name)}`);
  return {
    url: withDatabase(admin, name),
    name,
    drop: async () => {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${quotePg(name)} WITH (FORCE)`);
    },
  };
}

/** A new, empty database on the MariaDB/MySQL test server. */
export async function freshMysql(prefix = 'dbkit'): Promise<FreshDatabase> {
  const admin = mysqlAdminUrl();
  const name = uniqueName(prefix);
  await adminQuery(admin, `CREATE DATABASE ${quoteMysql(name)}`);
  return {
    url: withDatabase(admin, name),
    name,
    drop: async () => {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${quoteMysql(name)}`);
    },
  };
}

/**
 * A PGlite location in a fresh temp directory: `pglite:<tmp>/db` (not created
 * yet; dbkit creates it and puts its lock file next to it). drop() removes it all.
 */
export async function freshPglite(prefix = 'dbkit'): Promise<FreshDatabase> {
  const parent = await mkdtemp(join(tmpdir(), `dbkit-test-pglite-${prefix.replace(/[^a-zA-Z0-9_-]/g, '_')}-`));
  const dir = join(parent, 'db');
  return { url: `pglite:${dir}`, name: dir, drop: () => rm(parent, { recursive: true, force: true }) };
}

// ------------------------------------------------------ command-line clients

function findClient(names: string[], preferredDirs: string[]): string | undefined {
  const dirs = [...preferredDirs, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const name of names) for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

function runClient(cmd: string, args: string[], sql: string, env: NodeJS.ProcessEnv): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined); // client may exit before reading everything
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${cmd} failed (exit ${code ?? signal}):\n${stderr || stdout}`));
    });
    child.stdin.end(sql);
  });
}

/** Pipe `sql` through the real `psql` (ON_ERROR_STOP=1, no psqlrc); rejects with psql's stderr. */
export async function runPsql(url: string, sql: string, extraArgs: string[] = []): Promise<ClientResult> {
  const psql = findClient(['psql'], ['/usr/local/bin']);
  if (!psql) throw new Error('psql not found: install it with `sudo apt-get install -y postgresql-client`');
  const env = { ...process.env, PGCONNECT_TIMEOUT: '10', PSQLRC: '/dev/null' };
  return runClient(psql, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...extraArgs, '-f', '-', '-d', url], sql, env);
}

/** Pipe `sql` through the real `mariadb` (or `mysql`) client in batch mode; rejects with its stderr. */
export async function runMysqlClient(url: string, sql: string, extraArgs: string[] = []): Promise<ClientResult> {
  const client = findClient(['mariadb', 'mysql'], []);
  if (!client) throw new Error('mariadb/mysql client not found: install it with `sudo apt-get install -y mariadb-client`');
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const args = [
    '--no-defaults',
    '--protocol=TCP',
    `--host=${u.hostname || '127.0.0.1'}`,
    `--port=${u.port || '3306'}`,
    `--user=${decodeURIComponent(u.username)}`,
    '--batch',
    '--default-character-set=utf8mb4',
    ...extraArgs,
    ...(database ? [database] : []),
  ];
  return runClient(client, args, sql, { ...process.env, MYSQL_PWD: decodeURIComponent(u.password) });
}

/** One open admin connection for many queries (PGlite opens its directory once). `?` placeholders on MySQL, `$1` on PostgreSQL. */
export interface AdminConnection {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openAdmin(url: string): Promise<AdminConnection> {
  switch (engineOf(url)) {
    case 'postgres': {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      return { query: async (sql, params = []) => (await client.query(sql, params)).rows, close: () => client.end() };
    }
    case 'mysql': {
      const conn = await mysql.createConnection({ uri: url, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
      return {
        query: async <T extends Row>(sql: string, params: unknown[] = []) => {
          const [result] = await conn.query(sql, params);
          return Array.isArray(result) ? (result as unknown as T[]) : [];
        },
        close: () => conn.end(),
      };
    }
    case 'pglite': {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(pgliteDir(url));
      return { query: async <T extends Row>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows, close: () => db.close() };
    }
  }
}

/** Every row of every table, in id order, as text: equal dumps mean equal data. */
export async function dumpTables(db: { query(sql: string): Promise<Row[]> }, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const t of tables) {
    const rows = await db.query(`SELECT * FROM ${t} ORDER BY id`);
    parts.push(`${t}:${JSON.stringify(rows, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? String(v) : v))}`);
  }
  return parts.join('\n');
}

/** The number of rows of each of `tables`, through an admin connection. */
export async function tableCounts(url: string, tables: readonly string[]): Promise<Record<string, number>> {
  const admin = await openAdmin(url);
  try {
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await admin.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n);
    return out;
  } finally {
    await admin.close();
  }
}
