/**
 * Folding operations over a physical model: what a schema looks like after a
 * list of operations ran on it. Pure; the input is never modified. Used to
 * check that a migration's operations lead to its snapshot (`dbkit check`),
 * to know what a pending migration will create (the pre-flight ownership
 * check) and to find where an interrupted migration stopped.
 *
 * An operation that does not fit the model (a column added twice, a table
 * dropped that is not there) throws: a list of operations that does not
 * fold is a broken migration.
 */
import type { Column, DbSchema, Table } from '../schema/model.js';
import type { Operation } from './operations.js';

export class FoldError extends Error {}

const sameColumns = (a: string[], b: string[]): boolean => a.length === b.length && a.every((c, i) => c === b[i]);

function tableIn(schema: DbSchema, name: string): Table {
  const t = schema.tables.find((x) => x.name === name);
  if (!t) throw new FoldError(`no table ${name}`);
  return t;
}

function columnIn(table: Table, name: string): Column {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new FoldError(`no column ${table.name}.${name}`);
  return c;
}

const clone = <T>(value: T): T => structuredClone(value);

/** Rename a column wherever the table refers to it (keys, indexes). */
function renameColumnRefs(table: Table, from: string, to: string): void {
  const swap = (cols: string[]) => cols.map((c) => (c === from ? to : c));
  if (table.primaryKey) table.primaryKey.columns = swap(table.primaryKey.columns);
  for (const u of table.uniques) u.columns = swap(u.columns);
  for (const fk of table.foreignKeys) fk.columns = swap(fk.columns);
  for (const i of table.indexes) i.columns = swap(i.columns);
}

function applyOne(s: DbSchema, o: Operation): void {
  switch (o.op) {
    case 'create_table':
      if (s.tables.some((t) => t.name === o.table.name)) throw new FoldError(`table ${o.table.name} exists`);
      s.tables.push(clone(o.table));
      return;
    case 'drop_table':
      tableIn(s, o.table.name);
      s.tables = s.tables.filter((t) => t.name !== o.table.name);
      s.triggers = s.triggers.filter((t) => t.table !== o.table.name);
      return;
    case 'rename_table': {
      if (s.tables.some((t) => t.name === o.to)) throw new FoldError(`table ${o.to} exists`);
      tableIn(s, o.from).name = o.to;
      for (const t of s.tables) for (const fk of t.foreignKeys) if (fk.refTable === o.from) fk.refTable = o.to;
      for (const tr of s.triggers) if (tr.table === o.from) tr.table = o.to;
      return;
    }
    case 'add_column': {
      const t = tableIn(s, o.table);
      if (t.columns.some((c) => c.name === o.column.name)) throw new FoldError(`column ${o.table}.${o.column.name} exists`);
      t.columns.push(clone(o.column));
      return;
    }
    case 'drop_column': {
      const t = tableIn(s, o.table);
      columnIn(t, o.column.name);
      t.columns = t.columns.filter((c) => c.name !== o.column.name);
      // Whatever covered only that column goes with it (as both engines do).
      const keep = (cols: string[]) => !cols.includes(o.column.name);
      t.uniques = t.uniques.filter((u) => keep(u.columns));
      t.foreignKeys = t.foreignKeys.filter((f) => keep(f.columns));
      t.indexes = t.indexes.filter((i) => keep(i.columns));
      if (t.primaryKey && !keep(t.primaryKey.columns)) t.primaryKey = null;
      return;
    }
    case 'rename_column': {
      const t = tableIn(s, o.table);
      if (t.columns.some((c) => c.name === o.to)) throw new FoldError(`column ${o.table}.${o.to} exists`);
      columnIn(t, o.from).name = o.to;
      renameColumnRefs(t, o.from, o.to);
      for (const other of s.tables) {
        for (const fk of other.foreignKeys) {
          if (fk.refTable === o.table) fk.refColumns = fk.refColumns.map((c) => (c === o.from ? o.to : c));
        }
      }
      return;
    }
    case 'alter_column': {
      const t = tableIn(s, o.table);
      const i = t.columns.findIndex((c) => c.name === o.from.name);
      if (i < 0) throw new FoldError(`no column ${o.table}.${o.from.name}`);
      t.columns[i] = clone(o.to);
      return;
    }
    case 'set_primary_key':
      tableIn(s, o.table).primaryKey = o.to ? clone(o.to) : null;
      return;
    case 'add_unique':
      tableIn(s, o.table).uniques.push(clone(o.unique));
      return;
    case 'drop_unique': {
      const t = tableIn(s, o.table);
      const i = t.uniques.findIndex((u) => (o.unique.name ? u.name === o.unique.name : sameColumns(u.columns, o.unique.columns)));
      if (i < 0) throw new FoldError(`no unique constraint (${o.unique.columns.join(', ')}) on ${o.table}`);
      t.uniques.splice(i, 1);
      return;
    }
    case 'add_foreign_key':
      tableIn(s, o.foreignKey.refTable);
      tableIn(s, o.table).foreignKeys.push(clone(o.foreignKey));
      return;
    case 'drop_foreign_key': {
      const t = tableIn(s, o.table);
      const i = t.foreignKeys.findIndex((f) =>
        o.foreignKey.name ? f.name === o.foreignKey.name : sameColumns(f.columns, o.foreignKey.columns) && f.refTable === o.foreignKey.refTable,
      );
      if (i < 0) throw new FoldError(`no foreign key (${o.foreignKey.columns.join(', ')}) on ${o.table}`);
      t.foreignKeys.splice(i, 1);
      return;
    }
    case 'create_index': {
      const t = tableIn(s, o.table);
      if (t.indexes.some((i) => i.name === o.index.name)) throw new FoldError(`index ${o.index.name} exists on ${o.table}`);
      t.indexes.push(clone(o.index));
      return;
    }
    case 'drop_index': {
      const t = tableIn(s, o.table);
      if (!t.indexes.some((i) => i.name === o.index.name)) throw new FoldError(`no index ${o.index.name} on ${o.table}`);
      t.indexes = t.indexes.filter((i) => i.name !== o.index.name);
      return;
    }
    case 'rename_index': {
      const t = tableIn(s, o.table);
      if (t.indexes.some((i) => i.name === o.to)) throw new FoldError(`index ${o.to} exists on ${o.table}`);
      const index = t.indexes.find((i) => i.name === o.from);
      if (!index) throw new FoldError(`no index ${o.from} on ${o.table}`);
      index.name = o.to;
      return;
    }
    case 'add_check': {
      const t = tableIn(s, o.table);
      if (t.checks?.some((k) => k.name === o.check.name)) throw new FoldError(`check constraint ${o.check.name} exists on ${o.table}`);
      t.checks = [...(t.checks ?? []), clone(o.check)];
      return;
    }
    case 'drop_check': {
      const t = tableIn(s, o.table);
      if (!t.checks?.some((k) => k.name === o.check.name)) throw new FoldError(`no check constraint ${o.check.name} on ${o.table}`);
      t.checks = t.checks.filter((k) => k.name !== o.check.name);
      return;
    }
    case 'set_table_comment':
      tableIn(s, o.table).comment = o.to;
      return;
    case 'convert_table_charset': {
      const t = tableIn(s, o.table);
      delete t.charset;
      delete t.collation;
      if (o.to.charset !== null) t.charset = o.to.charset;
      if (o.to.collation !== null) t.collation = o.to.collation;
      // CONVERT TO gives every text column the table's character set and collation; a default alone changes none.
      if (o.defaultOnly) return;
      for (const c of t.columns) {
        delete c.charset;
        delete c.collation;
      }
      return;
    }
    case 'create_enum':
      if (s.enums.some((e) => e.name === o.enum.name)) throw new FoldError(`enum type ${o.enum.name} exists`);
      s.enums.push(clone(o.enum));
      return;
    case 'drop_enum':
      if (!s.enums.some((e) => e.name === o.enum.name)) throw new FoldError(`no enum type ${o.enum.name}`);
      s.enums = s.enums.filter((e) => e.name !== o.enum.name);
      return;
    case 'alter_enum': {
      const e = s.enums.find((x) => x.name === o.name);
      if (!e) throw new FoldError(`no enum type ${o.name}`);
      e.labels = [...o.to];
      return;
    }
    case 'rename_enum': {
      const e = s.enums.find((x) => x.name === o.from);
      if (!e) throw new FoldError(`no enum type ${o.from}`);
      e.name = o.to;
      for (const t of s.tables) for (const c of t.columns) if (c.type === o.from) c.type = o.to;
      return;
    }
    case 'create_function':
    case 'drop_function':
      return; // trigger functions are not part of the model
    case 'create_trigger':
      if (s.triggers.some((t) => t.name === o.trigger.name && t.table === o.trigger.table)) {
        throw new FoldError(`trigger ${o.trigger.name} exists on ${o.trigger.table}`);
      }
      s.triggers.push(clone(o.trigger));
      return;
    case 'drop_trigger':
      if (!s.triggers.some((t) => t.name === o.trigger.name && t.table === o.trigger.table)) {
        throw new FoldError(`no trigger ${o.trigger.name} on ${o.trigger.table}`);
      }
      s.triggers = s.triggers.filter((t) => !(t.name === o.trigger.name && t.table === o.trigger.table));
      return;
    case 'rename_trigger': {
      const tr = s.triggers.find((t) => t.name === o.from && t.table === o.table);
      if (!tr) throw new FoldError(`no trigger ${o.from} on ${o.table}`);
      if (s.triggers.some((t) => t.name === o.to && t.table === o.table)) throw new FoldError(`trigger ${o.to} exists on ${o.table}`);
      tr.name = o.to;
      return;
    }
  }
}

/** The model after `ops` ran on `schema`, in order. */
export function foldOperations(schema: DbSchema, ops: readonly Operation[]): DbSchema {
  const out = clone(schema);
  for (const o of ops) applyOne(out, o);
  return out;
}
