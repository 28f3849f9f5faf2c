/**
 * pt-online-schema-change still at work on the server (src/migrate/apply/running-work.ts):
 * a `dbkit migrate --online pt-osc` that is killed does not stop the tool
 * it started, which goes on copying rows into `_<table>_new` (or someone
 * else runs it on the same table). A re-run must not drop the tool's table
 * and triggers under it, nor start a second copy.
 *
 * Its statements carry the tool's comment (`/*pt-online-schema-change 4242
 * copy nibble*\/`, with the tool's process id) and name `_<table>_new`;
 * between two chunks its connection is idle, so the probe looks for a
 * short while, and once it has seen the tool's connections it follows
 * them (they stay open, idle, while the tool pauses for load or lag) until
 * they are gone. Information_schema.PROCESSLIST shows a role without PROCESS
 * its own connections: the tool started by dbkit runs as the same user.
 */
import type { Sql } from '../../src/port/sql.js';
import type { ToolProbe, ToolWork } from '../../src/port/work-probe.js';
import { leftoverNames, parseAlter, PT_OSC } from './pt-osc.js';

/** The database's other connections: the tool's are picked by what they run. */
export const TOOL_CONNECTIONS = `SELECT ID, USER, TIME, INFO FROM information_schema.PROCESSLIST
WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND INFO IS NOT NULL`;

export const TOOL_TABLES = (n: number): string =>
  `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${Array.from({ length: n }, () => '?').join(', ')})`;

export const LIVE_CONNECTIONS = (n: number): string => `SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN (${Array.from({ length: n }, () => '?').join(', ')})`;

const TOOL_COMMENT = /\/\*(?:explain )?pt-online-schema-change (\d+) /;

const upper = (r: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toUpperCase(), v]));

/** Which of `tables` a PROCESSLIST statement is the tool's work on (its new table named, or its comment and the table), or null. */
export function toolTable(info: string, database: string, tables: readonly string[]): string | null {
  const quoted = (t: string) => `\`${t.replace(/`/g, '``')}\``;
  for (const t of tables) {
    const fresh = leftoverNames(database, t).table;
    if (info.includes(quoted(fresh))) return t;
    if (TOOL_COMMENT.test(info) && info.includes(quoted(t))) return t;
  }
  return null;
}

/** A PROCESSLIST row as tool work on one of `tables`, or null. */
export function fromToolRow(row: Record<string, unknown>, database: string, tables: readonly string[]): ToolWork | null {
  const r = upper(row);
  const info = String(r.INFO ?? '');
  const table = toolTable(info, database, tables);
  if (!table) return null;
  const pid = TOOL_COMMENT.exec(info)?.[1];
  return { id: Number(r.ID), user: String(r.USER ?? ''), seconds: Math.floor(Number(r.TIME ?? 0)), statement: info, pid: pid ? Number(pid) : null, table };
}

export const ptOscProbe: ToolProbe = {
  name: PT_OSC,
  tables: (statements) => [...new Set(statements.flatMap((s) => parseAlter(s)?.table ?? []))],
  async leftovers(sql: Sql, database: string, tables: readonly string[]): Promise<string[]> {
    if (!tables.length) return [];
    const names = tables.map((t) => leftoverNames(database, t).table);
    const found = new Set((await sql.query<Record<string, unknown>>(TOOL_TABLES(names.length), names)).map((r) => String(upper(r).NAME)));
    return tables.filter((t) => found.has(leftoverNames(database, t).table));
  },
  async running(sql: Sql, database: string, tables: readonly string[]): Promise<ToolWork[]> {
    const rows = await sql.query<Record<string, unknown>>(TOOL_CONNECTIONS);
    return rows.flatMap((r) => fromToolRow(r, database, tables) ?? []);
  },
  async alive(sql: Sql, ids: readonly number[]): Promise<number[]> {
    if (!ids.length) return [];
    return (await sql.query<Record<string, unknown>>(LIVE_CONNECTIONS(ids.length), ids)).map((r) => Number(upper(r).ID));
  },
  describe: (w) =>
    `${PT_OSC}${w.pid !== null ? ` (process ${w.pid} on the machine that runs it)` : ''}, on MySQL connection ${w.id} as ${w.user}, is altering table ${w.table}: ` +
    `it has run ${w.statement.replace(/\s+/g, ' ').trim().slice(0, 100)}... for ${w.seconds}s`,
  howToEnd: (w, database) =>
    `${w.pid !== null ? `stop the tool with kill -INT ${w.pid} on the machine that runs it (it then drops its triggers and ${leftoverNames(database, w.table).table}), or ` : ''}` +
    `end its connection with KILL ${w.id} (the next dbkit run then drops what it left)`,
};
