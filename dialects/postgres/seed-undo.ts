/**
 * Taking back a seed on PostgreSQL (and PGlite): the rows of a table that
 * belong to some of the run's users, found by joining up the table's path
 * of foreign keys to users (src/rows/coverage.ts), one statement per batch
 * of users. The planner joins through the indexes of the path, or hashes a
 * side that has none: never a scan per row.
 */
import type { Hop } from '../../src/rows/coverage.js';
import { ident } from './quote.js';

/** `DELETE FROM t AS t0 USING p1 AS t1, ... WHERE t0.c = t1.id AND ... AND tN.user_id IN (?, ...)`: `users` placeholders. */
export function deleteByPathSql(namespace: string, table: string, path: readonly Hop[], users: number): string {
  if (!path.length) throw new Error(`${table}: no path to users`);
  const q = (t: string) => `${ident(namespace)}.${ident(t)}`;
  const joins = path.slice(0, -1).map((h, i) => `${q(h.parent)} AS t${i + 1}`);
  const conditions = path.slice(0, -1).map((h, i) => `t${i}.${ident(h.column)} = t${i + 1}.${ident(h.parentColumn)}`);
  const last = path.length - 1;
  conditions.push(`t${last}.${ident(path[last]!.column)} IN (${Array(users).fill('?').join(', ')})`);
  return `DELETE FROM ${q(table)} AS t0${joins.length ? ` USING ${joins.join(', ')}` : ''} WHERE ${conditions.join(' AND ')}`;
}
