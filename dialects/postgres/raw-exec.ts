/** Statements on a driver connection Knex holds (node-postgres, or PGlite through knex-pglite): src/port/connect.ts execOn. */
import type { Exec, Row } from '../../src/port/sql.js';

type PgResult = { rows?: Row[]; rowCount?: number | null; affectedRows?: number };
interface PgLike {
  query(sql: string, params?: unknown[]): Promise<PgResult | PgResult[]>;
}

export function postgresExecOn(connection: unknown): Exec {
  const c = connection as PgLike;
  return async (sql, params) => {
    const res = params ? await c.query(sql, [...params]) : await c.query(sql);
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    return { rows: last?.rows ?? [], affected: Number(last?.rowCount ?? last?.affectedRows ?? 0) };
  };
}
