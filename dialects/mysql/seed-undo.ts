/**
 * Taking back a seed on MySQL/MariaDB: the rows of a table that belong to
 * some of the run's users, found by joining up the table's path of foreign
 * keys to users (src/seed/coverage.ts), one statement per batch of users.
 * The multiple-table form, so that the server joins (MariaDB before 11.1
 * runs `IN (SELECT ...)` of a DELETE once per row).
 */
import type { Hop } from '../../src/seed/coverage.js';
import { ident } from './quote.js';

/** `DELETE t0 FROM t AS t0 JOIN p1 AS t1 ON t0.c = t1.id ... WHERE tN.user_id IN (?, ...)`: `users` placeholders. */
export function deleteByPathSql(namespace: string, table: string, path: readonly Hop[], users: number): string {
  if (!path.length) throw new Error(`${table}: no path to users`);
  const q = (t: string) => `${ident(namespace)}.${ident(t)}`;
  const joins = path.slice(0, -1).map((h, i) => ` JOIN ${q(h.parent)} AS t${i + 1} ON t${i}.${ident(h.column)} = t${i + 1}.${ident(h.parentColumn)}`);
  const last = path.length - 1;
  return `DELETE t0 FROM ${q(table)} AS t0${joins.join('')} WHERE t${last}.${ident(path[last]!.column)} IN (${Array(users).fill('?').join(', ')})`;
}
