/**
 * The normalizer: one pure function applied to BOTH sides of a comparison,
 * the expected variant (resolveSchema) and the live one (introspection), so
 * that spellings the engine considers equivalent compare equal.
 *
 * Canonical forms are the ones resolve.ts writes (dialects/<d>/types.ts,
 * variant.ts): per-dialect type and default spellings come from the
 * dialect's normalizer (dialects/<d>/normalize.ts), which the caller hands
 * in; what every dialect shares lives here:
 * - empty comments are no comment;
 * - index methods are lower case; `valid: true` and `implicit: false` are
 *   dropped (absent means valid / not implicit);
 * - tables, indexes (by name), unique constraints and foreign keys (by
 *   columns), CHECK constraints (by name), enum types, triggers and view uses
 *   are sorted, so deep equality means equal schemas. Columns keep their
 *   position; key columns keep their order;
 * - what a definition never has (a column's collation or character set, a
 *   table's character set other than utf8mb4 or collation other than the
 *   default, CHECKs, views) is written only when present, so the normal form
 *   of a definition is what it always was.
 * Names are kept: constraints the design leaves unnamed (`name: null`) are
 * matched by structure in the differ, not here.
 */
import type {
  CheckConstraint,
  Column,
  DbSchema,
  EnumType,
  FkAction,
  ForeignKey,
  Index,
  PrimaryKey,
  Table,
  Trigger,
  UniqueConstraint,
  ViewUse,
} from './model.js';
import { DEFAULT_TABLE_CHARSET } from './model.js';
import { stripOuterParens } from './normal-form.js';

/** What differs between dialects: each dialect's normalizer (dialects/<d>/normalize.ts), handed in by the caller. */
export interface DialectNormalizer {
  column(column: Column): Column;
  fkAction(action: FkAction): FkAction;
  predicate(where: string | null): string | null;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const columnsKey = (columns: string[]): string => columns.join('\u0000');

const normalizeComment = (comment: string | null): string | null => (comment === null || comment === '' ? null : comment);

function normalizeColumn(column: Column, d: DialectNormalizer): Column {
  const c = d.column(column);
  const out: Column = {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    // An auto-increment column has no default of its own.
    default: c.autoIncrement ? null : c.default,
    autoIncrement: c.autoIncrement,
    onUpdate: c.onUpdate,
    comment: normalizeComment(c.comment),
  };
  // Optional attributes are written only when set, so that a definition's normal form has none.
  if (c.collation) out.collation = c.collation;
  if (c.charset) out.charset = c.charset.toLowerCase();
  return out;
}

/** CHECK constraints by name; the condition without the parentheses around all of it. */
const normalizeChecks = (checks: CheckConstraint[]): CheckConstraint[] =>
  checks
    .map((k) => ({ name: k.name, expression: stripOuterParens(k.expression.trim().replace(/^CHECK\s*/i, '')) }))
    .sort((a, b) => byString(a.name, b.name));

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
  const out: Table = {
    name: table.name,
    comment: normalizeComment(table.comment),
    columns: table.columns.map((c) => normalizeColumn(c, d)),
    primaryKey: normalizePrimaryKey(table.primaryKey),
    uniques: normalizeUniques(table.uniques),
    foreignKeys: normalizeForeignKeys(table.foreignKeys, d),
    indexes: table.indexes.map((i) => normalizeIndex(i, d)).sort((a, b) => byString(a.name, b.name)),
  };
  if (table.checks?.length) out.checks = normalizeChecks(table.checks);
  // Written only when not the variant's own (utf8mb4, its default collation): a definition's normal form has neither.
  const charset = table.charset?.toLowerCase();
  if (charset && charset !== DEFAULT_TABLE_CHARSET) out.charset = charset;
  if (table.collation) out.collation = table.collation.toLowerCase();
  return out;
}

const normalizeEnums = (enums: EnumType[]): EnumType[] =>
  enums.map((e) => ({ name: e.name, labels: [...e.labels] })).sort((a, b) => byString(a.name, b.name));

const normalizeTriggers = (triggers: Trigger[]): Trigger[] =>
  triggers
    .map((t) => ({ name: t.name, table: t.table, timing: t.timing.trim().replace(/\s+/g, ' ').toUpperCase(), function: t.function }))
    .sort((a, b) => byString(a.table, b.table) || byString(a.name, b.name));

const viewKey = (v: ViewUse): string => `${v.view}\u0000${v.table}\u0000${v.column ?? ''}`;

/** View uses, each once, sorted. */
function normalizeViews(views: ViewUse[]): ViewUse[] {
  const seen = new Map<string, ViewUse>();
  for (const v of views) seen.set(viewKey(v), { view: v.view, table: v.table, column: v.column });
  return [...seen.values()].sort((a, b) => byString(viewKey(a), viewKey(b)));
}

/** The normal form of `schema`, with the spellings of its dialect's normalizer `d` (the SqlDialect's `normalizer`). */
export function normalize(schema: DbSchema, d: DialectNormalizer): DbSchema {
  const out: DbSchema = {
    dialect: schema.dialect,
    tables: schema.tables.map((t) => normalizeTable(t, d)).sort((a, b) => byString(a.name, b.name)),
    enums: normalizeEnums(schema.enums),
    triggers: normalizeTriggers(schema.triggers),
  };
  if (schema.views?.length) out.views = normalizeViews(schema.views);
  return out;
}
