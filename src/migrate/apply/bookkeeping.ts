/**
 * dbkit's own rows about migrations, written under the migration lock:
 * dbkit_checksums (the checksum of each applied migration, and while a run
 * applies or reverts one statement by statement, how far it got and whose
 * run it is) and the reconciliation of Knex's dbkit_migrations with it.
 *
 * Knex records an applied migration in dbkit_migrations only after the
 * migration's own transaction committed (and after the last statement of a
 * migration that runs outside one). dbkit records its checksum row inside
 * that transaction (or after that last statement), so the checksum row is
 * the proof that a migration was applied: a finished checksum row without
 * Knex's row means a run was killed in between, and the next run records
 * the migration for Knex instead of running it again. A rollback deletes
 * both rows itself, in the transaction of the down migration.
 */
import { engineOf } from '../../engines/index.js';
import type { Knex } from 'knex';
import type { Connection } from '../../db/connect.js';
import type { HeldLock } from '../../port/lock.js';
import type { Exec } from './statements.js';
import { BOOKKEEPING_MARKER } from '../../port/bookkeeping.js';
import { boundedWrite } from './bounded.js';
import { CHECKSUM_TABLE, MIGRATION_TABLE, type LoadedMigration } from '../folder/source.js';
import { hasTable, qualifier, readDatabaseState, STARTED, type AppliedAs } from './state.js';
import { judgeLive } from './trust.js';

const PROGRESS_COLUMNS: [string, (t: Knex.AlterTableBuilder) => void][] = [
  ['step', (t) => t.integer('step').nullable()],
  ['direction', (t) => t.string('direction', 4).nullable()],
  ['owner', (t) => t.string('owner', 255).nullable()],
  ['batch', (t) => t.integer('batch').nullable()],
];

/** The progress columns ensureBookkeeping adds to a checksum table made by an older dbkit. */
export const PROGRESS_COLUMN_NAMES: readonly string[] = PROGRESS_COLUMNS.map(([c]) => c);

/**
 * How a migration was applied when not in its turn ('out-of-order', or
 * 'adopted': recorded, not run). Added only by a run that records such a
 * migration: altering the table needs its owner, and a role that may only
 * migrate must not need that for an ordinary run.
 */
export async function ensureAppliedAsColumn(conn: Connection): Promise<void> {
  const schema = () => (engineOf(conn).dialect.qualifiesTables ? conn.knex.schema.withSchema(conn.namespace) : conn.knex.schema);
  if (!(await schema().hasColumn(CHECKSUM_TABLE, 'applied_as'))) await schema().alterTable(CHECKSUM_TABLE, (t) => void t.string('applied_as', 16).nullable());
}

/** Knex's lock table (Knex names it after its migration table). */
export const LOCK_TABLE = `${MIGRATION_TABLE}_lock`;
/** The three tables every engine has (Galera adds dbkit_lease, made by the lease itself). */
export const BOOKKEEPING_TABLES = [MIGRATION_TABLE, LOCK_TABLE, CHECKSUM_TABLE];

/**
 * The namespace and the three bookkeeping tables, made by dbkit with its
 * marker (Knex's two exactly as Knex makes them, so Knex finds them there),
 * after refusing a foreign object under their names (trust.ts). A table made
 * by an older dbkit gets what it lacks: the progress columns of
 * dbkit_checksums (0.1.0) and the marker.
 */
export async function ensureBookkeeping(conn: Connection): Promise<void> {
  const { knex } = conn;
  // Namespaces that are schemas (PostgreSQL) are dbkit's to create; a MySQL database is the connection's.
  const pg = engineOf(conn).dialect.qualifiesTables;
  if (pg && !conn.namespaceExists) {
    await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [conn.namespace]);
    conn.namespaceExists = true;
  }
  const live = await judgeLive(conn);
  const present = new Set(live.present);
  const lacking = PROGRESS_COLUMNS.filter(([c]) => live.lacking.get(CHECKSUM_TABLE)?.includes(c));
  if (BOOKKEEPING_TABLES.every((t) => present.has(t)) && !lacking.length && !live.unmarked.length) return;
  await boundedWrite(conn, BOOKKEEPING_TABLES, "preparing dbkit's bookkeeping tables", async (trx) => {
    const schema = () => (pg ? trx.schema.withSchema(conn.namespace) : trx.schema);
    if (!present.has(MIGRATION_TABLE)) {
      await schema().createTable(MIGRATION_TABLE, (t) => {
        t.increments();
        t.string('name');
        t.integer('batch');
        t.timestamp('migration_time');
        t.comment(BOOKKEEPING_MARKER);
      });
    }
    if (!present.has(LOCK_TABLE)) {
      await schema().createTable(LOCK_TABLE, (t) => {
        t.increments('index').primary();
        t.integer('is_locked');
        t.comment(BOOKKEEPING_MARKER);
      });
      await trx(table(conn)(LOCK_TABLE)).insert({ is_locked: 0 });
    }
    if (!present.has(CHECKSUM_TABLE)) {
      await schema().createTable(CHECKSUM_TABLE, (t) => {
        t.string('name', 255).primary();
        t.string('checksum', 64).notNullable();
        for (const [, add] of PROGRESS_COLUMNS) add(t as unknown as Knex.AlterTableBuilder);
        t.comment(BOOKKEEPING_MARKER);
      });
    }
    if (lacking.length) await schema().alterTable(CHECKSUM_TABLE, (t) => lacking.forEach(([, add]) => add(t)));
    for (const name of live.unmarked) await trx.raw(live.dialect.markSql(conn.namespace, name, BOOKKEEPING_MARKER));
  });
}

const table = (conn: Connection) => qualifier(conn);

/**
 * Before a statement-by-statement up or down: the statement about to run,
 * written on the connection that runs the statements (a lock that holds this
 * row up holds up the statement the interrupt cancels).
 */
export async function markStep(
  knex: Knex,
  exec: Exec,
  conn: Connection,
  m: LoadedMigration,
  direction: 'up' | 'down',
  step: number,
  owner: string,
  batch: number | null,
): Promise<void> {
  const t = table(conn)(CHECKSUM_TABLE);
  const run = (q: Knex.QueryBuilder) => {
    const n = q.toSQL().toNative();
    return exec(n.sql, n.bindings);
  };
  const set = { step, direction, owner, ...(direction === 'up' ? { checksum: STARTED, batch } : {}) };
  // A down keeps the checksum the migration was applied with.
  await run(knex(t).insert({ name: m.name, checksum: direction === 'up' ? STARTED : m.checksum, step, direction, owner, batch }).onConflict('name').merge(set));
}

/** The up finished: its checksum, in the transaction that also holds its statements (PostgreSQL) or after the last one. */
export async function recordApplied(
  db: Knex | Knex.Transaction,
  conn: Connection,
  m: LoadedMigration,
  batch: number,
  lock: HeldLock,
  appliedAs: AppliedAs | null = null,
): Promise<void> {
  await lock.fence?.(db);
  const t = table(conn)(CHECKSUM_TABLE);
  await db(t).where({ name: m.name }).delete();
  await db(t).insert({ name: m.name, checksum: m.checksum, step: null, direction: null, owner: null, batch, ...(appliedAs ? { applied_as: appliedAs } : {}) });
}

/** The down finished: no checksum row and no Knex row (Knex's own delete afterwards finds nothing). */
export async function recordReverted(db: Knex | Knex.Transaction, conn: Connection, m: LoadedMigration, lock: HeldLock): Promise<void> {
  await lock.fence?.(db);
  await db(table(conn)(CHECKSUM_TABLE)).where({ name: m.name }).delete();
  await db(table(conn)(MIGRATION_TABLE)).where({ name: m.name }).delete();
}

/**
 * Migrations a killed run applied but Knex did not get to record: recorded
 * now, in the batch they ran in. Returns their names.
 */
export async function reconcile(conn: Connection, lock: HeldLock): Promise<string[]> {
  if (!(await hasTable(conn, MIGRATION_TABLE))) return [];
  const { applied, checksums } = await readDatabaseState(conn);
  const recorded = new Set(applied.map((a) => a.name));
  const done = [...checksums.values()].filter((r) => !recorded.has(r.name) && r.checksum !== STARTED && r.direction === null);
  if (!done.length) return [];
  const maxBatch = Math.max(0, ...applied.map((a) => a.batch));
  await boundedWrite(conn, [MIGRATION_TABLE], 'recording migrations a stopped run applied', async (trx) => {
    await lock.fence?.(trx);
    for (const r of done) {
      await trx(table(conn)(MIGRATION_TABLE)).insert({ name: r.name, batch: r.batch ?? maxBatch + 1, migration_time: new Date() });
    }
  });
  return done.map((r) => r.name);
}
