/**
 * PostgreSQL index builds and drops that block writes (DBK101-DBK103):
 * CREATE INDEX takes a SHARE lock on the table for the whole build (writes
 * wait); DROP INDEX and REINDEX take ACCESS EXCLUSIVE (reads wait too).
 * CONCURRENTLY avoids both; on a table created in the same migration there
 * is nothing to wait for.
 */
import type { Rule } from './rule.js';

export const indexLocks: Rule = {
  codes: ['DBK101', 'DBK102', 'DBK103'],
  dialects: ['postgres'],
  check(f, scope) {
    if (f.kind === 'create_index' && !f.concurrent && scope.existing(f.table)) {
      return [
        {
          code: 'DBK101',
          message: `CREATE INDEX ${f.name ?? ''} on ${f.table} without CONCURRENTLY blocks writes to ${f.table} for the whole build: write CREATE INDEX CONCURRENTLY (the migration then runs outside a transaction)`.replace('  ', ' '),
        },
      ];
    }
    if (f.kind === 'drop_index' && !f.concurrent) {
      const names = f.names.filter((n) => !scope.createdIndexes.has(n) && !scope.isNew(scope.indexTable(n) ?? ''));
      if (names.length) {
        return [
          {
            code: 'DBK102',
            message: `DROP INDEX ${names.join(', ')} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table (reads and writes wait, and queue behind any long query): write DROP INDEX CONCURRENTLY`,
          },
        ];
      }
    }
    if (f.kind === 'reindex' && !f.concurrent) {
      return [{ code: 'DBK103', message: `REINDEX ${f.target} without CONCURRENTLY blocks reads and writes while it rebuilds: write REINDEX ... CONCURRENTLY` }];
    }
    return [];
  },
};
