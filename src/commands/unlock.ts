/**
 * dbkit unlock [--force]: clear the lock row that Knex keeps in
 * dbkit_migrations_lock, for a row left set by another tool or an old
 * version. dbkit's own locks on one server (advisory lock, GET_LOCK, PGlite's
 * lock file) free themselves when their process dies and never need this.
 * It runs under dbkit's migration lock, so a migrate in progress is never
 * unlocked under its feet (exit 4 if it outlasts --lock-timeout).
 *
 * --force does not wait: on Galera it deletes the lease row whoever holds it
 * (a killed run's lease, instead of waiting for it to expire); elsewhere it
 * names the live session holding dbkit's lock and clears Knex's row without it.
 */
import { engineOf } from '../engines/index.js';
import type { ForcedLock } from '../port/migration.js';
import { LockError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { Connection } from '../db/connect.js';
import { boundedRead, boundedWrite } from '../migrate/apply/bounded.js';
import { acquireMigrationLock } from '../migrate/apply/lock.js';
import { quoted } from '../migrate/apply/state.js';
import { trustBookkeeping } from '../migrate/apply/trust.js';
import { configFor, whereJson, withConnection } from './shared.js';

const LOCK_TABLE = 'dbkit_migrations_lock';

export interface UnlockOptions {
  force?: boolean;
}

const qualified = (conn: Connection): string => engineOf(conn).dialect.tableRef(conn.namespace, LOCK_TABLE);

async function lockTableExists(conn: Connection): Promise<boolean> {
  const schema = engineOf(conn).dialect.qualifiesTables ? conn.knex.schema.withSchema(conn.namespace) : conn.knex.schema;
  return schema.hasTable(LOCK_TABLE);
}

async function lockRowSet(conn: Connection): Promise<boolean> {
  await trustBookkeeping(conn);
  if (!(await lockTableExists(conn))) return false;
  const rows = await boundedRead(conn, [LOCK_TABLE], 'reading the lock row', (sql) =>
    sql.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${quoted(conn, LOCK_TABLE)} WHERE is_locked = 1`),
  );
  return Number(rows[0]?.n) > 0;
}

/** --force: delete a Galera lease now; say who holds a live lock. */
function forceLease(conn: Connection): Promise<ForcedLock> {
  return engineOf(conn).migration.forceLock(conn.config.target.url, conn.namespace);
}

/** Clear Knex's row under dbkit's lock (which clears it, see lock.ts); with --force, without the lock if it is busy. */
async function clearUnderLock(conn: Connection, force: boolean, io: Io): Promise<boolean> {
  try {
    const target = force ? { ...conn, config: { ...conn.config, lockTimeoutMs: 0 } } : conn;
    const lock = await acquireMigrationLock(target, undefined, force ? undefined : (text) => io.log(text), { debug: (t) => io.debug(t) });
    await lock.release();
    return true;
  } catch (err) {
    if (!force || !(err instanceof LockError)) throw err;
    if (await lockTableExists(conn)) await boundedWrite(conn, [LOCK_TABLE], 'clearing the lock row', (trx) => trx(qualified(conn)).update({ is_locked: 0 }));
    return false;
  }
}

export async function unlockCommand(opts: UnlockOptions, globals: GlobalOptions, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  return withConnection(config, io, async (conn) => {
    const wasLocked = await lockRowSet(conn);
    const forced = opts.force ? await forceLease(conn) : null;
    const underLock = await clearUnderLock(conn, !!opts.force, io);
    const still = await lockRowSet(conn);
    const unlocked = wasLocked && !still;
    if (io.json) {
      io.emitJson({ ...whereJson(conn), wasLocked, unlocked, ...(forced ? { leaseCleared: forced.leaseCleared, lockHeldBy: underLock ? null : forced.heldBy } : {}) });
      return 0;
    }
    const where = config.target.display;
    if (forced?.leaseCleared) io.out(`${where}: deleted the migration lease held by ${forced.leaseCleared}`);
    else if (forced && underLock) io.out(`${where}: no migration lease or lock was held`);
    if (forced && !underLock) {
      io.out(`${where}: dbkit's migration lock is held by ${forced.heldBy ?? 'another session'}, a live session (it frees itself when that process ends); ${LOCK_TABLE} was cleared without it`);
    }
    const what = unlocked ? `${LOCK_TABLE} was set; cleared` : still ? `${LOCK_TABLE} is still set (cleared by another run?)` : 'nothing to unlock (no lock row set)';
    io.out(`${where}: ${what}`);
    return 0;
  }, 'unlock');
}
