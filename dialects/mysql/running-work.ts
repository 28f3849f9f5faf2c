/**
 * MySQL/MariaDB's side of the running-work probe (src/migrate/apply/running-work.ts):
 * the other connections of this database that run a statement, from
 * information_schema.PROCESSLIST (a role without PROCESS sees its own
 * connections: those of dbkit's runs under the same user). MariaDB adds the
 * progress of ALTER TABLE (STAGE, MAX_STAGE, PROGRESS); MySQL 8 has no such
 * columns, hence SELECT * (MySQL 8 keeps information_schema.PROCESSLIST,
 * deprecated in favour of performance_schema.processlist, with the same columns).
 */
import type { Sql } from '../../src/port/sql.js';
import type { ServerStatement, WorkProbe } from '../../src/port/work-probe.js';
import { ptOscProbe } from './pt-osc-work.js';

export const RUNNING_WORK = `SELECT * FROM information_schema.PROCESSLIST
WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND NOT IN ('Sleep', 'Daemon', 'Binlog Dump') AND INFO IS NOT NULL
ORDER BY TIME DESC`;

/** A PROCESSLIST row, columns upper-case on both servers. */
export type ProcessRow = Record<string, unknown>;

/** `stage 1 of 2 (altering table), 41%` from MariaDB's columns; null on MySQL. */
export function alterProgress(r: ProcessRow): string | null {
  const progress = r.PROGRESS;
  if (progress === undefined || progress === null || Number(progress) <= 0) return null;
  const stage = r.STAGE !== undefined && Number(r.MAX_STAGE) > 1 ? `stage ${r.STAGE} of ${r.MAX_STAGE}, ` : '';
  return `${stage}${Math.floor(Number(progress))}% done${r.STATE ? ` (${String(r.STATE)})` : ''}`;
}

/** A row as the probe reports it. */
export function fromProcessRow(r: ProcessRow): ServerStatement {
  return {
    id: Number(r.ID),
    state: String(r.STATE ?? ''),
    query: String(r.INFO ?? ''),
    seconds: Math.floor(Number(r.TIME ?? 0)),
    progress: alterProgress(r),
  };
}

export const mysqlWorkProbe: WorkProbe = {
  server: 'MySQL',
  session: 'connection',
  async list(sql: Sql): Promise<ServerStatement[]> {
    const rows = await sql.query<ProcessRow>(RUNNING_WORK);
    return rows.map((r) => fromProcessRow(Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toUpperCase(), v]))));
  },
  howToEnd: (s) => `KILL QUERY ${s.id}`,
  tool: ptOscProbe,
};
