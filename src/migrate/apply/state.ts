/**
 * What the database says has been applied: dbkit_migrations (Knex's record)
 * and dbkit_checksums (dbkit's: the checksum of each applied migration, and
 * the progress of a migration a run is applying or reverting statement by
 * statement), read without creating them.
 */
import { engineOf } from '../../engines/index.js';
import type { Session } from '../../db/connect.js';
import type { Sql } from '../../db/sql.js';
import { boundedRead } from './bounded.js';
import { CHECKSUM_TABLE, MIGRATION_TABLE, type LoadedMigration } from '../folder/source.js';
import { trustBookkeeping } from './trust.js';

/** The checksum column of a migration whose up has started and not finished. */
export const STARTED = 'started';

/** How a migration was applied when not simply in its turn: run out of order (--allow-out-of-order), or adopted (--adopt: recorded, not run). */
export type AppliedAs = 'out-of-order' | 'adopted';

/** A row of dbkit_checksums. Databases migrated by dbkit 0.1.0 have only name and checksum. */
export interface ChecksumRow {
  name: string;
  /** The applied migration's checksum, or `started` while its up runs. */
  checksum: string;
  /** While a run applies (up) or reverts (down) a migration statement by statement: the statement it started last (0-based). */
  step: number | null;
  direction: 'up' | 'down' | null;
  /** Which run wrote the row: host, process and start time. */
  owner: string | null;
  /** The batch the migration belongs to (for recording it when the run was killed before Knex did). */
  batch: number | null;
  appliedAs: AppliedAs | null;
}

export interface AppliedRow {
  name: string;
  batch: number;
  appliedAt: string | null;
  checksum: string | null;
  appliedAs: AppliedAs | null;
}

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing';

/** A migration a run stopped in the middle of (killed, or a statement failed), statement by statement. */
export interface Interrupted {
  direction: 'up' | 'down';
  /** The statement it stopped at (1-based) and how many there are. */
  statement: number;
  of: number | null;
  owner: string | null;
}

export interface MigrationEntry {
  name: string;
  state: MigrationState;
  batch: number | null;
  appliedAt: string | null;
  interrupted?: Interrupted;
  /** Applied out of order, or adopted (absent: applied in its turn). */
  appliedAs?: AppliedAs;
}

/** PostgreSQL tables are qualified with the namespace; MySQL's database is the connection's. */
export const qualifier =
  (conn: Session) =>
  (table: string): string =>
    engineOf(conn).dialect.tableRef(conn.namespace, table);

export async function hasTable(conn: Session, table: string, sql: Sql = conn.sql): Promise<boolean> {
  if (!conn.namespaceExists) return false;
  return (await sql.query(engineOf(conn).dialect.tableExistsSql, [conn.namespace, table])).length > 0;
}

/** A bookkeeping table, quoted and (on PostgreSQL) qualified with the namespace. */
export function quoted(conn: Session, table: string): string {
  return engineOf(conn).migration.bookkeepingTable(conn.namespace, table);
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);

const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function readChecksums(conn: Session, sql: Sql): Promise<Map<string, ChecksumRow>> {
  const out = new Map<string, ChecksumRow>();
  if (!(await hasTable(conn, CHECKSUM_TABLE, sql))) return out;
  // SELECT *: the progress columns are added by the first run of this version.
  const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM ${quoted(conn, CHECKSUM_TABLE)}`);
  for (const r of rows) {
    const direction = r.direction === 'up' || r.direction === 'down' ? r.direction : null;
    out.set(String(r.name), {
      name: String(r.name),
      checksum: String(r.checksum),
      step: intOrNull(r.step),
      direction,
      owner: r.owner === null || r.owner === undefined ? null : String(r.owner),
      batch: intOrNull(r.batch),
      appliedAs: r.applied_as === 'out-of-order' || r.applied_as === 'adopted' ? r.applied_as : null,
    });
  }
  return out;
}

async function readKnexRows(conn: Session, sql: Sql): Promise<{ name: string; batch: number; appliedAt: string | null }[]> {
  if (!(await hasTable(conn, MIGRATION_TABLE, sql))) return [];
  const rows = await sql.query<{ name: string; batch: number; migration_time: unknown }>(
    `SELECT name, batch, migration_time FROM ${quoted(conn, MIGRATION_TABLE)} ORDER BY id`,
  );
  return rows.map((r) => ({ name: r.name, batch: Number(r.batch), appliedAt: iso(r.migration_time) }));
}

export interface DatabaseState {
  applied: AppliedRow[];
  checksums: Map<string, ChecksumRow>;
}

/**
 * Both tables, after checking that they are dbkit's (trust.ts), with every
 * lock wait bounded by --lock-timeout (bounded.ts).
 */
/** What a session without Knex has read (it writes no bookkeeping: what it read stays true for it). */
const readOnce = new WeakMap<Session, Promise<DatabaseState>>();

export function readDatabaseState(conn: Session): Promise<DatabaseState> {
  if ('knex' in conn) return readState(conn);
  let p = readOnce.get(conn);
  if (!p) {
    p = readState(conn);
    readOnce.set(conn, p);
    p.catch(() => readOnce.delete(conn));
  }
  return p;
}

async function readState(conn: Session): Promise<DatabaseState> {
  await trustBookkeeping(conn);
  return boundedRead(conn, [MIGRATION_TABLE, CHECKSUM_TABLE], 'reading which migrations are applied', async (sql) => {
    // One after the other: a session is one connection (node-postgres warns about overlapping queries).
    const knexRows = await readKnexRows(conn, sql);
    const checksums = await readChecksums(conn, sql);
    const applied = knexRows.map((r) => ({ ...r, checksum: checksums.get(r.name)?.checksum ?? null, appliedAs: checksums.get(r.name)?.appliedAs ?? null }));
    return { applied, checksums };
  });
}

/** Applied migrations (Knex's record, with their checksums). */
export async function readApplied(conn: Session): Promise<AppliedRow[]> {
  return (await readDatabaseState(conn)).applied;
}

/** Where an unfinished run of a migration stopped, from its checksum row (a 0.1.0 `started` row: before its one statement). */
export function progressOf(row: ChecksumRow | undefined, knexRecorded: boolean): { direction: 'up' | 'down'; step: number } | null {
  if (!row) return null;
  if (row.direction === 'down' && row.step !== null && knexRecorded) return { direction: 'down', step: row.step };
  if (row.checksum === STARTED && !knexRecorded) return { direction: 'up', step: row.step ?? 0 };
  return null;
}

/** Applied, pending, changed (checksum differs) and missing (applied, no file) migrations, in order. */
export function classify(state: DatabaseState, available: readonly LoadedMigration[]): MigrationEntry[] {
  const byName = new Map(available.map((m) => [m.name, m]));
  const interrupted = (name: string, knexRecorded: boolean): Pick<MigrationEntry, 'interrupted'> => {
    const row = state.checksums.get(name);
    const p = progressOf(row, knexRecorded);
    if (!p) return {};
    const m = byName.get(name);
    const of = m ? (p.direction === 'up' ? m.up : m.down).length : null;
    return { interrupted: { direction: p.direction, statement: p.step + 1, of, owner: row?.owner ?? null } };
  };
  const out: MigrationEntry[] = state.applied.map((a) => {
    const m = byName.get(a.name);
    const sum = a.checksum;
    const state: MigrationState = !m ? 'missing' : sum && sum !== STARTED && sum !== m.checksum ? 'changed' : 'applied';
    return { name: a.name, state, batch: a.batch, appliedAt: a.appliedAt, ...interrupted(a.name, true), ...(a.appliedAs ? { appliedAs: a.appliedAs } : {}) };
  });
  const done = new Set(state.applied.map((a) => a.name));
  for (const m of available) {
    if (!done.has(m.name)) out.push({ name: m.name, state: 'pending', batch: null, appliedAt: null, ...interrupted(m.name, false) });
  }
  return out;
}
