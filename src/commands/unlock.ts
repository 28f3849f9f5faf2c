/**
 * dbkit unlock: clear the lock row that Knex keeps in dbkit_migrations_lock,
 * for a row left set by another tool or an old version. dbkit's own locks
 * (advisory lock, GET_LOCK, PGlite's lock file) free themselves when their
 * process dies and never need this. It runs under dbkit's migration lock,
 * so a migrate in progress is never unlocked under its feet (exit 4 if it
 * outlasts --lock-timeout).
 */
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { Connection } from '../db/connect.js';
import { acquireMigrationLock } from '../migrate/lock.js';
import { configFor, whereJson, withConnection } from './shared.js';

const LOCK_TABLE = 'dbkit_migrations_lock';

async function lockRowSet(conn: Connection): Promise<boolean> {
  const pg = conn.config.dialect === 'postgres';
  const schema = pg ? conn.knex.schema.withSchema(conn.namespace) : conn.knex.schema;
  if (!(await schema.hasTable(LOCK_TABLE))) return false;
  const rows = (await conn.knex(pg ? `${conn.namespace}.${LOCK_TABLE}` : LOCK_TABLE).where('is_locked', 1).count({ n: '*' })) as { n: unknown }[];
  return Number(rows[0]?.n) > 0;
}

export async function unlockCommand(_opts: object, globals: GlobalOptions, io: Io): Promise<number> {
  const config = await configFor(globals, io);
  return withConnection(config, io, async (conn) => {
    const wasLocked = await lockRowSet(conn);
    // Taking dbkit's lock clears a set row: holding it, nobody else is migrating.
    const lock = await acquireMigrationLock(conn, undefined, (text) => io.log(text));
    const still = await lockRowSet(conn).finally(() => lock.release());
    const unlocked = wasLocked && !still;
    if (io.json) io.emitJson({ ...whereJson(conn), wasLocked, unlocked });
    else {
      const what = unlocked ? `${LOCK_TABLE} was set; cleared` : still ? `${LOCK_TABLE} is still set (cleared by another run?)` : 'nothing to unlock (no lock row set)';
      io.out(`${config.target.display}: ${what}`);
    }
    return 0;
  });
}
