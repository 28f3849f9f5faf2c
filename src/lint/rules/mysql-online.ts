/**
 * MySQL/MariaDB ALTER TABLE on a table that may hold rows (DBK111, DBK202,
 * DBK203). Without ALGORITHM the server picks one, and may copy the table
 * with writes blocked; with ALGORITHM=INSTANT, or INPLACE with LOCK=NONE, it
 * refuses a change it cannot make that way instead of blocking (the
 * migration then fails: nothing waits). At most one finding per statement,
 * the most specific: a known copy (DBK203), a per-row default (DBK202),
 * else the missing clause (DBK111).
 */
import type { Action, Fact } from '../facts.js';
import type { Scope } from '../scope.js';
import type { Hit, Rule } from './rule.js';

const ONLINE = 'demand ALGORITHM=INSTANT, or ALGORITHM=INPLACE, LOCK=NONE, so that the server refuses rather than blocks';

/** Why a clause copies the table when no algorithm is demanded, or null. */
function copies(a: Action, table: string, scope: Scope): string | null {
  switch (a.kind) {
    case 'add_constraint':
      if (a.type === 'foreign') return scope.foreignKeyChecks ? 'ADD FOREIGN KEY with foreign_key_checks on (INPLACE needs foreign_key_checks=0)' : null;
      if (a.type === 'primary') return 'ADD PRIMARY KEY';
      if (a.type === 'check') return 'ADD CHECK';
      return null;
    case 'drop_constraint':
      return a.what === 'primary' ? 'DROP PRIMARY KEY' : null;
    case 'modify_column': {
      const before = scope.column(table, a.column);
      return before && before.type !== a.type ? `${a.column} ${before.type} -> ${a.type}` : null;
    }
    case 'rebuild':
      return a.what;
    default:
      return null;
  }
}

function check(f: Extract<Fact, { kind: 'alter_table' | 'create_index' | 'drop_index' }>, scope: Scope): Hit[] {
  const table = f.table;
  if (table === null || scope.isNew(table)) return [];
  const statement = f.kind === 'alter_table' ? `ALTER TABLE ${table}` : f.kind === 'create_index' ? `CREATE INDEX on ${table}` : `DROP INDEX on ${table}`;
  if (f.algorithm === 'copy') return [{ code: 'DBK203', message: `${statement} with ALGORITHM=COPY copies the table with writes blocked until the copy ends: ${ONLINE}` }];
  const actions = f.kind === 'alter_table' ? f.actions : [];
  if (f.algorithm === null || f.algorithm === 'default') {
    const copy = actions.map((a) => copies(a, table, scope)).find((c) => c !== null);
    if (copy) return [{ code: 'DBK203', message: `${statement} (${copy}) copies the table with writes blocked until the copy ends: make it online or run it through pt-online-schema-change, then accept it here with its reason` }];
    const perRow = actions.find((a) => a.kind === 'add_column' && (a.default?.volatile || a.generated !== null));
    if (perRow?.kind === 'add_column') {
      return [{ code: 'DBK202', message: `${statement} ADD COLUMN ${perRow.column} with ${perRow.default?.volatile ? `DEFAULT ${perRow.default.text}` : perRow.generated === 'auto_increment' ? 'AUTO_INCREMENT' : 'a stored generated value'} gives each row its own value: not INSTANT, the table is rebuilt or copied` }];
    }
    return [{ code: 'DBK111', message: `${statement} names no ALGORITHM: the server may copy the table or lock it against writes; ${ONLINE}` }];
  }
  if (f.lock === 'shared' || f.lock === 'exclusive') return [{ code: 'DBK111', message: `${statement} with LOCK=${f.lock.toUpperCase()} blocks writes for the whole change; ${ONLINE}` }];
  if (f.algorithm === 'inplace' && f.lock !== 'none') return [{ code: 'DBK111', message: `${statement} with ALGORITHM=INPLACE but no LOCK=NONE may block writes; ${ONLINE}` }];
  return [];
}

export const mysqlOnline: Rule = {
  codes: ['DBK111', 'DBK202', 'DBK203'],
  dialects: ['mysql'],
  check(f, scope) {
    if (f.kind === 'alter_table') {
      // Only clauses that change nothing stored (renaming the table) need no algorithm.
      if (f.actions.every((a) => a.kind === 'rename_table')) return [];
      return check(f, scope);
    }
    if (f.kind === 'create_index' || f.kind === 'drop_index') return check(f, scope);
    return [];
  },
};
