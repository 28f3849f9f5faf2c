/**
 * PostgreSQL changes that rewrite a table under an ACCESS EXCLUSIVE lock
 * (reads and writes wait for the whole rewrite): a column type change that
 * is not binary-coercible (DBK201), a column added with a value per row
 * (DBK202: a volatile default, identity, serial, a stored generated column;
 * a constant or stable default such as now() is a catalog change since
 * PostgreSQL 11), and whole-table rewrites (DBK204: VACUUM FULL, CLUSTER,
 * SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD).
 */
import type { Rule } from './rule.js';

interface TypeParts {
  base: string;
  args: number[];
  array: boolean;
}

function parts(type: string): TypeParts {
  const array = /\[\]$/.test(type);
  const bare = type.replace(/(\[\])+$/, '');
  const m = /^([a-z][a-z0-9_ ]*?)\s*(?:\((\d+)(?:\s*,\s*(\d+))?\))?$/i.exec(bare);
  if (!m) return { base: bare, args: [], array };
  return { base: m[1]!.toLowerCase(), args: [m[2], m[3]].filter((x): x is string => x !== undefined).map(Number), array };
}

const VARCHAR = new Set(['varchar', 'character varying']);
const PRECISION = new Set(['timestamp', 'timestamptz', 'time', 'timetz', 'interval']);

/** ALTER COLUMN ... TYPE that keeps every stored value (binary coercible): only the catalog changes. */
export function typeChangeKeepsRows(from: string, to: string): boolean {
  if (from === to) return true;
  const [f, t] = [parts(from), parts(to)];
  if (f.array !== t.array) return false;
  if (VARCHAR.has(f.base) && VARCHAR.has(t.base)) return !t.args.length || (f.args.length > 0 && t.args[0]! >= f.args[0]!);
  if (VARCHAR.has(f.base) && t.base === 'text') return true;
  if (f.base === 'text' && VARCHAR.has(t.base)) return !t.args.length;
  if (f.base === 'numeric' && t.base === 'numeric') {
    if (!t.args.length) return true;
    if (!f.args.length) return false;
    return (f.args[1] ?? 0) === (t.args[1] ?? 0) && t.args[0]! >= f.args[0]!;
  }
  if (PRECISION.has(f.base) && f.base === t.base) return !t.args.length || (f.args.length > 0 && t.args[0]! >= f.args[0]!);
  return f.base === 'cidr' && t.base === 'inet';
}

const GENERATED: Record<string, string> = { identity: 'an identity', serial: 'a serial type (a nextval() default)', stored: 'GENERATED ... STORED' };

export const postgresRewrites: Rule = {
  codes: ['DBK201', 'DBK202', 'DBK204'],
  dialects: ['postgres'],
  check(f, scope) {
    if (f.kind === 'rewrite') {
      return [{ code: 'DBK204', message: `${f.what}${f.table ? ` ${f.table}` : ''} rewrites the table under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends` }];
    }
    if (f.kind !== 'alter_table' || scope.isNew(f.table)) return [];
    return f.actions.flatMap((a) => {
      if (a.kind === 'rebuild') {
        return [{ code: 'DBK204', message: `ALTER TABLE ${f.table} ${a.what} rewrites the table under an ACCESS EXCLUSIVE lock: reads and writes wait until it ends` }];
      }
      if (a.kind === 'alter_type') {
        if (scope.addedColumns.has(`${f.table}.${a.column}`)) return [];
        const before = scope.column(f.table, a.column);
        if (before && typeChangeKeepsRows(before.type, a.type)) return [];
        const change = before ? `${before.type} -> ${a.type}` : `to ${a.type}; its type before is not known to lint`;
        return [
          {
            code: 'DBK201',
            message: `ALTER TABLE ${f.table} ALTER COLUMN ${a.column} TYPE (${change}) rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (only binary-coercible changes, e.g. a longer varchar, do not): reads and writes wait until it ends`,
          },
        ];
      }
      if (a.kind === 'add_column' && (a.default?.volatile || (a.generated && GENERATED[a.generated]))) {
        const what = a.default?.volatile ? `DEFAULT ${a.default.text} (volatile: evaluated per row)` : GENERATED[a.generated!]!;
        return [{ code: 'DBK202', message: `ALTER TABLE ${f.table} ADD COLUMN ${a.column} with ${what} rewrites the table under an ACCESS EXCLUSIVE lock: add the column without it, then fill it in batches` }];
      }
      return [];
    });
  },
};
