/** `dbkit diff --sql` on MySQL/MariaDB: statements that turn the live schema into the expected one. */
import { CHANGE_KINDS, type Change } from '../../src/diff/changes.js';
import { destructive, fixOrder } from '../../src/diff/fix.js';
import type { DbSchema, Table } from '../../src/schema/model.js';
import { columnDefinition, foreignKeySql, indexSql, mysqlDdl } from './ddl.js';
import { ident, literal } from './quote.js';

const alter = (table: string, action: string): string => `ALTER TABLE ${ident(table)} ${action}`;
const list = (cols: string[]): string => cols.map(ident).join(', ');
/** Changes to one attribute of an existing column: all become one MODIFY COLUMN. */
const COLUMN_KINDS = new Set<Change['kind']>(
  CHANGE_KINDS.filter((k) => k.startsWith('column_') && k !== 'column_missing' && k !== 'column_extra'),
);

function tableOf(schema: DbSchema, name: string): Table {
  const t = schema.tables.find((x) => x.name === name);
  if (!t) throw new Error(`no table ${name} in the expected schema`);
  return t;
}

function fixOne(change: Change, expected: DbSchema): string[] {
  const table = change.table ?? '';
  switch (change.kind) {
    case 'table_missing':
      return mysqlDdl.table(change.expected, expected).up;
    case 'table_extra':
      return [destructive(`DROP TABLE ${ident(change.name)}`, `table ${change.name} is not in the definition`)];
    case 'table_comment':
      return [alter(table, `COMMENT = ${literal(change.expected ?? '')}`)];
    case 'column_missing':
      return [alter(table, `ADD COLUMN ${columnDefinition(change.expected)}`)];
    case 'column_extra':
      return [destructive(alter(table, `DROP COLUMN ${ident(change.name)}`), `column ${table}.${change.name} is not in the definition`)];
    case 'primary_key':
      return [
        alter(
          table,
          [...(change.actual ? ['DROP PRIMARY KEY'] : []), ...(change.expected ? [`ADD PRIMARY KEY (${list(change.expected.columns)})`] : [])].join(', '),
        ),
      ];
    case 'unique_missing':
      return [alter(table, `ADD UNIQUE (${list(change.expected.columns)})`)];
    case 'unique_extra':
      return [alter(table, `DROP INDEX ${ident(change.actual.name ?? change.name)}`)];
    case 'foreign_key_missing':
      return [alter(table, `ADD ${foreignKeySql(change.expected)}`)];
    case 'foreign_key_extra':
      return [alter(table, `DROP FOREIGN KEY ${ident(change.actual.name ?? change.name)}`)];
    case 'foreign_key_changed':
      return [
        alter(table, `DROP FOREIGN KEY ${ident(change.actual.name ?? change.name)}`),
        alter(table, `ADD ${foreignKeySql({ ...change.expected, name: change.actual.name })}`),
      ];
    case 'index_missing':
      // The index MySQL makes for a foreign key comes back with the foreign key.
      return change.expected.implicit ? [] : [alter(table, `ADD ${indexSql(change.expected)}`)];
    case 'index_extra':
      return [alter(table, `DROP INDEX ${ident(change.name)}`)];
    case 'index_changed':
      return [alter(table, `DROP INDEX ${ident(change.actual.name)}, ADD ${indexSql(change.expected)}`)];
    default:
      return [`-- ${change.message} (no MySQL statement for ${change.kind})`];
  }
}

/** Column changes become one MODIFY COLUMN with the full expected definition per column. */
export function mysqlFixStatements(changes: Change[], expected: DbSchema): string[] {
  const out: string[] = [];
  const modified = new Set<string>();
  for (const change of fixOrder(changes)) {
    if (COLUMN_KINDS.has(change.kind)) {
      const key = `${change.table}.${change.name}`;
      if (modified.has(key)) continue;
      modified.add(key);
      const col = tableOf(expected, change.table!).columns.find((c) => c.name === change.name)!;
      out.push(alter(change.table!, `MODIFY COLUMN ${columnDefinition(col)}`));
    } else {
      out.push(...fixOne(change, expected));
    }
  }
  return out;
}
