/**
 * A driver's error (node-postgres, mysql2, PGlite) in the server's own words:
 * its message and code, then the first line of the statement it failed on.
 *
 * Knex writes the statement, with its bound values spelled out, in front of
 * the server's message (`<sql> - <message>`): a multi-line catalog query then
 * left only its first line as the whole error. dbkit's Knex instances are
 * made with `compileSqlOnError: false` (no values in the text) and
 * knexQueryError() takes the statement back off, recording it beside the
 * error instead; driverSql and PGlite record it the same way (annotate()).
 */
import { ExitCode } from '../shared/errors.js';

const STATEMENT = 'dbkitStatement';

interface DriverFields {
  message?: string;
  code?: string;
  errno?: number;
  sqlMessage?: string;
  sqlState?: string;
  severity?: string;
  /** PostgreSQL's DETAIL and HINT (node-postgres and PGlite keep them beside the message). */
  detail?: string;
  hint?: string;
  [STATEMENT]?: string;
}

/** Record the statement an error came from (the first recorded wins: the innermost). */
export function annotate<E>(err: E, sql: string): E {
  if (err && typeof err === 'object' && (err as DriverFields)[STATEMENT] === undefined) {
    Object.defineProperty(err, STATEMENT, { value: sql, enumerable: false, configurable: true, writable: true });
  }
  return err;
}

/** Knex's 'query-error' event: the server's message back as the message, the statement beside it. */
export function knexQueryError(err: unknown, query: { sql?: unknown }): void {
  if (!(err instanceof Error) || typeof query?.sql !== 'string') return;
  const prefix = `${query.sql} - `;
  if (err.message.startsWith(prefix)) err.message = err.message.slice(prefix.length);
  annotate(err, query.sql);
}

/** The statement recorded for an error, if any. */
export const statementOf = (err: unknown): string | undefined =>
  err && typeof err === 'object' ? (err as DriverFields)[STATEMENT] : undefined;

/** node-postgres and PGlite: a five-character SQLSTATE; mysql2: sqlMessage and errno. */
export function sqlStateOf(err: unknown): string | undefined {
  const e = (err ?? {}) as DriverFields;
  if (typeof e.sqlState === 'string') return e.sqlState;
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined;
}

/** True for an error a database server sent (not a network or programming error). */
export function isServerError(err: unknown): boolean {
  const e = (err ?? {}) as DriverFields;
  return typeof e.sqlMessage === 'string' || (sqlStateOf(err) !== undefined && typeof e.message === 'string');
}

/** The first line of a statement, at most 100 characters. */
export function firstLine(sql: string): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * The server's message, its DETAIL and HINT where it gave them (PostgreSQL:
 * which table references which, what to do), and its code:
 * `canceling statement due to statement timeout (SQLSTATE 57014)`,
 * `cannot truncate a table referenced in a foreign key constraint; detail: Table "x" references "users".; hint: ... (SQLSTATE 0A000)`.
 */
export function serverMessage(err: unknown): string {
  const e = (err ?? {}) as DriverFields;
  if (e.sqlMessage) return `${oneLine(e.sqlMessage)}${e.code ? ` (${e.code})` : ''}`;
  let text = oneLine(e.message ?? String(err));
  for (const [what, value] of [['detail', e.detail], ['hint', e.hint]] as const) {
    if (typeof value === 'string' && value.trim() && !text.includes(oneLine(value))) text += `; ${what}: ${oneLine(value)}`;
  }
  const state = sqlStateOf(err);
  return state && !text.includes(state) ? `${text} (SQLSTATE ${state})` : text;
}

/** One line for an error nothing else explained: the server's words, then the statement's first line. */
export function driverLine(err: unknown): string {
  if (!isServerError(err)) return ((err as Error)?.message ?? String(err)).split('\n')[0]!;
  const sql = statementOf(err);
  const line = sql ? `${serverMessage(err)}; statement: ${firstLine(sql)}` : serverMessage(err);
  return isLockWait(err) ? `gave up waiting for a lock another session holds (--lock-timeout): ${line}` : line;
}

/** MySQL error numbers and PostgreSQL SQLSTATEs that say something an exit code can carry. */
const LOCK_WAIT = new Set(['55P03']);
const MYSQL_LOCK_WAIT = new Set([1205]);
const READ_ONLY = new Set(['25006']);
const MYSQL_READ_ONLY = new Set([1290, 1792, 1836]);
const PRIVILEGE = new Set(['42501']);
const MYSQL_PRIVILEGE = new Set([1044, 1142, 1143, 1227]);

/** A lock not granted within lock_timeout (PostgreSQL) or lock_wait_timeout / innodb_lock_wait_timeout (MySQL). */
export function isLockWait(err: unknown): boolean {
  const e = (err ?? {}) as DriverFields;
  return (typeof e.errno === 'number' && e.sqlMessage !== undefined && MYSQL_LOCK_WAIT.has(e.errno)) || LOCK_WAIT.has(sqlStateOf(err) ?? '');
}

/** The exit code of the README's table for a server error nothing else classified, or null (exit 5). */
export function driverExitCode(err: unknown): ExitCode | null {
  if (!isServerError(err)) return null;
  const e = err as DriverFields;
  const state = sqlStateOf(err) ?? '';
  const mysql = typeof e.errno === 'number' && e.sqlMessage !== undefined ? e.errno : -1;
  if (isLockWait(err)) return ExitCode.lock;
  // 1290 is any "--option prevents this statement": read-only only when it says so.
  const mysqlReadOnly = MYSQL_READ_ONLY.has(mysql) && (mysql !== 1290 || /read[-_ ]only/i.test(e.sqlMessage ?? ''));
  if (READ_ONLY.has(state) || mysqlReadOnly) return ExitCode.readOnly;
  if (PRIVILEGE.has(state) || MYSQL_PRIVILEGE.has(mysql)) return ExitCode.privilege;
  return null;
}
