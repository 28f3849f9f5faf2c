/**
 * PostgreSQL's side of the running-work probe (src/migrate/apply/running-work.ts):
 * the other sessions of this database that run a statement or hold a
 * transaction open, from pg_stat_activity, with the progress of an index
 * being built from pg_stat_progress_create_index. Only sessions that can be
 * dbkit's: a query behind dbkit's comment, or a session named `dbkit`
 * (its default application_name; older versions sent statements untagged).
 */
import type { Sql } from '../../src/port/sql.js';
import type { ServerStatement, WorkProbe } from '../../src/port/work-probe.js';

export const RUNNING_WORK = `SELECT a.pid AS id, a.state AS state, a.query AS query,
  floor(extract(epoch FROM now() - coalesce(a.query_start, a.xact_start, a.backend_start)))::int AS seconds,
  p.phase AS phase, p.blocks_done AS blocks_done, p.blocks_total AS blocks_total, p.tuples_done AS tuples_done, p.tuples_total AS tuples_total
FROM pg_stat_activity a LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
  AND a.state IN ('active', 'idle in transaction', 'idle in transaction (aborted)', 'fastpath function call')
  AND (a.query LIKE '/* dbkit %' OR a.application_name = 'dbkit')
ORDER BY a.query_start`;

interface Row {
  id: number;
  state: string;
  query: string;
  seconds: number | null;
  phase: string | null;
  blocks_done: string | number | null;
  blocks_total: string | number | null;
  tuples_done: string | number | null;
  tuples_total: string | number | null;
}

const pct = (done: Row['blocks_done'], total: Row['blocks_total']): string | null => {
  const d = Number(done);
  const t = Number(total);
  return total !== null && t > 0 ? `${Math.floor((100 * d) / t)}%` : null;
};

/** `building index: scanning table, 41% of blocks` from a pg_stat_progress_create_index row. */
export function indexProgress(r: Pick<Row, 'phase' | 'blocks_done' | 'blocks_total' | 'tuples_done' | 'tuples_total'>): string | null {
  if (!r.phase) return null;
  const blocks = pct(r.blocks_done, r.blocks_total);
  const tuples = pct(r.tuples_done, r.tuples_total);
  return `${r.phase}${blocks ? `, ${blocks} of blocks` : tuples ? `, ${tuples} of tuples` : ''}`;
}

export const postgresWorkProbe: WorkProbe = {
  server: 'PostgreSQL',
  session: 'session',
  async list(sql: Sql): Promise<ServerStatement[]> {
    const rows = await sql.query<Row>(RUNNING_WORK);
    return rows.map((r) => ({ id: Number(r.id), state: r.state, query: r.query ?? '', seconds: Number(r.seconds ?? 0), progress: indexProgress(r) }));
  },
  howToEnd: (s) => (s.state === 'active' ? `SELECT pg_cancel_backend(${s.id})` : `SELECT pg_terminate_backend(${s.id})`),
};
