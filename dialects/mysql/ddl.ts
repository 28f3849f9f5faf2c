/** DDL of the MySQL variant (MySQL 8 and MariaDB), emitted from the physical model. */
import type { DdlEmitter, Step } from '../../src/schema/ddl.js';
import type { Column, ForeignKey, Index, Table } from '../../src/schema/model.js';
import { ident, literal } from './quote.js';

const list = (names: string[]): string => names.map(ident).join(', ');
const isSingle = (cols: string[], name: string): boolean => cols.length === 1 && cols[0] === name;

/** A column definition; single-column unnamed PRIMARY KEY / UNIQUE stay inline, as in the document. */
export function columnDefinition(column: Column, table?: Table): string {
  const parts = [ident(column.name), column.type];
  // Never set by a definition: only a plan from a live database carries them.
  if (column.charset) parts.push(`CHARACTER SET ${column.charset}`);
  if (column.collation) parts.push(`COLLATE ${column.collation}`);
  // TIMESTAMP gets an explicit NULL so the result does not depend on explicit_defaults_for_timestamp.
  if (!column.nullable) parts.push('NOT NULL');
  else if (column.type === 'timestamp') parts.push('NULL');
  if (column.autoIncrement) parts.push('AUTO_INCREMENT');
  if (column.default !== null) parts.push(`DEFAULT ${column.default}`);
  if (column.onUpdate) parts.push(`ON UPDATE ${column.onUpdate}`);
  const pk = table?.primaryKey;
  if (pk && !pk.name && isSingle(pk.columns, column.name)) parts.push('PRIMARY KEY');
  if (table?.uniques.some((u) => !u.name && isSingle(u.columns, column.name))) parts.push('UNIQUE');
  if (column.comment !== null) parts.push(`COMMENT ${literal(column.comment)}`);
  return parts.join(' ');
}

export const foreignKeySql = (fk: ForeignKey): string =>
  `${fk.name ? `CONSTRAINT ${ident(fk.name)} ` : ''}FOREIGN KEY (${list(fk.columns)}) ` +
  `REFERENCES ${ident(fk.refTable)} (${list(fk.refColumns)})` +
  (fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '') +
  (fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : '');

/** An index clause inside CREATE TABLE / ALTER TABLE ADD. */
export const indexSql = (index: Index): string =>
  `${index.unique ? 'UNIQUE ' : ''}INDEX ${ident(index.name)} (${list(index.columns)})` +
  (index.method !== 'btree' ? ` USING ${index.method.toUpperCase()}` : '');

function tableConstraints(table: Table): string[] {
  const out: string[] = [];
  const pk = table.primaryKey;
  if (pk && (pk.name || pk.columns.length > 1)) out.push(`PRIMARY KEY (${list(pk.columns)})`);
  for (const u of table.uniques) {
    if (!u.name && u.columns.length === 1) continue;
    out.push(`${u.name ? `CONSTRAINT ${ident(u.name)} ` : ''}UNIQUE (${list(u.columns)})`);
  }
  out.push(...table.foreignKeys.map(foreignKeySql));
  // The index MySQL makes by itself for a foreign key is left to the engine.
  out.push(...table.indexes.filter((i) => !i.implicit).map(indexSql));
  return out;
}

export const tableOptions = (comment: string | null): string =>
  `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment !== null ? ` COMMENT=${literal(comment)}` : ''}`;

export const mysqlDdl: DdlEmitter = {
  ident,
  prelude: (): Step => ({ id: 'prelude', up: [], down: [] }),
  table(table: Table): Step {
    const body = [...table.columns.map((c) => columnDefinition(c, table)), ...tableConstraints(table)];
    return {
      id: `table:${table.name}`,
      up: [`CREATE TABLE ${ident(table.name)} (\n    ${body.join(',\n    ')}\n) ${tableOptions(table.comment)}`],
      down: [`DROP TABLE ${ident(table.name)}`],
    };
  },
  useNamespace: (ns) => [`CREATE DATABASE IF NOT EXISTS ${ident(ns)} DEFAULT CHARACTER SET utf8mb4`, mysqlDdl.targetNamespace(ns)],
  targetNamespace: (ns) => `USE ${ident(ns)}`,
};
