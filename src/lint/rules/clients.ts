/**
 * Drops and renames that break the clients still running the previous
 * release (DBK501-DBK504): their queries name what is gone. Not reported for
 * what the same file created, nor in a down for what its own up added or
 * renamed (rolling back removes it on purpose, together with the release
 * that used it).
 */
import type { Rule } from './rule.js';
import type { Scope } from '../scope.js';

const kept = (scope: Scope, table: string, name: string): boolean => scope.isNew(table) || scope.undoesUp(name);

export const clients: Rule = {
  codes: ['DBK501', 'DBK502', 'DBK503', 'DBK504'],
  dialects: ['postgres', 'mysql'],
  check(f, scope) {
    if (f.kind === 'drop_table') {
      const dropped = f.tables.filter((t) => !kept(scope, t, t));
      return dropped.length
        ? [{ code: 'DBK502', message: `DROP TABLE ${dropped.join(', ')}: the running clients' queries on it fail, and its rows are gone: drop it a release after the code stopped using it` }]
        : [];
    }
    if (f.kind === 'rename_table') {
      return kept(scope, f.from, f.from) ? [] : [{ code: 'DBK504', message: `renaming table ${f.from} to ${f.to} breaks every running client that still names ${f.from}: add the new name beside the old (a view), move the code, then drop the old` }];
    }
    if (f.kind !== 'alter_table') return [];
    const t = f.table;
    return f.actions.flatMap((a) => {
      const col = (c: string) => `${t}.${c}`;
      if (a.kind === 'drop_column' && !kept(scope, t, col(a.column)) && !scope.addedColumns.has(col(a.column))) {
        return [{ code: 'DBK501', message: `ALTER TABLE ${t} DROP COLUMN ${a.column}: the running clients' queries that name it fail, and its values are gone: drop it a release after the code stopped using it` }];
      }
      const renamed = a.kind === 'rename_column' ? a : a.kind === 'modify_column' && a.to !== a.column ? { from: a.column, to: a.to } : null;
      if (renamed && !kept(scope, t, col(renamed.from)) && !scope.addedColumns.has(col(renamed.from))) {
        return [{ code: 'DBK503', message: `renaming column ${t}.${renamed.from} to ${renamed.to} breaks every running client that still names ${renamed.from}: add the new column, write both, move the code, then drop the old` }];
      }
      if (a.kind === 'rename_table' && !kept(scope, t, t)) {
        return [{ code: 'DBK504', message: `renaming table ${t} to ${a.to} breaks every running client that still names ${t}: add the new name beside the old (a view), move the code, then drop the old` }];
      }
      return [];
    });
  },
};
