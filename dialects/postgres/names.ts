/**
 * Namespaces as PostgreSQL has them: the system schemas dbkit never works
 * in (src/config/namespace.ts).
 */

/**
 * Why `name` is a system schema of PostgreSQL and no place for dbkit's
 * tables, or null: pg_catalog, information_schema, pg_toast, and each
 * session's pg_temp_N / pg_toast_temp_N (`pg_temp` itself names the
 * session's temporary schema). Every other name beginning with `pg_` is
 * reserved for system schemas too (CREATE SCHEMA refuses it). Compared as
 * written: dbkit quotes the namespace, and "PG_CATALOG" is another schema.
 */
export function postgresSystemNamespace(name: string): string | null {
  if (name === 'information_schema') return 'information_schema is the SQL-standard catalog of PostgreSQL';
  if (name === 'pg_catalog') return 'pg_catalog is the system catalog of PostgreSQL';
  if (/^pg_temp(_\d+)?$/.test(name) || /^pg_toast_temp(_\d+)?$/.test(name)) return `${name} is a session's temporary schema of PostgreSQL (dropped with the session)`;
  if (name === 'pg_toast') return 'pg_toast is where PostgreSQL keeps out-of-line values';
  if (name.startsWith('pg_')) return `${name} begins with pg_, which PostgreSQL reserves for system schemas`;
  return null;
}
