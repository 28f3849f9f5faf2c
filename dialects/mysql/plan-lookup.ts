/**
 * Dropping, on MySQL/MariaDB, a constraint or index whose name the model does
 * not know (the design leaves it to the engine: `<table>_ibfk_<n>`, a unique
 * index named after its first column): the name is looked up by structure
 * in information_schema and the ALTER TABLE run as a prepared statement.
 * Four statements that must run in order on one session (a session
 * variable carries the statement); when nothing matches, the prepared
 * statement is a SIGNAL that names what is missing.
 */
import { ident, literal } from './quote.js';

/** `'...'` of a string inside a string literal of the generated SQL. */
const nested = (sql: string): string => literal(sql);

function prepared(select: string, missing: string): string[] {
  const signal = `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${literal(`dbkit: no ${missing}`)}`;
  return [
    `SET @dbkit_ddl = COALESCE((${select}), ${nested(signal)})`,
    'PREPARE dbkit_stmt FROM @dbkit_ddl',
    'EXECUTE dbkit_stmt',
    'DEALLOCATE PREPARE dbkit_stmt',
  ];
}

const columnsKey = (columns: string[]): string => literal(columns.join(','));

/** `ALTER TABLE t DROP FOREIGN KEY <found>` for the foreign key (columns) -> refTable. */
export function dropForeignKeyByShape(table: string, columns: string[], refTable: string, algorithm: string): string[] {
  const select =
    `SELECT CONCAT(${literal(`ALTER TABLE ${ident(table)} DROP FOREIGN KEY `)}, '\`', REPLACE(k.CONSTRAINT_NAME, '\`', '\`\`'), '\`', ${literal(algorithm ? `, ${algorithm}` : '')}) ` +
    'FROM information_schema.KEY_COLUMN_USAGE k ' +
    `WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ${literal(table)} AND k.REFERENCED_TABLE_NAME = ${literal(refTable)} ` +
    `GROUP BY k.CONSTRAINT_NAME HAVING GROUP_CONCAT(k.COLUMN_NAME ORDER BY k.ORDINAL_POSITION SEPARATOR ',') = ${columnsKey(columns)} LIMIT 1`;
  return prepared(select, `foreign key (${columns.join(', ')}) on ${table}`);
}

/**
 * `ALTER TABLE t DROP INDEX <found>` for the unique (or, `unique` false, plain)
 * index over exactly `columns`; `prefer` is the name tried first when several match.
 */
export function dropIndexByShape(table: string, columns: string[], unique: boolean, algorithm: string, prefer?: string): string[] {
  const order = prefer ? `ORDER BY s.INDEX_NAME = ${literal(prefer)} DESC ` : '';
  const select =
    `SELECT CONCAT(${literal(`ALTER TABLE ${ident(table)} DROP INDEX `)}, '\`', REPLACE(s.INDEX_NAME, '\`', '\`\`'), '\`', ${literal(algorithm ? `, ${algorithm}` : '')}) ` +
    'FROM information_schema.STATISTICS s ' +
    `WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = ${literal(table)} AND s.INDEX_NAME <> 'PRIMARY' AND s.NON_UNIQUE = ${unique ? 0 : 1} ` +
    `GROUP BY s.INDEX_NAME HAVING GROUP_CONCAT(s.COLUMN_NAME ORDER BY s.SEQ_IN_INDEX SEPARATOR ',') = ${columnsKey(columns)} ${order}LIMIT 1`;
  return prepared(select, `${unique ? 'unique ' : ''}index (${columns.join(', ')}) on ${table}`);
}
