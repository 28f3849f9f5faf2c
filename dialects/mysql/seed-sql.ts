/** MySQL's SQL for seeding and taking a run back (src/port/seed.ts SeedSql). */
import type { SeedSql } from '../../src/port/seed.js';
import { mysqlForeignReferences } from './foreign-references.js';

export const mysqlSeedSql: SeedSql = {
  continuesIds: true,
  baseTablesSql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'",
  // TRUNCATE refuses a referenced table: children first, with this session's checks off.
  foreignKeyChecks: { off: 'SET FOREIGN_KEY_CHECKS = 0', on: 'SET FOREIGN_KEY_CHECKS = 1' },
  foreignReferences: mysqlForeignReferences,
};
