/**
 * Foreign keys of other tables that reference a set of tables (MySQL 8 and
 * MariaDB: information_schema.REFERENTIAL_CONSTRAINTS). `seed --truncate`
 * empties the schema's tables with foreign_key_checks off (TRUNCATE refuses
 * referenced tables otherwise): a table outside the schema that references
 * one of them would keep rows pointing at ids the next load hands out again.
 * PostgreSQL refuses such a TRUNCATE itself, naming the table.
 */
import { ident } from './quote.js';

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** `child`.`name` -> `parent`, for every foreign key of a table outside `tables` that references one of them. */
export const FOREIGN_REFERENCES_SQL = (count: number): string =>
  `SELECT TABLE_NAME AS child, CONSTRAINT_NAME AS name, REFERENCED_TABLE_NAME AS parent, CONSTRAINT_SCHEMA AS db
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE UNIQUE_CONSTRAINT_SCHEMA = ? AND REFERENCED_TABLE_NAME IN (${marks(count)})
  AND NOT (CONSTRAINT_SCHEMA = ? AND TABLE_NAME IN (${marks(count)}))
ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`;

/** `audit references users (foreign key audit_ibfk_1)`, one per foreign key (the database named when it is another). */
export async function mysqlForeignReferences(
  sql: { query<T>(q: string, params?: readonly unknown[]): Promise<T[]> },
  database: string,
  tables: readonly string[],
): Promise<string[]> {
  if (!tables.length) return [];
  const rows = await sql.query<{ child: string; name: string; parent: string; db: string }>(FOREIGN_REFERENCES_SQL(tables.length), [database, ...tables, database, ...tables]);
  return rows.map((r) => `${r.db === database ? r.child : `${ident(r.db)}.${ident(r.child)}`} references ${r.parent} (foreign key ${r.name})`);
}
