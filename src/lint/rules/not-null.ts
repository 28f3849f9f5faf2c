/**
 * NOT NULL on a table that holds rows. DBK306 (PostgreSQL): SET NOT NULL
 * scans the whole table under ACCESS EXCLUSIVE unless a validated
 * `CHECK (col IS NOT NULL)` already proves it (PostgreSQL 12+). DBK307 (both
 * dialects): a NOT NULL column added without a default makes every INSERT
 * of the running clients (which do not name the column yet) fail on both
 * engines; the rows the table has make PostgreSQL refuse the ALTER, while
 * MySQL/MariaDB fill them with the type's implicit default ('' or 0).
 */
import type { Dialect } from '../../schema/model.js';
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

/**
 * DBK307 for one dialect: what the engine does with the rows the table
 * already has is said in its own words (`onRows`); the running clients'
 * INSERTs fail on both.
 */
function requiredColumnOn(dialect: Dialect, onRows: (table: string) => string): Rule {
  return {
    codes: ['DBK307'],
    dialects: [dialect],
    check(f, scope) {
      if (f.kind !== 'alter_table' || scope.isNew(f.table)) return [];
      const t = f.table;
      return f.actions.flatMap((a) => {
        if (a.kind === 'add_column' && a.notNull && !a.default && !a.generated) {
          return [
            {
              code: 'DBK307',
              message: `ALTER TABLE ${t} ADD COLUMN ${a.column} NOT NULL without a DEFAULT: every INSERT of the running clients that does not name the column fails (${onRows(t)}): add it with a DEFAULT, or nullable first`,
            },
          ];
        }
        return [];
      });
    },
  };
}

export const requiredColumnPostgres = requiredColumnOn('postgres', (t) => `and PostgreSQL refuses the ALTER when ${t} has rows`);
export const requiredColumnMysql = requiredColumnOn('mysql', (t) => `and MySQL/MariaDB gives the rows ${t} already has the type's implicit default, '' or 0, instead of a value`);
