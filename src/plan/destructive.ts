/**
 * The destructive-change checker (after Prisma's): which operations of a
 * plan can lose data (`data-loss`) or fail on the rows a table already has
 * (`may-fail`), each with a sentence that names the object. Pure.
 *
 * data-loss: dropping a table or column; narrowing a type or length; an
 *   enum label removed; a character set that cannot hold what is stored (a
 *   column's, or a whole table converted).
 * may-fail: a type conversion that can fail on some values; NOT NULL made
 *   over NULLs; a NOT NULL column without default added to a table that
 *   existed; a new unique constraint, unique index or primary key (over
 *   duplicates); a new CHECK constraint; a new foreign key on a table that
 *   existed (orphans make it fail); a table's collation changed.
 * Nothing for operations on tables the plan itself creates (they are empty),
 * nor for a foreign key that cannot have orphans: one over a column the plan
 * adds empty (nullable, no default: every row holds NULL), or one the plan
 * dropped and adds again over the same columns (a changed ON DELETE).
 * `dbkit migrate` counts the rows behind each of these on the live database
 * before it runs anything (src/migrate/apply/data-check/).
 */
import { DEFAULT_TABLE_CHARSET, type Column, type ForeignKey } from '../schema/model.js';
import type { Operation } from './operations.js';
import { typeChangeRisk } from './type-change.js';
import type { DestructiveRules, PlanWarning } from './types.js';

const cols = (columns: string[]): string => `(${columns.join(', ')})`;

function columnWarnings(d: DestructiveRules, table: string, from: Column, to: Column): Array<Omit<PlanWarning, 'operation'>> {
  const out: Array<Omit<PlanWarning, 'operation'>> = [];
  const name = `${table}.${to.name}`;
  const risk = typeChangeRisk(d.textTypes, from.type, to.type);
  if (risk) {
    const verb = risk.narrowing ? 'narrows' : 'changes';
    out.push({ level: risk.level, message: `${verb} column ${name} from ${from.type} to ${to.type} (${risk.why})` });
  }
  if (to.charset && to.charset !== from.charset) {
    out.push({ level: 'data-loss', message: `converts column ${name} to character set ${to.charset} (characters it cannot hold are lost)` });
  }
  if (from.nullable && !to.nullable) {
    out.push({ level: 'may-fail', message: `makes column ${name} NOT NULL (fails if it holds NULLs)` });
  }
  return out;
}

function addColumnWarning(d: DestructiveRules, table: string, c: Column): Omit<PlanWarning, 'operation'> | null {
  if (c.nullable || c.default !== null || c.autoIncrement) return null;
  const effect = d.notNullWithoutDefault;
  return { level: 'may-fail', message: `adds NOT NULL column ${table}.${c.name} without a default to an existing table (${effect})` };
}

/** What the plan did before an operation, as far as its warnings care. */
interface Before {
  existed(table: string): boolean;
  /** A foreign key of `table` that cannot have orphans: over a column added empty, or dropped and added again unchanged. */
  orphanFree(table: string, fk: ForeignKey): boolean;
}

function warningsOf(d: DestructiveRules, o: Operation, before: Before): Array<Omit<PlanWarning, 'operation'>> {
  const existed = (t: string) => before.existed(t);
  switch (o.op) {
    case 'drop_table':
      return [{ level: 'data-loss', message: `drops table ${o.table.name} (its rows are lost)` }];
    case 'drop_column':
      return [{ level: 'data-loss', message: `drops column ${o.table}.${o.column.name} (its values are lost)` }];
    case 'alter_column':
      return columnWarnings(d, o.table, o.from, o.to);
    case 'add_column': {
      const w = existed(o.table) ? addColumnWarning(d, o.table, o.column) : null;
      return w ? [w] : [];
    }
    case 'convert_table_charset':
      if (o.defaultOnly) return []; // the default of columns added later: no row is rewritten
      if (o.from.charset !== o.to.charset) {
        const [from, to] = [o.from.charset ?? DEFAULT_TABLE_CHARSET, o.to.charset ?? DEFAULT_TABLE_CHARSET];
        // utf8mb4 holds every character; any other set may not hold what is stored.
        const lost = to === DEFAULT_TABLE_CHARSET ? '' : `characters ${to} cannot hold are lost; `;
        return [
          {
            level: 'data-loss',
            message: `converts table ${o.table} from character set ${from} to ${to} (every text column is rewritten: ${lost}text stored in another encoding than ${from} is converted wrongly, and TEXT columns may widen to MEDIUMTEXT)`,
          },
        ];
      }
      return [{ level: 'may-fail', message: `changes the collation of table ${o.table} to ${o.to.collation ?? 'the default'} (a unique index fails on values the new collation makes equal)` }];
    case 'alter_enum': {
      const removed = o.from.filter((l) => !o.to.includes(l));
      if (!removed.length) return [];
      const labels = removed.map((l) => `'${l}'`).join(', ');
      return [{ level: 'data-loss', message: `removes ${labels} from enum type ${o.name} (rows holding ${removed.length > 1 ? 'them' : 'it'} make it fail)` }];
    }
    case 'add_unique':
      return existed(o.table)
        ? [{ level: 'may-fail', message: `adds unique constraint ${cols(o.unique.columns)} on ${o.table} (fails on duplicate values)` }]
        : [];
    case 'create_index':
      return o.index.unique && existed(o.table)
        ? [{ level: 'may-fail', message: `adds unique index ${o.index.name} on ${o.table} (fails on duplicate values)` }]
        : [];
    case 'set_primary_key':
      return o.to && existed(o.table)
        ? [{ level: 'may-fail', message: `sets primary key ${cols(o.to.columns)} on ${o.table} (fails on duplicate or NULL values)` }]
        : [];
    case 'add_check':
      return existed(o.table)
        ? [{ level: 'may-fail', message: `adds CHECK constraint ${o.check.name} on ${o.table} (fails on rows that break it)` }]
        : [];
    case 'add_foreign_key': {
      const fk = o.foreignKey;
      if (!existed(o.table) || before.orphanFree(o.table, fk)) return [];
      return [{ level: 'may-fail', message: `adds foreign key ${cols(fk.columns)} on ${o.table} -> ${fk.refTable} (orphans make it fail: values with no ${fk.refTable} row)` }];
    }
    default:
      return [];
  }
}

/** The warnings of a plan's operations, in operation order. */
export function classifyOperations(d: DestructiveRules, ops: readonly Operation[]): PlanWarning[] {
  const created = new Set<string>();
  /** `table.column` of columns the plan added holding NULL in every row. */
  const empty = new Set<string>();
  /** Foreign keys the plan dropped, by table and shape. */
  const dropped = new Set<string>();
  const shape = (table: string, fk: ForeignKey) => JSON.stringify([table, fk.columns, fk.refTable, fk.refColumns]);
  const before: Before = {
    existed: (t) => !created.has(t),
    orphanFree: (t, fk) => fk.columns.some((c) => empty.has(`${t}.${c}`)) || dropped.has(shape(t, fk)),
  };
  const out: PlanWarning[] = [];
  ops.forEach((o, operation) => {
    for (const w of warningsOf(d, o, before)) out.push({ ...w, operation });
    if (o.op === 'create_table') created.add(o.table.name);
    if (o.op === 'rename_table' && created.has(o.from)) created.add(o.to);
    if (o.op === 'add_column' && o.column.nullable && o.column.default === null && !o.column.autoIncrement) empty.add(`${o.table}.${o.column.name}`);
    if (o.op === 'drop_foreign_key') dropped.add(shape(o.table, o.foreignKey));
  });
  return out;
}
