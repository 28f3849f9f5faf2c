/**
 * The names a migration could collide with, read from the live catalog of
 * one namespace in one query: relations (tables, views, indexes,
 * sequences: one name space on PostgreSQL), types, functions without
 * arguments, triggers, columns; on MySQL tables and views, indexes per
 * table, triggers, columns. Keys are `<kind>:<name>` or `<kind>:<table>.<name>`.
 */
import type { Session } from '../../db/connect.js';

const POSTGRES = `
SELECT 'relation' AS kind, NULL AS parent, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?
UNION ALL
SELECT 'type', NULL, t.typname
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ?
UNION ALL
SELECT 'function', NULL, p.proname
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.pronargs = 0
UNION ALL
SELECT 'trigger', c.relname, g.tgname
  FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND NOT g.tgisinternal
UNION ALL
SELECT 'column', c.relname, a.attname
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`;

const MYSQL = `
SELECT 'relation' AS kind, CAST(NULL AS CHAR) AS parent, table_name AS name FROM information_schema.tables WHERE table_schema = ?
UNION ALL
SELECT DISTINCT 'index', table_name, index_name FROM information_schema.statistics WHERE table_schema = ?
UNION ALL
SELECT 'trigger', NULL, trigger_name FROM information_schema.triggers WHERE trigger_schema = ?
UNION ALL
SELECT 'column', table_name, column_name FROM information_schema.columns WHERE table_schema = ?`;

export async function existingNames(session: Session): Promise<Set<string>> {
  const out = new Set<string>();
  if (!session.namespaceExists) return out;
  const pg = session.config.dialect === 'postgres';
  const ns = session.namespace;
  const rows = await session.sql.query<{ kind: string; parent: string | null; name: string }>(pg ? POSTGRES : MYSQL, Array(pg ? 5 : 4).fill(ns));
  for (const r of rows) out.add(r.parent ? `${r.kind}:${r.parent}.${r.name}` : `${r.kind}:${r.name}`);
  return out;
}
