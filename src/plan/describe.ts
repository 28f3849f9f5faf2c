/**
 * One line per operation, for people: the summary `dbkit make` prints and a
 * migration's header (`add column users.bio text`, `drop table runs`,
 * `alter column sessions.title: varchar(255) -> varchar(300)`). Pure.
 */
import { DEFAULT_TABLE_CHARSET, type Column } from '../schema/model.js';
import type { Operation } from './operations.js';

const cols = (columns: string[]): string => `(${columns.join(', ')})`;
const labels = (ls: string[]): string => ls.map((l) => `'${l}'`).join(', ');

/** What changes between two versions of a column, in words. */
function columnChanges(a: Column, b: Column): string {
  const out: string[] = [];
  if (a.type !== b.type) out.push(`${a.type} -> ${b.type}`);
  if (a.nullable !== b.nullable) out.push(b.nullable ? 'nullable' : 'NOT NULL');
  if (a.default !== b.default) out.push(b.default === null ? 'no default' : `default ${b.default}`);
  if (a.autoIncrement !== b.autoIncrement) out.push(b.autoIncrement ? 'auto-increment' : 'no auto-increment');
  if (a.onUpdate !== b.onUpdate) out.push(b.onUpdate === null ? 'no ON UPDATE' : `ON UPDATE ${b.onUpdate}`);
  if (a.comment !== b.comment) out.push(b.comment === null ? 'no comment' : 'comment');
  if ((a.collation ?? null) !== (b.collation ?? null)) out.push(b.collation ? `collation ${b.collation}` : 'default collation');
  if ((a.charset ?? null) !== (b.charset ?? null)) out.push(b.charset ? `character set ${b.charset}` : "the table's character set");
  return out.join(', ');
}

export function describeOperation(o: Operation): string {
  switch (o.op) {
    case 'create_table':
      return `create table ${o.table.name}`;
    case 'drop_table':
      return `drop table ${o.table.name}`;
    case 'rename_table':
      return `rename table ${o.from} -> ${o.to}`;
    case 'add_column':
      return `add column ${o.table}.${o.column.name} ${o.column.type}${o.column.nullable ? '' : ' NOT NULL'}`;
    case 'drop_column':
      return `drop column ${o.table}.${o.column.name}`;
    case 'rename_column':
      return `rename column ${o.table}.${o.from} -> ${o.to}`;
    case 'alter_column':
      return `alter column ${o.table}.${o.to.name}: ${columnChanges(o.from, o.to)}`;
    case 'set_primary_key':
      return o.to ? `set primary key of ${o.table} ${cols(o.to.columns)}` : `drop primary key of ${o.table}`;
    case 'add_unique':
      return `add unique constraint ${cols(o.unique.columns)} on ${o.table}`;
    case 'drop_unique':
      return `drop unique constraint ${cols(o.unique.columns)} on ${o.table}`;
    case 'add_foreign_key':
      return `add foreign key ${o.table} ${cols(o.foreignKey.columns)} -> ${o.foreignKey.refTable} ON DELETE ${o.foreignKey.onDelete}`;
    case 'drop_foreign_key':
      return `drop foreign key ${o.table} ${cols(o.foreignKey.columns)} -> ${o.foreignKey.refTable}`;
    case 'create_index':
      return `create ${o.index.unique ? 'unique ' : ''}index ${o.index.name} on ${o.table} ${cols(o.index.columns)}`;
    case 'drop_index':
      return `drop index ${o.index.name} on ${o.table}`;
    case 'rename_index':
      return `rename index ${o.from} -> ${o.to} on ${o.table}`;
    case 'add_check':
      return `add CHECK constraint ${o.check.name} on ${o.table}`;
    case 'drop_check':
      return `drop CHECK constraint ${o.check.name} on ${o.table}`;
    case 'set_table_comment':
      return `set comment of table ${o.table}`;
    case 'convert_table_charset':
      if (o.defaultOnly) return `set the default character set of table ${o.table} to ${o.to.charset ?? DEFAULT_TABLE_CHARSET}${o.to.collation ? ` collation ${o.to.collation}` : ''} (its columns keep theirs)`;
      return `convert table ${o.table} to character set ${o.to.charset ?? DEFAULT_TABLE_CHARSET}${o.to.collation ? ` collation ${o.to.collation}` : ''}`;
    case 'create_enum':
      return `create enum type ${o.enum.name} (${labels(o.enum.labels)})`;
    case 'drop_enum':
      return `drop enum type ${o.enum.name}`;
    case 'alter_enum': {
      const added = o.to.filter((l) => !o.from.includes(l));
      const removed = o.from.filter((l) => !o.to.includes(l));
      const parts = [...(added.length ? [`add ${labels(added)}`] : []), ...(removed.length ? [`remove ${labels(removed)}`] : [])];
      return `alter enum type ${o.name}: ${parts.length ? parts.join(', ') : 'reorder labels'}`;
    }
    case 'rename_enum':
      return `rename enum type ${o.from} -> ${o.to}`;
    case 'create_function':
      return `create function ${o.name}() (sets ${o.column} on update)`;
    case 'drop_function':
      return `drop function ${o.name}()`;
    case 'create_trigger':
      return `create trigger ${o.trigger.name} on ${o.trigger.table}`;
    case 'drop_trigger':
      return `drop trigger ${o.trigger.name} on ${o.trigger.table}`;
    case 'rename_trigger':
      return `rename trigger ${o.from} -> ${o.to} on ${o.table}`;
  }
}
