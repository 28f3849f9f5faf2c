/** Statements on a mysql2 connection Knex holds (its callback API): src/port/connect.ts execOn. */
import type { Exec, Row } from '../../src/port/sql.js';

interface MysqlLike {
  query(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown) => void): void;
  query(sql: string, cb: (err: Error | null, rows: unknown) => void): void;
}


export function mysqlExecOn(connection: unknown): Exec {
  const c = connection as MysqlLike;
  return (sql, params) =>
    new Promise((resolve, reject) => {
      const done = (err: Error | null, out: unknown) => {
        if (err) return reject(err);
        resolve(Array.isArray(out) ? { rows: out as Row[], affected: 0 } : { rows: [], affected: Number((out as { affectedRows?: number })?.affectedRows ?? 0) });
      };
      if (params) c.query(sql, [...params], done);
      else c.query(sql, done);
    });
}
