/**
 * PostgreSQL statements of a plan's operations (src/plan): one or more per
 * operation, in order, pure.
 *
 * Production-safe where a table existed before the plan (migrations):
 * `CREATE INDEX CONCURRENTLY` (not in a transaction: the plan says so), a
 * unique constraint from a unique index built concurrently, foreign keys and
 * CHECKs added `NOT VALID` then validated in a transaction of their own (a
 * short lock, then a scan that lets writes go on), NOT NULL through a
 * validated CHECK; what still rewrites the table is marked blocking
 * (plan-online.ts). Fix scripts run as one transaction: no CONCURRENTLY.
 * Constraints the design leaves unnamed are dropped by their name when the
 * model knows it (introspected) and looked up by structure otherwise.
 */
import type { Operation, OperationOf } from '../../src/plan/operations.js';
import type { PlannedStatement, RenderOptions } from '../../src/plan/types.js';
import type { Table } from '../../src/schema/model.js';
import { commentOnTable, createIndex, defaultSql } from './ddl.js';
import { alterColumnStatements, columnSql, commentOnColumn } from './plan-columns.js';
import { addedLabels, alterEnum, createEnum } from './plan-enums.js';
import { defaultName, dropUnnamedConstraint } from './plan-names.js';
import { addColumnRewrites, columnChangeRewrites, setNotNullViaCheck } from './plan-online.js';
import { describeOperation } from '../../src/plan/describe.js';
import { ident, literal } from './quote.js';

const list = (names: string[]): string => names.map(ident).join(', ');
const alter = (table: string, action: string): string => `ALTER TABLE ${ident(table)} ${action}`;
const isSingle = (cols: string[], name: string): boolean => cols.length === 1 && cols[0] === name;

/** What rendering one operation needs to know about the others. */
interface Context {
  migration: boolean;
  /** Tables created earlier in the same plan (empty: no need for online DDL). */
  created: Set<string>;
}

function createTable(t: Table): string[] {
  const pk = t.primaryKey;
  const columns = t.columns.map((c) =>
    columnSql(c, {
      primaryKey: !!pk && !pk.name && isSingle(pk.columns, c.name),
      unique: t.uniques.some((u) => !u.name && isSingle(u.columns, c.name)),
    }),
  );
  const constraints = [
    ...(pk && (pk.name || pk.columns.length > 1) ? [`${pk.name ? `CONSTRAINT ${ident(pk.name)} ` : ''}PRIMARY KEY (${list(pk.columns)})`] : []),
    ...t.uniques.filter((u) => u.name || u.columns.length > 1).map((u) => `${u.name ? `CONSTRAINT ${ident(u.name)} ` : ''}UNIQUE (${list(u.columns)})`),
    ...(t.checks ?? []).map((k) => `CONSTRAINT ${ident(k.name)} CHECK (${k.expression})`),
  ];
  return [
    `CREATE TABLE ${ident(t.name)} (\n    ${[...columns, ...constraints].join(',\n    ')}\n)`,
    ...t.indexes.map((i) => createIndex(i, t.name)),
    ...(t.comment !== null ? [commentOnTable(t.name, t.comment)] : []),
    ...t.columns.filter((c) => c.comment !== null).map((c) => commentOnColumn(t.name, c.name, c.comment)),
  ];
}

const fkClause = (fk: OperationOf<'add_foreign_key'>['foreignKey']): string =>
  `FOREIGN KEY (${list(fk.columns)}) REFERENCES ${ident(fk.refTable)} (${list(fk.refColumns)})` +
  (fk.onDelete !== 'NO ACTION' ? ` ON DELETE ${fk.onDelete}` : '') +
  (fk.onUpdate !== 'NO ACTION' ? ` ON UPDATE ${fk.onUpdate}` : '');

/** A constraint on a table that existed: added NOT VALID (no scan under the lock), then validated. */
const addValidated = (table: string, name: string, body: string): string[] => [
  alter(table, `ADD CONSTRAINT ${ident(name)} ${body} NOT VALID`),
  alter(table, `VALIDATE CONSTRAINT ${ident(name)}`),
];

function addForeignKey(o: OperationOf<'add_foreign_key'>, ctx: Context): string[] {
  const fk = o.foreignKey;
  if (ctx.created.has(o.table)) return [alter(o.table, `ADD ${fk.name ? `CONSTRAINT ${ident(fk.name)} ` : ''}${fkClause(fk)}`)];
  return addValidated(o.table, fk.name ?? defaultName(o.table, fk.columns, 'fkey'), fkClause(fk));
}

function addUnique(o: OperationOf<'add_unique'>, ctx: Context): string[] {
  const u = o.unique;
  if (!ctx.migration || ctx.created.has(o.table)) return [alter(o.table, `ADD ${u.name ? `CONSTRAINT ${ident(u.name)} ` : ''}UNIQUE (${list(u.columns)})`)];
  const name = u.name ?? defaultName(o.table, u.columns, 'key');
  return [
    `CREATE UNIQUE INDEX CONCURRENTLY ${ident(name)} ON ${ident(o.table)} (${list(u.columns)})`,
    alter(o.table, `ADD CONSTRAINT ${ident(name)} UNIQUE USING INDEX ${ident(name)}`),
  ];
}

function setPrimaryKey(o: OperationOf<'set_primary_key'>): string[] {
  const out: string[] = [];
  if (o.from) out.push(o.from.name ? alter(o.table, `DROP CONSTRAINT ${ident(o.from.name)}`) : dropUnnamedConstraint(o.table, 'p', o.from.columns));
  if (o.to) out.push(alter(o.table, `ADD ${o.to.name ? `CONSTRAINT ${ident(o.to.name)} ` : ''}PRIMARY KEY (${list(o.to.columns)})`));
  return out;
}

/** `BEFORE UPDATE` / `AFTER INSERT FOR EACH STATEMENT` -> the parts of CREATE TRIGGER. */
function createTrigger(t: OperationOf<'create_trigger'>['trigger']): string {
  const statement = / FOR EACH STATEMENT$/.test(t.timing);
  const timing = t.timing.replace(/ FOR EACH STATEMENT$/, '');
  return `CREATE TRIGGER ${ident(t.name)} ${timing} ON ${ident(t.table)} FOR EACH ${statement ? 'STATEMENT' : 'ROW'} EXECUTE FUNCTION ${ident(t.function)}()`;
}

const createFunction = (name: string, column: string): string =>
  `CREATE OR REPLACE FUNCTION ${ident(name)}() RETURNS trigger LANGUAGE plpgsql AS $$\n` +
  `BEGIN\n  NEW.${ident(column)} := now();\n  RETURN NEW;\nEND\n$$`;

/** A statement of an operation: its SQL, or with what the plan must know about it. */
type Stmt = string | { sql: string; helper?: true; blocking?: string };

const rewrites = (table: string, o: Operation): string =>
  `rewrites table ${table} under an ACCESS EXCLUSIVE lock (${describeOperation(o)}): reads and writes wait until it ends`;

/** A column change on a table that existed (migrations): NOT NULL through a validated CHECK; a rewrite marked blocking. */
function alterColumn(o: OperationOf<'alter_column'>, ctx: Context): Stmt[] {
  const statements = alterColumnStatements(o.table, o.from, o.to);
  if (!ctx.migration || ctx.created.has(o.table)) return statements;
  const blocking = columnChangeRewrites(o.from, o.to) ? rewrites(o.table, o) : undefined;
  const marked: Stmt[] = statements.map((sql, i) => (i === 0 && blocking ? { sql, blocking } : sql));
  // A rewrite scans the table anyway: the check would only add work.
  if (!o.from.nullable || o.to.nullable || blocking) return marked;
  return setNotNullViaCheck(o.table, o.to.name, statements);
}

function statementsOf(o: Operation, ctx: Context): Stmt[] {
  switch (o.op) {
    case 'create_table':
      return createTable(o.table);
    case 'drop_table':
      return [`DROP TABLE ${ident(o.table.name)}`];
    case 'rename_table':
      return [alter(o.from, `RENAME TO ${ident(o.to)}`)];
    case 'add_column':
      return [
        ctx.migration && !ctx.created.has(o.table) && addColumnRewrites(o.column)
          ? { sql: alter(o.table, `ADD COLUMN ${columnSql(o.column)}`), blocking: rewrites(o.table, o) }
          : alter(o.table, `ADD COLUMN ${columnSql(o.column)}`),
        ...(o.column.comment !== null ? [commentOnColumn(o.table, o.column.name, o.column.comment)] : []),
      ];
    case 'drop_column':
      return [alter(o.table, `DROP COLUMN ${ident(o.column.name)}`)];
    case 'rename_column':
      return [alter(o.table, `RENAME COLUMN ${ident(o.from)} TO ${ident(o.to)}`)];
    case 'alter_column':
      return alterColumn(o, ctx);
    case 'set_primary_key': {
      const out: Stmt[] = setPrimaryKey(o);
      if (!o.to || !ctx.migration || ctx.created.has(o.table)) return out;
      const blocking = `builds the primary key index of ${o.table} under an ACCESS EXCLUSIVE lock (${describeOperation(o)}): reads and writes wait until it ends`;
      return out.map((sql, i) => (i === out.length - 1 && typeof sql === 'string' ? { sql, blocking } : sql));
    }
    case 'add_unique':
      return addUnique(o, ctx);
    case 'drop_unique':
      return [o.unique.name ? alter(o.table, `DROP CONSTRAINT ${ident(o.unique.name)}`) : dropUnnamedConstraint(o.table, 'u', o.unique.columns)];
    case 'add_foreign_key':
      return addForeignKey(o, ctx);
    case 'drop_foreign_key':
      return [
        o.foreignKey.name
          ? alter(o.table, `DROP CONSTRAINT ${ident(o.foreignKey.name)}`)
          : dropUnnamedConstraint(o.table, 'f', o.foreignKey.columns, o.foreignKey),
      ];
    case 'create_index': {
      const sql = createIndex(o.index, o.table);
      return [ctx.migration && !ctx.created.has(o.table) ? sql.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY ') : sql];
    }
    case 'drop_index':
      // In a migration, without taking ACCESS EXCLUSIVE on a table in use (squawk's require-concurrent-index-deletion, lint DBK102).
      return [ctx.migration && !ctx.created.has(o.table) ? `DROP INDEX CONCURRENTLY ${ident(o.index.name)}` : `DROP INDEX ${ident(o.index.name)}`];
    case 'rename_index':
      return [`ALTER INDEX ${ident(o.from)} RENAME TO ${ident(o.to)}`];
    case 'add_check':
      return ctx.created.has(o.table)
        ? [alter(o.table, `ADD CONSTRAINT ${ident(o.check.name)} CHECK (${o.check.expression})`)]
        : addValidated(o.table, o.check.name, `CHECK (${o.check.expression})`);
    case 'drop_check':
      return [alter(o.table, `DROP CONSTRAINT ${ident(o.check.name)}`)];
    case 'set_table_comment':
      return [commentOnTable(o.table, o.to)];
    case 'convert_table_charset':
      return []; // a MySQL table's own: a PostgreSQL model has none
    case 'create_enum':
      return [createEnum(o.enum.name, o.enum.labels)];
    case 'drop_enum':
      return [`DROP TYPE ${ident(o.enum.name)}`];
    case 'rename_enum':
      return [`ALTER TYPE ${ident(o.from)} RENAME TO ${ident(o.to)}`];
    case 'alter_enum':
      return []; // see renderPostgres: its statements carry a flag
    case 'create_function':
      return [createFunction(o.name, o.column)];
    case 'drop_function':
      return [`DROP FUNCTION IF EXISTS ${ident(o.name)}()`];
    case 'create_trigger':
      return [createTrigger(o.trigger)];
    case 'drop_trigger':
      return [`DROP TRIGGER ${ident(o.trigger.name)} ON ${ident(o.trigger.table)}`];
    case 'rename_trigger':
      return [`ALTER TRIGGER ${ident(o.from)} ON ${ident(o.table)} RENAME TO ${ident(o.to)}`];
  }
}

export function renderPostgres(ops: readonly Operation[], opts: RenderOptions): PlannedStatement[] {
  const ctx: Context = { migration: opts.purpose === 'migration', created: new Set() };
  const out: PlannedStatement[] = [];
  ops.forEach((o, operation) => {
    const disabled = opts.disabled?.get(operation);
    const base = { operation, operations: [operation], ...(disabled ? { disabled } : {}) };
    if (o.op === 'alter_enum') {
      for (const s of alterEnum(o)) {
        // A type swap converts each column of the type: a rewrite of its table.
        const swap = ctx.migration && /^ALTER TABLE "((?:[^"]|"")+)" /.exec(s.sql);
        const blocking = swap ? { blocking: rewrites(swap[1]!.replace(/""/g, '"'), o) } : {};
        out.push({ sql: s.sql, ...base, ...(s.commitFirst ? { commitFirst: true as const } : {}), ...blocking });
      }
    } else {
      for (const s of statementsOf(o, ctx)) {
        if (typeof s === 'string') out.push({ sql: s, ...base });
        else out.push({ sql: s.sql, ...base, ...(s.helper ? { operations: [] } : {}), ...(s.blocking ? { blocking: s.blocking } : {}) });
      }
    }
    if (o.op === 'create_table') ctx.created.add(o.table.name);
    if (o.op === 'rename_table' && ctx.created.has(o.from)) ctx.created.add(o.to);
  });
  return out;
}

/**
 * Why a PostgreSQL plan cannot run in one transaction, or null: a statement
 * that cannot (CONCURRENTLY), or an enum label added and used later.
 */
export function postgresNonTransactional(ops: readonly Operation[], statements: readonly PlannedStatement[]): string | null {
  const tableOf = (o: Operation) => ('table' in o && typeof o.table === 'string' ? o.table : 'a table');
  const concurrent = statements.find((s) => / CONCURRENTLY /.test(s.sql) && !s.disabled);
  if (concurrent) {
    const table = tableOf(ops[concurrent.operation]!);
    return concurrent.sql.startsWith('DROP ')
      ? `it drops an index of ${table} with DROP INDEX CONCURRENTLY, which cannot run in a transaction`
      : `it builds an index on ${table} that existed with CREATE INDEX CONCURRENTLY, which cannot run in a transaction`;
  }
  const validate = statements.find((s) => / VALIDATE CONSTRAINT /.test(s.sql) && !s.disabled);
  if (validate) {
    const name = / VALIDATE CONSTRAINT (.+)$/.exec(validate.sql)![1];
    return `it validates constraint ${name} on ${tableOf(ops[validate.operation]!)} that existed in a transaction of its own, after adding it NOT VALID, so that writes go on during the scan`;
  }
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.op !== 'alter_enum') continue;
    const labels = addedLabels(o);
    const used = labels.find((l) => usesLabel(ops.slice(i + 1), o.name, l));
    if (used) return `it adds label ${literal(used)} to enum type ${o.name} and uses it, which needs the label committed first`;
  }
  return null;
}

/** Whether a later operation writes `label` of enum type `name` as a default. */
function usesLabel(ops: readonly Operation[], name: string, label: string): boolean {
  const value = defaultSql(literal(label));
  const columns = ops.flatMap((o) =>
    o.op === 'create_table' ? o.table.columns : o.op === 'add_column' ? [o.column] : o.op === 'alter_column' ? [o.to] : [],
  );
  return columns.some((c) => c.type === name && c.default === value);
}
