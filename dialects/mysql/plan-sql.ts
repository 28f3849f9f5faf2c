/**
 * MySQL / MariaDB statements of a plan's operations (src/plan), pure.
 *
 * Operations become ALTER TABLE clauses or standalone statements; clauses
 * of consecutive operations on the same table that may demand the same
 * ALGORITHM (plan-online.ts) share one ALTER TABLE, which ends with that
 * ALGORITHM (and LOCK=NONE for INPLACE). A MODIFY COLUMN carries the full
 * column definition, comment included (MySQL drops what it omits).
 * Constraints the engine named are dropped by name when the model knows it
 * (introspected), or looked up by structure (plan-lookup.ts).
 *
 * In a migration, on a table that existed before it: a foreign key is added
 * INPLACE between `SET foreign_key_checks = 0` and `= 1` (three statements
 * of one operation, so that a resumed run starts again at the first); an
 * ALTER TABLE that can demand no algorithm copies the table with writes
 * blocked and is marked `blocking`.
 */
import type { Operation, OperationOf, TableCharset } from '../../src/plan/operations.js';
import type { PlannedStatement, RenderOptions } from '../../src/plan/types.js';
import { DEFAULT_TABLE_CHARSET, type Column, type Table } from '../../src/schema/model.js';
import { columnDefinition, foreignKeySql, indexSql, tableOptions } from './ddl.js';
import { dropForeignKeyByShape, dropIndexByShape } from './plan-lookup.js';
import { algorithmClause, columnChange, literalDefault, type Algorithm } from './plan-online.js';
import { ident, literal } from './quote.js';
import { describeOperation } from '../../src/plan/describe.js';

const list = (names: string[]): string => names.map(ident).join(', ');

/** A clause of an ALTER TABLE, or a statement of its own. */
type Piece = { table: string; clause: string; algorithm: Algorithm } | { sql: string; blocking?: string };

const clause = (table: string, text: string, algorithm: Algorithm): Piece => ({ table, clause: text, algorithm });

/** What rendering one operation needs to know about the others. */
interface Context {
  migration: boolean;
  /** Tables created earlier in the same plan (empty: nothing to keep online). */
  created: Set<string>;
  /** Live tables whose own default character set or collation is not the variant's (fix scripts). */
  drifted: ReadonlySet<string>;
}

/** Types that have a character set. */
const TEXT_TYPE = /^(var)?char\(|^(tiny|medium|long)?text$|^enum\(|^set\(/;

/**
 * A column as a MODIFY or ADD on `table` writes it: on a table whose own
 * default is not the variant's, a text column of the variant's character set
 * names it (`CHARACTER SET utf8mb4`, whose default collation is the
 * variant's), or the server would give it the table's.
 */
const definedOn = (table: string, c: Column, ctx: Context): Column =>
  ctx.drifted.has(table) && !c.charset && TEXT_TYPE.test(c.type) ? { ...c, charset: DEFAULT_TABLE_CHARSET } : c;

/** Why an ALTER TABLE clause without an algorithm blocks writes to a table with rows, or null when it does not. */
function blockingReason(o: Operation, table: string): string | null {
  switch (o.op) {
    case 'alter_column':
    case 'add_column':
    case 'set_primary_key':
    case 'add_check':
    case 'convert_table_charset':
      return `copies table ${table} (${describeOperation(o)}): writes wait until the copy ends (dbkit migrate --online pt-osc copies it without blocking them)`;
    case 'create_index':
      return `builds index ${o.index.name} on ${table} with writes blocked (${describeOperation(o)}; dbkit migrate --online pt-osc builds it on a copy without blocking them)`;
    default:
      return null; // DROP CONSTRAINT of a CHECK: the server changes the catalog alone
  }
}

function createTable(t: Table): string {
  const pk = t.primaryKey;
  const body = [
    ...t.columns.map((c) => columnDefinition(c, t)),
    ...(pk && (pk.name || pk.columns.length > 1) ? [`PRIMARY KEY (${list(pk.columns)})`] : []),
    ...t.uniques.filter((u) => u.name || u.columns.length > 1).map((u) => `${u.name ? `CONSTRAINT ${ident(u.name)} ` : ''}UNIQUE (${list(u.columns)})`),
    // The index MySQL makes by itself for a foreign key comes with the foreign key.
    ...t.indexes.filter((i) => !i.implicit).map(indexSql),
    ...(t.checks ?? []).map((k) => `CONSTRAINT ${ident(k.name)} CHECK (${k.expression})`),
  ];
  return `CREATE TABLE ${ident(t.name)} (\n    ${body.join(',\n    ')}\n) ${tableOptions(t.comment)}`;
}

const INPLACE = algorithmClause('inplace');

/** MySQL adds a column INSTANT unless it is AUTO_INCREMENT or its default is an expression (`DEFAULT (uuid())`). */
const addColumnAlgorithm = (c: Column): Algorithm =>
  !c.autoIncrement && (literalDefault(c.default) || /^CURRENT_TIMESTAMP(\(\d\))?$/.test(c.default ?? '')) ? 'instant' : null;

/** Whether the plan drops the foreign key an implicit index serves (then the index is dropped after it; else MySQL drops it by itself). */
const foreignKeyDropped = (ops: readonly Operation[], table: string, columns: string[]): boolean =>
  ops.some((o) => o.op === 'drop_foreign_key' && o.table === table && o.foreignKey.columns.join() === columns.join());

/** ADD FOREIGN KEY to a table with rows: INPLACE, which MySQL and MariaDB allow only with foreign_key_checks=0 (no orphan scan). */
const addForeignKeyOnline = (table: string, fk: OperationOf<'add_foreign_key'>['foreignKey']): Piece[] => [
  { sql: 'SET foreign_key_checks = 0' },
  { sql: `ALTER TABLE ${ident(table)} ADD ${foreignKeySql(fk)}, ${INPLACE}` },
  { sql: 'SET foreign_key_checks = 1' },
];

/** A character set or collation name from the catalog or a definition: a word, never quoted text. */
const charsetName = (name: string): string => {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`not a character set or collation name: ${JSON.stringify(name)}`);
  return name;
};

/** `CONVERT TO CHARACTER SET utf8mb4` (the server's default collation for it), or with a COLLATE. */
const convertTo = (to: TableCharset): string =>
  `CONVERT TO CHARACTER SET ${charsetName(to.charset ?? DEFAULT_TABLE_CHARSET)}${to.collation ? ` COLLATE ${charsetName(to.collation)}` : ''}`;

/** `DEFAULT CHARACTER SET utf8mb4` (the server's default collation for it), or with a COLLATE: the table's default only. */
const defaultCharset = (to: TableCharset): string =>
  `DEFAULT CHARACTER SET ${charsetName(to.charset ?? DEFAULT_TABLE_CHARSET)}${to.collation ? ` COLLATE ${charsetName(to.collation)}` : ''}`;

function piecesOf(o: Operation, ops: readonly Operation[], ctx: Context): Piece[] {
  switch (o.op) {
    case 'create_table':
      return [{ sql: createTable(o.table) }];
    case 'drop_table':
      return [{ sql: `DROP TABLE ${ident(o.table.name)}` }];
    case 'rename_table':
      return [{ sql: `RENAME TABLE ${ident(o.from)} TO ${ident(o.to)}` }];
    case 'add_column':
      return [clause(o.table, `ADD COLUMN ${columnDefinition(definedOn(o.table, o.column, ctx))}`, addColumnAlgorithm(o.column))];
    case 'drop_column':
      return [clause(o.table, `DROP COLUMN ${ident(o.column.name)}`, 'instant')];
    case 'rename_column':
      return [clause(o.table, `RENAME COLUMN ${ident(o.from)} TO ${ident(o.to)}`, 'inplace')];
    case 'alter_column': {
      const change = columnChange(o.from, o.to);
      const col = ident(o.to.name);
      if (change.how === 'default') {
        const text = o.to.default === null ? `ALTER COLUMN ${col} DROP DEFAULT` : `ALTER COLUMN ${col} SET DEFAULT ${o.to.default}`;
        return [clause(o.table, text, change.algorithm)];
      }
      return [clause(o.table, `MODIFY COLUMN ${columnDefinition(definedOn(o.table, o.to, ctx))}`, change.algorithm)];
    }
    case 'set_primary_key':
      return [
        ...(o.from ? [clause(o.table, 'DROP PRIMARY KEY', null)] : []),
        ...(o.to ? [clause(o.table, `ADD PRIMARY KEY (${list(o.to.columns)})`, null)] : []),
      ];
    case 'add_unique':
      return [clause(o.table, `ADD ${o.unique.name ? `CONSTRAINT ${ident(o.unique.name)} ` : ''}UNIQUE (${list(o.unique.columns)})`, 'inplace')];
    case 'drop_unique':
      return o.unique.name
        ? [clause(o.table, `DROP INDEX ${ident(o.unique.name)}`, 'inplace')]
        : dropIndexByShape(o.table, o.unique.columns, true, INPLACE).map((sql) => ({ sql }));
    case 'add_foreign_key':
      if (ctx.migration && !ctx.created.has(o.table)) return addForeignKeyOnline(o.table, o.foreignKey);
      return [clause(o.table, `ADD ${foreignKeySql(o.foreignKey)}`, null)];
    case 'drop_foreign_key':
      return o.foreignKey.name
        ? [clause(o.table, `DROP FOREIGN KEY ${ident(o.foreignKey.name)}`, 'inplace')]
        : dropForeignKeyByShape(o.table, o.foreignKey.columns, o.foreignKey.refTable, INPLACE).map((sql) => ({ sql }));
    case 'create_index':
      if (o.index.implicit) return []; // made by the engine with its foreign key
      return [clause(o.table, `ADD ${indexSql(o.index)}`, /^(btree|hash)$/.test(o.index.method) ? 'inplace' : null)];
    case 'drop_index':
      return dropIndex(o, ops);
    case 'rename_index':
      return [clause(o.table, `RENAME INDEX ${ident(o.from)} TO ${ident(o.to)}`, 'inplace')];
    case 'add_check':
      return [clause(o.table, `ADD CONSTRAINT ${ident(o.check.name)} CHECK (${o.check.expression})`, null)];
    case 'drop_check':
      return [clause(o.table, `DROP CONSTRAINT ${ident(o.check.name)}`, null)];
    case 'set_table_comment':
      return [clause(o.table, `COMMENT = ${literal(o.to ?? '')}`, 'inplace')];
    case 'convert_table_charset':
      // Only the default: no column is rewritten, and a fix script runs it as printed.
      if (o.defaultOnly) return [{ sql: `ALTER TABLE ${ident(o.table)} ${defaultCharset(o.to)}` }];
      // A statement of its own: it rewrites the table (no ALGORITHM qualifies), and a fix script refuses it apart.
      // In a migration on a table with rows: a copy with writes blocked, like any clause that demands no algorithm.
      return [{ sql: `ALTER TABLE ${ident(o.table)} ${convertTo(o.to)}`, ...(ctx.migration && !ctx.created.has(o.table) ? { blocking: blockingReason(o, o.table)! } : {}) }];
    case 'drop_trigger':
      return [{ sql: `DROP TRIGGER ${ident(o.trigger.name)}` }];
    case 'create_trigger':
    case 'rename_trigger':
      throw new Error(`${o.op} has no MySQL statement: MySQL variants have no triggers of their own`);
    case 'create_enum':
    case 'drop_enum':
    case 'alter_enum':
    case 'rename_enum':
    case 'create_function':
    case 'drop_function':
      return []; // PostgreSQL objects: a MySQL model has none
  }
}

function dropIndex(o: OperationOf<'drop_index'>, ops: readonly Operation[]): Piece[] {
  if (!o.index.implicit) return [clause(o.table, `DROP INDEX ${ident(o.index.name)}`, 'inplace')];
  // MySQL drops its own foreign-key index when another index takes over; after the foreign key itself went, it stays.
  if (!foreignKeyDropped(ops, o.table, o.index.columns)) return [];
  return dropIndexByShape(o.table, o.index.columns, false, INPLACE, o.index.name).map((sql) => ({ sql }));
}

interface Pending {
  table: string;
  clauses: string[];
  algorithm: Algorithm;
  operations: number[];
  disabled: string | undefined;
  /** Why the statement blocks writes (each clause's reason, once). */
  blocking: string[];
}

const alterSql = (p: Pending): string =>
  `ALTER TABLE ${ident(p.table)} ${[...p.clauses, ...(p.algorithm ? [algorithmClause(p.algorithm)] : [])].join(', ')}`;

export function renderMysql(ops: readonly Operation[], opts: RenderOptions): PlannedStatement[] {
  const ctx: Context = { migration: opts.purpose === 'migration', created: new Set(), drifted: opts.driftedTables ?? new Set() };
  const out: PlannedStatement[] = [];
  let pending: Pending | null = null;
  const flush = () => {
    if (!pending) return;
    const p: Pending = pending;
    const blocking = p.blocking.length ? { blocking: p.blocking.join('; ') } : {};
    out.push({ sql: alterSql(p), operation: p.operations[0]!, operations: p.operations, ...(p.disabled ? { disabled: p.disabled } : {}), ...blocking });
    pending = null;
  };
  ops.forEach((o, operation) => {
    const disabled = opts.disabled?.get(operation);
    for (const piece of piecesOf(o, ops, ctx)) {
      if ('sql' in piece) {
        flush();
        out.push({ sql: piece.sql, operation, operations: [operation], ...(disabled ? { disabled } : {}), ...(piece.blocking ? { blocking: piece.blocking } : {}) });
        continue;
      }
      const reason = ctx.migration && piece.algorithm === null && !ctx.created.has(piece.table) ? blockingReason(o, piece.table) : null;
      const p = pending as Pending | null;
      if (p && p.table === piece.table && p.algorithm === piece.algorithm && p.disabled === disabled) {
        p.clauses.push(piece.clause);
        if (!p.operations.includes(operation)) p.operations.push(operation);
        if (reason && !p.blocking.includes(reason)) p.blocking.push(reason);
        continue;
      }
      flush();
      pending = { table: piece.table, clauses: [piece.clause], algorithm: piece.algorithm, operations: [operation], disabled, blocking: reason ? [reason] : [] };
    }
    if (o.op === 'create_table') ctx.created.add(o.table.name);
    if (o.op === 'rename_table' && ctx.created.has(o.from)) ctx.created.add(o.to);
  });
  flush();
  return out;
}
