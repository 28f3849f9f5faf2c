/**
 * NOT NULL on a table that holds rows. DBK306 (PostgreSQL): SET NOT NULL
 * scans the whole table under ACCESS EXCLUSIVE unless a validated
 * `CHECK (col IS NOT NULL)` already proves it (PostgreSQL 12+). DBK307 (both
 * dialects): a NOT NULL column added without a default fails on PostgreSQL
 * when the table has rows, and on both engines makes every INSERT of the
 * running clients (which do not name the column yet) fail.
 */
import type { Rule } from './rule.js';

export const setNotNull: Rule = {
  codes: ['DBK306'],
  dialects: ['postgres'],
  check(f, scope) {
    if (f.kind !== 'alter_table' || scope.isNew(f.table)) return [];
    const t = f.table;
    return f.actions.flatMap((a) => {
      if (a.kind === 'set_not_null') {
        const before = scope.column(t, a.column);
        if ((before && !before.nullable) || scope.hasNotNullCheck(t, a.column)) return [];
        return [
          {
            code: 'DBK306',
            message: `ALTER TABLE ${t} ALTER COLUMN ${a.column} SET NOT NULL scans ${t} under an ACCESS EXCLUSIVE lock (reads and writes wait): first ADD CONSTRAINT ... CHECK (${a.column} IS NOT NULL) NOT VALID and VALIDATE it in a later transaction; SET NOT NULL then needs no scan`,
          },
        ];
      }
      return [];
    });
  },
};

export const requiredColumn: Rule = {
  codes: ['DBK307'],
  dialects: ['postgres', 'mysql'],
  check(f, scope) {
    if (f.kind !== 'alter_table' || scope.isNew(f.table)) return [];
    const t = f.table;
    return f.actions.flatMap((a) => {
      if (a.kind === 'add_column' && a.notNull && !a.default && !a.generated) {
        return [
          {
            code: 'DBK307',
            message: `ALTER TABLE ${t} ADD COLUMN ${a.column} NOT NULL without a DEFAULT: every INSERT of the running clients that does not name the column fails (and PostgreSQL refuses the ALTER when ${t} has rows): add it with a DEFAULT, or nullable first`,
          },
        ];
      }
      return [];
    });
  },
};
