/**
 * The names a migration could collide with, read from the live catalog of
 * one namespace in one query: relations (tables, views, indexes,
 * sequences: one name space on PostgreSQL), types, functions without
 * arguments, triggers, columns; on MySQL tables and views, indexes per
 * table, triggers, columns. Keys are `<kind>:<name>` or `<kind>:<table>.<name>`.
 */
import type { Session } from '../../db/connect.js';
import { engineOf } from '../../engines/index.js';

export async function existingNames(session: Session): Promise<Set<string>> {
  const out = new Set<string>();
  if (!session.namespaceExists) return out;
  const { sql, params } = engineOf(session).dialect.catalogNames;
  const rows = await session.sql.query<{ kind: string; parent: string | null; name: string }>(sql, Array(params).fill(session.namespace));
  for (const r of rows) out.add(r.parent ? `${r.kind}:${r.parent}.${r.name}` : `${r.kind}:${r.name}`);
  return out;
}
