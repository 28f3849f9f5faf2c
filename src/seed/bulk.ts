/**
 * The seeder's bulk writer for a session: the engine's implementation of
 * the port (src/port/bulk.ts, src/port/seed.ts), loaded only by `seed`.
 */
import { SqlError } from '../shared/errors.js';
import type { Sql } from '../db/sql.js';
import type { BulkWriter } from '../port/bulk.js';
import { engineFor } from '../engines/index.js';

/**
 * The writer for an open session's engine. `lockTimeoutMs` bounds each
 * chunk's wait for another session's lock on a table (PostgreSQL: SET LOCAL
 * lock_timeout in its transaction; MySQL sessions are bounded when opened;
 * PGlite has no other session).
 */
export async function openWriter(sql: Sql, namespace: string, debug: (t: string) => void, lockTimeoutMs?: number): Promise<BulkWriter> {
  const native = sql.native;
  if (!native) throw new SqlError('this connection cannot bulk-load (no driver handle)');
  return engineFor(native.engine).seed.writer(native, namespace, debug, lockTimeoutMs);
}
