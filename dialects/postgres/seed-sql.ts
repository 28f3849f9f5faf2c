/** PostgreSQL's SQL for seeding and taking a run back (src/port/seed.ts SeedSql). */
import type { SeedSql } from '../../src/port/seed.js';
import { maySkipTriggers, SKIP_TRIGGERS } from './replica.js';
import { deleteByPathSql } from './seed-undo.js';

export const postgresSeedSql: SeedSql = {
  // information_schema's views cost ~20 ms here; pg_class answers at once.
  baseTablesSql:
    "SELECT c.relname AS name FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p')",
  antiJoin: { before: 'SET enable_nestloop = off', after: 'RESET enable_nestloop' },
  truncateAll: (tables) => `TRUNCATE ${tables.join(', ')} RESTART IDENTITY`,
  deleteByPath: deleteByPathSql,
  // A role that does not own a table gets a warning and no statistics for it, not an error;
  // a table another session holds a lock on is skipped, not waited for.
  refreshStatistics: (tables) => `ANALYZE (SKIP_LOCKED) ${tables.join(', ')}`,
  // Likewise: a warning, not an error, for a table the role does not own. Outside a transaction, so
  // no SET LOCAL lock_timeout: a table another session holds a lock on is skipped instead of waited for.
  compact: (table) => `VACUUM (SKIP_LOCKED) ${table}`,
  withoutTriggers: { may: (sql) => maySkipTriggers((q) => sql.query<{ ok: boolean }>(q)), statement: SKIP_TRIGGERS },
};
