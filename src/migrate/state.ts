/** What the database says has been applied: dbkit_migrations and dbkit_checksums, read without creating them. */
import { ident as mysqlIdent } from '../../dialects/mysql/quote.js';
import { ident as pgIdent } from '../../dialects/postgres/quote.js';
import type { Session } from '../db/connect.js';
import { CHECKSUM_TABLE, MIGRATION_TABLE, type LoadedMigration } from './source.js';

export interface AppliedRow {
  name: string;
  batch: number;
  appliedAt: string | null;
  checksum: string | null;
}

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

export interface MigrationEntry {
  name: string;
  state: MigrationState;
  batch: number | null;
  appliedAt: string | null;
}

/** PostgreSQL tables are qualified with the namespace; MySQL's database is the connection's. */
export const qualifier =
  (conn: Session) =>
  (table: string): string =>
    conn.config.dialect === 'postgres' ? `${conn.namespace}.${table}` : table;

const TABLE_EXISTS =
  'SELECT 1 AS present FROM information_schema.tables WHERE table_schema = ? AND table_name = ?';

async function hasTable(conn: Session, table: string): Promise<boolean> {
  if (!conn.namespaceExists) return false;
  return (await conn.sql.query(TABLE_EXISTS, [conn.namespace, table])).length > 0;
}

/** A bookkeeping table, quoted and (on PostgreSQL) qualified with the namespace. */
function quoted(conn: Session, table: string): string {
  return conn.config.dialect === 'postgres' ? `${pgIdent(conn.namespace)}.${pgIdent(table)}` : mysqlIdent(table);
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

export async function readApplied(conn: Session): Promise<AppliedRow[]> {
  if (!(await hasTable(conn, MIGRATION_TABLE))) return [];
  const rows = await conn.sql.query<{ name: string; batch: number; migration_time: unknown }>(
    `SELECT name, batch, migration_time FROM ${quoted(conn, MIGRATION_TABLE)} ORDER BY id`,
  );
  const sums = new Map<string, string>();
  if (await hasTable(conn, CHECKSUM_TABLE)) {
    const sumRows = await conn.sql.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM ${quoted(conn, CHECKSUM_TABLE)}`,
    );
    for (const r of sumRows) sums.set(r.name, r.checksum);
  }
  return rows.map((r) => ({
    name: r.name,
    batch: Number(r.batch),
    appliedAt: iso(r.migration_time),
    checksum: sums.get(r.name) ?? null,
  }));
}

/** Applied, pending, changed (checksum differs) and missing (applied, no file) migrations, in order. */
export function classify(applied: AppliedRow[], available: LoadedMigration[]): MigrationEntry[] {
  const byName = new Map(available.map((m) => [m.name, m]));
  const out: MigrationEntry[] = applied.map((a) => {
    const m = byName.get(a.name);
    const state: MigrationState = !m ? 'missing' : a.checksum && a.checksum !== m.checksum ? 'changed' : 'applied';
    return { name: a.name, state, batch: a.batch, appliedAt: a.appliedAt };
  });
  const done = new Set(applied.map((a) => a.name));
  for (const m of available) {
    if (!done.has(m.name)) out.push({ name: m.name, state: 'pending', batch: null, appliedAt: null });
  }
  return out;
}
