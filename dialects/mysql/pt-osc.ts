/**
 * One ALTER TABLE through pt-online-schema-change (Percona Toolkit), for a
 * statement that would copy its table with writes blocked: the tool builds
 * the new table `_<table>_new`, keeps it in step with triggers
 * (`pt_osc_<db>_<table>_ins|upd|del`) while it copies the rows in chunks,
 * then swaps the two with one RENAME TABLE and drops the old one.
 *
 * Flags (decided, docs/online-changes.md): `--execute`,
 * `--alter-foreign-keys-method auto` (tables whose foreign keys reference
 * the altered one are pointed at the new table: rebuilt when small, else
 * drop_swap), `--charset utf8mb4`, the old table dropped after the swap
 * (the default: `_<table>_old` would show as drift, and the rows are in the
 * new table), the tool's own load and replica-lag checks left on. Foreign
 * keys of the altered table come back with the tool's `_` prefix on their
 * names (the definitions leave those names to the engine).
 *
 * The password never reaches the command line: the connection goes in an
 * option file (`--defaults-file`, mode 0600 in a private temporary
 * directory, removed after). A TLS connection is refused: dbkit does not
 * hand its TLS settings to the tool.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scrub } from '../../src/shared/secrets.js';
import { ident } from './quote.js';

export const PT_OSC = 'pt-online-schema-change';

/** `ALTER TABLE \`t\` <clauses>` -> the table and the clauses (what --alter takes), or null. */
export function parseAlter(sql: string): { table: string; alter: string } | null {
  const m = /^ALTER TABLE `((?:[^`]|``)+)` ([\s\S]+)$/.exec(sql.trim());
  if (!m) return null;
  return { table: m[1]!.replace(/``/g, '`'), alter: m[2]! };
}

export interface PtOscConnection {
  host: string;
  port: number;
  socketPath?: string;
  user: string;
  password: string;
}

/** A value of an option file, quoted; null when it cannot be written there (a line break, or both kinds of quote). */
export function optionValue(value: string): string | null {
  if (/[\r\n]/.test(value)) return null;
  const escaped = value.replace(/\\/g, '\\\\');
  if (!value.includes('"')) return `"${escaped}"`;
  if (!value.includes("'")) return `'${escaped}'`;
  return null;
}

/** The [client] section of the option file. */
export function optionFile(c: PtOscConnection): string | null {
  const values: [string, string][] = [
    ['user', c.user],
    ['password', c.password],
    ...(c.socketPath ? ([['socket', c.socketPath]] as [string, string][]) : ([['host', c.host], ['port', String(c.port)]] as [string, string][])),
  ];
  const lines = ['[client]'];
  for (const [k, v] of values) {
    const q = optionValue(v);
    if (q === null) return null;
    lines.push(`${k}=${q}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The arguments of one run (the option file first: the tool reads it before the rest). */
export function ptOscArgs(defaultsFile: string, database: string, table: string, alter: string): string[] {
  const dsn = (v: string) => v.replace(/([,\\])/g, '\\$1');
  return [
    `--defaults-file=${defaultsFile}`,
    '--alter',
    alter,
    '--execute',
    '--alter-foreign-keys-method=auto',
    '--charset=utf8mb4',
    '--progress=time,10',
    `D=${dsn(database)},t=${dsn(table)}`,
  ];
}

/** What the tool leaves when it is killed midway: its new table and its triggers. */
export function leftoverNames(database: string, table: string): { table: string; triggers: string[] } {
  return { table: `_${table}_new`, triggers: ['ins', 'upd', 'del'].map((k) => `pt_osc_${database}_${table}_${k}`) };
}

export const LEFTOVERS_SQL =
  "SELECT 'table' AS kind, TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? " +
  "UNION ALL SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? AND TRIGGER_NAME IN (?, ?, ?)";

export const dropLeftover = (kind: string, name: string): string => (kind === 'table' ? `DROP TABLE IF EXISTS ${ident(name)}` : `DROP TRIGGER IF EXISTS ${ident(name)}`);

/** Whether the tool is on PATH (its path), or null. */
export function findPtOsc(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, PT_OSC);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

export interface PtOscRun {
  exe: string;
  connection: PtOscConnection;
  database: string;
  table: string;
  alter: string;
  signal?: AbortSignal;
  /** Its progress lines. */
  onLine?(line: string): void;
}

/** How long the tool gets to clean up after a signal before it is killed. */
const CLEANUP_MS = 60_000;
const KEEP = 64 * 1024;

export class PtOscError extends Error {}

/** Run the tool once; resolves when it succeeded, rejects with its own last lines when not. */
export async function runPtOsc(run: PtOscRun): Promise<void> {
  const file = optionFile(run.connection);
  if (file === null) throw new PtOscError(`${PT_OSC}: the user name or password cannot be written to an option file (it holds a line break, or both kinds of quote); run this statement another way`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-ptosc-'));
  const defaults = path.join(dir, 'client.cnf');
  try {
    fs.writeFileSync(defaults, file, { mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      const child = spawn(run.exe, ptOscArgs(defaults, run.database, run.table, run.alter), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let partial = '';
      let killer: NodeJS.Timeout | undefined;
      const take = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        out = (out + text).slice(-KEEP);
        partial += text;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) run.onLine?.(scrub(l.trim()));
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const onAbort = () => {
        // The tool drops its triggers and new table when interrupted.
        child.kill('SIGINT');
        killer = setTimeout(() => child.kill('SIGKILL'), CLEANUP_MS);
      };
      run.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => reject(new PtOscError(`${PT_OSC} did not start: ${err.message}`)));
      child.on('close', (code, sig) => {
        run.signal?.removeEventListener('abort', onAbort);
        if (killer) clearTimeout(killer);
        if (code === 0) return resolve();
        const said = scrub(out)
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !/^(#|analyze_table|copy_rows|create_triggers|drop_triggers|swap_tables|update_foreign_keys|Operation, tries, wait:)/.test(l))
          .slice(-6)
          .join(' | ');
        reject(new PtOscError(`${PT_OSC} ${code !== null ? `exited ${code}` : `was killed (${sig})`} altering ${run.table}: ${said || 'it printed nothing'}`));
      });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
