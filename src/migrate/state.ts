/** What the database says has been applied: dbkit_migrations and dbkit_checksums, read without creating them. */
import type { Knex } from 'knex';
import type { Connection } from '../db/connect.js';
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
  (conn: Connection) =>
  (table: string): string =>
    conn.config.dialect === 'postgres' ? `${conn.namespace}.${table}` : table;

async function hasTable(knex: Knex, conn: Connection, table: string): Promise<boolean> {
  if (!conn.namespaceExists) return false;
  return conn.config.dialect === 'postgres'
    ? knex.schema.withSchema(conn.namespace).hasTable(table)
    : knex.schema.hasTable(table);
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

export async function readApplied(conn: Connection): Promise<AppliedRow[]> {
  const { knex } = conn;
  const q = qualifier(conn);
  if (!(await hasTable(knex, conn, MIGRATION_TABLE))) return [];
  const rows = (await knex(q(MIGRATION_TABLE)).select('name', 'batch', 'migration_time').orderBy('id')) as {
    name: string;
    batch: number;
    migration_time: unknown;
  }[];
  const sums = new Map<string, string>();
  if (await hasTable(knex, conn, CHECKSUM_TABLE)) {
    for (const r of (await knex(q(CHECKSUM_TABLE)).select('name', 'checksum')) as { name: string; checksum: string }[]) {
      sums.set(r.name, r.checksum);
    }
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
