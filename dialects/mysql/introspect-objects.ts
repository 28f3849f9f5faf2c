/**
 * What the MySQL / MariaDB catalog tells beyond tables, columns and keys
 * (pure, from documented rows): CHECK constraints (less MariaDB's own
 * `json_valid` checks of JSON columns), triggers, the views that use the
 * tables, and the character set and collation of a column where they
 * differ from the table's.
 */
import type { CheckConstraint, Trigger, ViewUse } from '../../src/schema/model.js';
import { text, textOrNull } from './catalog-values.js';
import type { CheckRow, ColumnRow, TriggerRow, ViewRow } from './catalog-rows.js';

/** `json_valid(`col`)`: MariaDB's check behind a JSON column; the column, or null. */
export function jsonCheckColumn(clause: string): string | null {
  const m = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(clause.trim());
  return m ? m[1]!.replace(/``/g, '`') : null;
}

/** CHECK constraints by table, without the json_valid check of a column read as JSON (`json`: `table\0column`). */
export function checksByTable(rows: CheckRow[], json: Set<string>): Map<string, CheckConstraint[]> {
  const out = new Map<string, CheckConstraint[]>();
  for (const row of rows) {
    const table = text(row.TABLE_NAME);
    const clause = text(row.CHECK_CLAUSE);
    const column = jsonCheckColumn(clause);
    if (column !== null && json.has(`${table}\0${column}`)) continue;
    out.set(table, [...(out.get(table) ?? []), { name: text(row.CONSTRAINT_NAME), expression: clause.trim() }]);
  }
  return out;
}

/** Triggers of the tables read (MySQL triggers have their body inline: no function). */
export const toTriggers = (rows: TriggerRow[], tables: Set<string>): Trigger[] =>
  rows
    .filter((r) => tables.has(text(r.EVENT_OBJECT_TABLE)))
    .map((r) => ({
      name: text(r.TRIGGER_NAME),
      table: text(r.EVENT_OBJECT_TABLE),
      timing: `${text(r.ACTION_TIMING)} ${text(r.EVENT_MANIPULATION)}`.toUpperCase(),
      function: '',
    }));

const quoted = (name: string): string => '`' + name.replace(/`/g, '``') + '`';

/**
 * The uses of the tables by views. MySQL 8 rows name a table (no column);
 * MariaDB's view definitions are searched for `` `table`.`column` `` (how
 * MariaDB writes every column reference) and `` `table` ``.
 */
export function toViewUses(rows: ViewRow[], database: string, columns: Map<string, string[]>): ViewUse[] {
  const out: ViewUse[] = [];
  for (const row of rows) {
    const schema = text(row.VIEW_SCHEMA);
    const view = schema && schema !== database ? `${schema}.${text(row.VIEW_NAME)}` : text(row.VIEW_NAME);
    const definition = textOrNull(row.VIEW_DEFINITION ?? null);
    if (definition === null) {
      const table = text(row.TABLE_NAME);
      if (columns.has(table)) out.push({ view, table, column: null });
      continue;
    }
    for (const [table, cols] of columns) {
      if (!definition.includes(quoted(table))) continue;
      const used = cols.filter((c) => definition.includes(`${quoted(table)}.${quoted(c)}`));
      if (used.length) for (const column of used) out.push({ view, table, column });
      else out.push({ view, table, column: null });
    }
  }
  return out;
}

/** The character set of a collation: its name up to the first `_` (`utf8mb4_0900_ai_ci` -> `utf8mb4`). */
const charsetOf = (collation: string): string => collation.split('_')[0]!.toLowerCase();

/**
 * A string column's character set when it is not its table's, else its
 * collation when that is not the table's default (`tableCollation`;
 * unknown: nothing compared). A table as a whole in another character set
 * than utf8mb4 (a document run on a server whose default is latin1) is not
 * a column's drift.
 */
export function charsetAndCollation(row: ColumnRow, tableCollation: string | null): { charset?: string; collation?: string } {
  const charset = textOrNull(row.CHARACTER_SET_NAME)?.toLowerCase() ?? null;
  const collation = textOrNull(row.COLLATION_NAME);
  if (charset === null || collation === null || tableCollation === null) return {};
  if (charset !== charsetOf(tableCollation)) return { charset };
  return collation !== tableCollation ? { collation } : {};
}
