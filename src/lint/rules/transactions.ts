/**
 * Transactions (DBK401, DBK402). dbkit runs each PostgreSQL migration in one
 * transaction unless migration.json says `transactional: false`, and MySQL
 * migrations statement by statement; it begins and commits itself, recording
 * progress and the migration on the same connection.
 */
import type { Rule } from './rule.js';

export const transactions: Rule = {
  codes: ['DBK401', 'DBK402'],
  dialects: ['postgres', 'mysql'],
  check(f, scope) {
    if (f.kind === 'transaction') {
      return [
        {
          code: 'DBK402',
          message: `${f.what} in a migration: dbkit begins and commits each migration's transaction itself (and records the migration in it); a statement that ends or opens one breaks that record: remove it (a change that needs its own transaction goes in a migration of its own)`,
        },
      ];
    }
    // Never transactional where the dialect's scripts cannot run in one (MySQL).
    if (!scope.file.transactional) return [];
    const concurrent =
      ((f.kind === 'create_index' || f.kind === 'drop_index') && f.concurrent) || (f.kind === 'reindex' && f.concurrent);
    if (!concurrent) return [];
    const what = f.kind === 'create_index' ? 'CREATE INDEX' : f.kind === 'drop_index' ? 'DROP INDEX' : 'REINDEX';
    return [
      {
        code: 'DBK401',
        message: `${what} CONCURRENTLY cannot run inside a transaction block, and migration.json runs this migration in one (transactional: true): it fails every time; make the migration run outside a transaction`,
      },
    ];
  },
};
