/**
 * The normalizer: one pure function applied to BOTH sides of a comparison,
 * the expected variant (resolveSchema) and the live one (introspection), so
 * that spellings the engine considers equivalent compare equal.
 *
 * Canonical forms are the ones resolve.ts writes (dialects/<d>/types.ts,
 * variant.ts): per-dialect type and default spellings come from
 * dialects/<d>/normalize.ts; what every dialect shares lives here:
 * - empty comments are no comment;
 * - index methods are lower case; `valid: true` and `implicit: false` are
 *   dropped (absent means valid / not implicit);
 * - tables, indexes (by name), unique constraints and foreign keys (by
 *   columns), enum types and triggers are sorted, so deep equality means
 *   equal schemas. Columns keep their position; key columns keep their order.
 * Names are kept: constraints the design leaves unnamed (`name: null`) are
 * matched by structure in the differ, not here.
 */
import {
  normalizeMysqlColumn,
  normalizeMysqlFkAction,
} from '../../dialects/mysql/normalize.js';
import {
  normalizePostgresColumn,
  normalizePostgresFkAction,
  normalizePostgresPredicate,
} from '../../dialects/postgres/normalize.js';
import type {
  Column,
  DbSchema,
  Dialect,
  EnumType,
  FkAction,
  ForeignKey,
  Index,
  PrimaryKey,
  Table,
  Trigger,
  UniqueConstraint,
} from './model.js';

/** What differs between dialects. */
interface DialectNormalizer {
  column(column: Column): Column;
  fkAction(action: FkAction): FkAction;
  predicate(where: string | null): string | null;
}

const DIALECTS: Record<Dialect, DialectNormalizer> = {
  postgres: {
    column: normalizePostgresColumn,
    fkAction: normalizePostgresFkAction,
    predicate: normalizePostgresPredicate,
  },
  mysql: {
    column: normalizeMysqlColumn,
    fkAction: normalizeMysqlFkAction,
    predicate: (where) => (where === null ? null : where.trim()),
  },
};

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const columnsKey = (columns: string[]): string => columns.join('\u0000');

const normalizeComment = (comment: string | null): string | null => (comment === null || comment === '' ? null : comment);

function normalizeColumn(column: Column, d: DialectNormalizer): Column {
  const c = d.column(column);
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    // An auto-increment column has no default of its own.
    default: c.autoIncrement ? null : c.default,
    autoIncrement: c.autoIncrement,
    onUpdate: c.onUpdate,
    comment: normalizeComment(c.comment),
  };
}

const normalizePrimaryKey = (pk: PrimaryKey | null): PrimaryKey | null =>
  pk ? { name: pk.name, columns: [...pk.columns] } : null;

function normalizeUniques(uniques: UniqueConstraint[]): UniqueConstraint[] {
  return uniques
    .map((u) => ({ name: u.name, columns: [...u.columns] }))
    .sort((a, b) => byString(columnsKey(a.columns), columnsKey(b.columns)) || byString(a.name ?? '', b.name ?? ''));
}

function normalizeForeignKeys(fks: ForeignKey[], d: DialectNormalizer): ForeignKey[] {
  return fks
    .map((fk) => ({
      name: fk.name,
      columns: [...fk.columns],
      refTable: fk.refTable,
      refColumns: [...fk.refColumns],
      onDelete: d.fkAction(fk.onDelete),
      onUpdate: d.fkAction(fk.onUpdate),
    }))
    .sort(
      (a, b) =>
        byString(columnsKey(a.columns), columnsKey(b.columns)) ||
        byString(a.refTable, b.refTable) ||
        byString(a.name ?? '', b.name ?? ''),
    );
}

function normalizeIndex(index: Index, d: DialectNormalizer): Index {
  const out: Index = {
    name: index.name,
    columns: index.columns.map((c) => c.trim()),
    unique: index.unique,
    method: index.method.toLowerCase(),
    where: d.predicate(index.where),
  };
  if (index.implicit) out.implicit = true;
  if (index.valid === false) out.valid = false;
  return out;
}

function normalizeTable(table: Table, d: DialectNormalizer): Table {
  return {
    name: table.name,
    comment: normalizeComment(table.comment),
    columns: table.columns.map((c) => normalizeColumn(c, d)),
    primaryKey: normalizePrimaryKey(table.primaryKey),
    uniques: normalizeUniques(table.uniques),
    foreignKeys: normalizeForeignKeys(table.foreignKeys, d),
    indexes: table.indexes.map((i) => normalizeIndex(i, d)).sort((a, b) => byString(a.name, b.name)),
  };
}

const normalizeEnums = (enums: EnumType[]): EnumType[] =>
  enums.map((e) => ({ name: e.name, labels: [...e.labels] })).sort((a, b) => byString(a.name, b.name));

const normalizeTriggers = (triggers: Trigger[]): Trigger[] =>
  triggers
    .map((t) => ({ name: t.name, table: t.table, timing: t.timing.trim().replace(/\s+/g, ' ').toUpperCase(), function: t.function }))
    .sort((a, b) => byString(a.table, b.table) || byString(a.name, b.name));

export function normalize(schema: DbSchema): DbSchema {
  const d = DIALECTS[schema.dialect];
  return {
    dialect: schema.dialect,
    tables: schema.tables.map((t) => normalizeTable(t, d)).sort((a, b) => byString(a.name, b.name)),
    enums: normalizeEnums(schema.enums),
    triggers: normalizeTriggers(schema.triggers),
  };
}
