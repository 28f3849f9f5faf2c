/**
 * PostgreSQL constraints added to a table that holds rows (DBK301-DBK305).
 * A foreign key or CHECK added without NOT VALID scans the table under a
 * lock that blocks writes (a foreign key also locks the referenced table);
 * NOT VALID then VALIDATE CONSTRAINT scans with writes going on, but only
 * when the VALIDATE commits separately: in the same transaction the first
 * statement's lock is held through the scan. UNIQUE and PRIMARY KEY build
 * their index under ACCESS EXCLUSIVE unless attached to an index built
 * concurrently before (USING INDEX).
 */
import type { Rule } from './rule.js';

export const postgresConstraints: Rule = {
  codes: ['DBK301', 'DBK302', 'DBK303', 'DBK304', 'DBK305'],
  dialects: ['postgres'],
  check(f, scope) {
    if (f.kind !== 'alter_table' || scope.isNew(f.table)) return [];
    const t = f.table;
    return f.actions.flatMap((a) => {
      if (a.kind === 'validate_constraint' && scope.file.transactional && scope.notValid.has(a.name)) {
        return [
          {
            code: 'DBK303',
            message: `VALIDATE CONSTRAINT ${a.name} runs in the same transaction as the ADD ... NOT VALID before it: the lock that ADD took is held through the whole scan (writes wait), which gives up what NOT VALID is for: validate in a later transaction (another migration, or a migration that runs outside a transaction)`,
          },
        ];
      }
      if (a.kind !== 'add_constraint' || a.notValid || a.usingIndex) return [];
      const name = a.name ? ` ${a.name}` : '';
      switch (a.type) {
        case 'foreign':
          return [{ code: 'DBK301', message: `ALTER TABLE ${t} ADD FOREIGN KEY${name} without NOT VALID scans ${t} with writes to it and to the referenced table blocked: add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction` }];
        case 'check':
          return [{ code: 'DBK302', message: `ALTER TABLE ${t} ADD CHECK${name} without NOT VALID scans ${t} with writes blocked: add it NOT VALID, then VALIDATE CONSTRAINT in a later transaction` }];
        case 'unique':
          return [{ code: 'DBK304', message: `ALTER TABLE ${t} ADD UNIQUE${name} builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait): CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX` }];
        case 'primary':
          return [{ code: 'DBK305', message: `ALTER TABLE ${t} ADD PRIMARY KEY${name} builds its index under an ACCESS EXCLUSIVE lock (reads and writes wait): CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX` }];
        default:
          return [];
      }
    });
  },
};
