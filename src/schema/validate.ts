/**
 * Is a definition one both variants can be built from? Pure: every problem,
 * one sentence each, in definition order (an empty list: it is fine).
 * `dbkit make` refuses to plan from a definition with problems (exit 2), and
 * `dbkit check` reports them: planning from one gives migrations that fail
 * on the server, or (a column defined twice) a migration of no statements
 * whose snapshot says something else.
 *
 * Checked on the definition: names (empty, defined twice, too long, holding
 * a control or format character, a line break or a quote character: a
 * name is written into SQL files and their comment headers, and must read
 * back as written), comments and string defaults (no control character
 * but the line feed and tab, no line that is a statement breakpoint), types
 * (a kind dbkit does not know, varchar lengths, enum labels), defaults (of
 * the column's type; none both engines refuse), ON UPDATE, foreign keys (the
 * table and its `id`, the column's kind, SET NULL on NOT NULL), indexes and
 * unique constraints (columns that exist, once each), one `id` per table.
 * Checked on each variant (`resolveSchema` with its rules): the physical
 * names, where the engine wants them unique (index names per table on MySQL,
 * per schema on PostgreSQL, where they share the namespace of tables) and
 * short enough not to be cut; keys the engine can build (`rules.indexKey`:
 * on MySQL no TEXT/BLOB/JSON part, at most 3072 bytes); each name as the
 * engine takes it (`rules.nameProblem`: MySQL refuses a trailing space and
 * characters outside the BMP). The variants are checked even when the
 * definition has problems (on a copy without what those problems name), so
 * one run names every problem.
 */
import { BREAKPOINT } from '../shared/sql-text.js';
import type { ColumnDef, LogicalType, SchemaDef, TableDef } from './definition.js';
import { DEFAULT_TABLE_CHARSET, type DbSchema } from './model.js';
import { resolveSchema } from './resolve.js';
import type { VariantRules } from './variant.js';

/** PostgreSQL cuts identifiers at 63 bytes (NAMEDATALEN - 1); MySQL allows 64 characters: the smaller holds for both. */
export const MAX_IDENTIFIER_BYTES = 63;
/** The longest VARCHAR that fits a MySQL row in utf8mb4 (65,535 bytes / 4); PostgreSQL allows more. */
export const MAX_VARCHAR = 16_383;

const KINDS = new Set<LogicalType['kind']>(['id', 'ref', 'varchar', 'text', 'longtext', 'bigint', 'int', 'smallint', 'tinyint', 'json', 'json_text', 'text_array', 'timestamp', 'enum']);
const NUMERIC = new Set(['bigint', 'int', 'smallint', 'tinyint']);
/** MySQL 8 refuses a literal default on TEXT, BLOB and JSON columns (MariaDB takes it): a definition must work on both. */
const NO_LITERAL_DEFAULT = new Set(['text', 'longtext', 'json', 'json_text', 'text_array']);

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
/** Names that collide: MySQL compares column and index names without case. */
const key = (s: string): string => s.toLowerCase();

function duplicates(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) {
    if (seen.has(key(n))) twice.add(n);
    seen.add(key(n));
  }
  return [...twice];
}

/**
 * Characters no name, label or comment may hold (a literal's line feed and
 * tab aside): control and format characters, line and paragraph separators,
 * private-use, surrogate and unassigned code points. A line break in a name
 * ends the comment line of a SQL file's header that names it.
 */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const UNPRINTABLE_ALL = /[\p{C}\p{Zl}\p{Zp}]/gu;
/** The identifier quote of each engine (PostgreSQL `"`, MySQL `` ` ``): a definition is built on both. */
const QUOTES = /["`]/;

const ESCAPED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** `text` with every character UNPRINTABLE matches spelled as an escape (`\n`, `\u{2028}`): a problem stays one line. */
export const printable = (text: string): string =>
  text.replace(UNPRINTABLE_ALL, (ch) => ESCAPED[ch] ?? `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function nameProblems(what: string, name: unknown): string[] {
  if (typeof name !== 'string' || name.trim() === '') return [`${what} has no name`];
  const bad = UNPRINTABLE.exec(name)?.[0];
  if (bad !== undefined) return [`${what} ${JSON.stringify(name)}: a name may not hold a control or format character or a line break (${codePoint(bad)})`];
  const quote = QUOTES.exec(name)?.[0];
  if (quote !== undefined) return [`${what} ${name}: a name may not hold the quote character ${quote} (PostgreSQL quotes names with ", MySQL with \`)`];
  if (name.trim() !== name) return [`${what} ${JSON.stringify(name)}: a name may not begin or end with a space`];
  if (bytes(name) > MAX_IDENTIFIER_BYTES) return [`${what} ${name}: the name is ${bytes(name)} bytes long (at most ${MAX_IDENTIFIER_BYTES}: PostgreSQL cuts longer names)`];
  return [];
}

/** A comment or a string default: written as a quoted literal, which may span lines, but must read back as written. */
function literalProblems(what: string, text: unknown): string[] {
  if (typeof text !== 'string') return [];
  const bad = [...text].find((ch) => ch !== '\n' && ch !== '\t' && UNPRINTABLE.test(ch));
  if (bad !== undefined) return [`${what} holds a control or format character (${codePoint(bad)}): only line feeds (\\n) and tabs may break it`];
  if (text.split('\n').some((line) => line.trim() === BREAKPOINT)) return [`${what} has a line "${BREAKPOINT}", which would split its statement in the SQL file`];
  return [];
}

function typeProblems(col: string, type: LogicalType | undefined): string[] {
  if (!type || !KINDS.has(type.kind)) return [`column ${col} has an unknown type ${JSON.stringify((type as { kind?: unknown } | undefined)?.kind ?? type)} (use the t.* constructors of src/schema/definition.ts)`];
  if (type.kind === 'varchar') {
    const n = type.length;
    if (!Number.isInteger(n) || n < 1 || n > MAX_VARCHAR) return [`column ${col} is varchar(${n}): the length must be a whole number from 1 to ${MAX_VARCHAR}`];
  }
  if (type.kind === 'enum') {
    if (!Array.isArray(type.labels) || type.labels.length === 0) return [`column ${col} is an enum without labels`];
    const out: string[] = [];
    for (const label of duplicates(type.labels)) out.push(`column ${col}: enum label '${label}' is listed twice`);
    for (const label of type.labels) {
      const bad = typeof label === 'string' ? UNPRINTABLE.exec(label)?.[0] : undefined;
      if (bad !== undefined) out.push(`column ${col}: enum label ${JSON.stringify(label)} holds a control or format character or a line break (${codePoint(bad)})`);
      else if (bytes(label) > MAX_IDENTIFIER_BYTES) out.push(`column ${col}: enum label '${label}' is longer than ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL's limit)`);
    }
    return out;
  }
  return [];
}

function defaultProblems(col: string, c: ColumnDef): string[] {
  const d = c.default;
  const kind = c.type?.kind;
  if (!d || !kind || kind === 'id') return [];
  if (d.kind === 'now') return kind === 'timestamp' ? [] : [`column ${col}: a "now" default needs a timestamp column, not ${kind}`];
  if (NO_LITERAL_DEFAULT.has(kind)) return [`column ${col}: a ${kind} column cannot have a literal default (MySQL 8 refuses one)`];
  if (d.kind === 'number' && !NUMERIC.has(kind)) return [`column ${col}: a number default on a ${kind} column`];
  if (d.kind === 'number' && !Number.isFinite(d.value)) return [`column ${col}: the default ${d.value} is not a number`];
  if (d.kind === 'string' && literalProblems('', d.value).length) return literalProblems(`column ${col}: the default`, d.value);
  if (d.kind === 'string' && c.type.kind === 'enum' && !c.type.labels.includes(d.value)) return [`column ${col}: the default '${d.value}' is not one of its enum labels`];
  if (d.kind === 'string' && NUMERIC.has(kind) && !/^-?\d+$/.test(d.value)) return [`column ${col}: the default '${d.value}' of a ${kind} column is not a whole number`];
  return [];
}

function foreignKeyProblems(table: TableDef, c: ColumnDef, tables: Map<string, TableDef>): string[] {
  const ref = c.references;
  if (!ref) return [];
  const col = `${table.name}.${c.name}`;
  const target = tables.get(key(ref.table));
  if (!target) return [`column ${col} references table ${ref.table}, which the schema does not define`];
  const out: string[] = [];
  const id = target.columns.find((x) => x.name === 'id');
  if (!id) out.push(`column ${col} references ${ref.table}.id, which table ${ref.table} does not have`);
  else if (id.type?.kind !== 'id') out.push(`column ${col} references ${ref.table}.id, which is not the table's id key (t.id())`);
  if (c.type?.kind !== 'ref') out.push(`column ${col} references ${ref.table} but is ${c.type?.kind ?? 'untyped'}, not a reference (t.ref())`);
  if (ref.onDelete === 'SET NULL' && c.notNull) out.push(`column ${col} is NOT NULL but its foreign key is ON DELETE SET NULL`);
  return out;
}

function columnListProblems(what: string, table: TableDef, columns: unknown): string[] {
  if (!Array.isArray(columns) || columns.length === 0) return [`${what} on table ${table.name} has no columns`];
  const have = new Set(table.columns.map((c) => key(c.name)));
  const out = columns.filter((c) => !have.has(key(String(c)))).map((c) => `${what} on table ${table.name} names column ${String(c)}, which the table does not have`);
  for (const c of duplicates(columns.map(String))) out.push(`${what} on table ${table.name} lists column ${c} twice`);
  return out;
}

function tableProblems(table: TableDef, tables: Map<string, TableDef>): string[] {
  const out = [...nameProblems('a table', table.name), ...literalProblems(`the comment of table ${table.name}`, table.comment)];
  const columns = Array.isArray(table.columns) ? table.columns : [];
  if (!columns.length) out.push(`table ${table.name} has no columns`);
  for (const name of duplicates(columns.map((c) => c.name))) out.push(`table ${table.name}: column ${name} is defined twice`);
  const ids = columns.filter((c) => c.type?.kind === 'id');
  if (ids.length > 1) out.push(`table ${table.name} has ${ids.length} id columns (${ids.map((c) => c.name).join(', ')}): one is its key`);
  for (const c of columns) {
    const col = `${table.name}.${c.name}`;
    out.push(...nameProblems(`a column of ${table.name}`, c.name), ...typeProblems(col, c.type), ...defaultProblems(col, c), ...literalProblems(`the comment of column ${col}`, c.comment));
    if (c.onUpdateNow && c.type?.kind !== 'timestamp') out.push(`column ${col} is refreshed on update (onUpdateNow) but is not a timestamp`);
    out.push(...foreignKeyProblems(table, c, tables));
  }
  for (const name of duplicates((table.indexes ?? []).map((i) => i.name))) out.push(`table ${table.name}: index ${name} is defined twice`);
  for (const index of table.indexes ?? []) {
    out.push(...nameProblems(`an index of ${table.name}`, index.name), ...columnListProblems(`index ${index.name}`, table, index.columns));
  }
  for (const unique of table.uniques ?? []) out.push(...columnListProblems(`a unique constraint (${(unique ?? []).join(', ')})`, table, unique));
  return out;
}

/**
 * Keys the engine cannot build as the variant has them (MySQL: a TEXT, BLOB
 * or JSON part without a prefix length, or more than 3072 bytes): the primary
 * key, each unique constraint and each index, named with its columns.
 */
function keyProblems(variant: DbSchema, rules: VariantRules): string[] {
  const limits = rules.indexKey;
  if (!limits) return [];
  const out: string[] = [];
  for (const t of variant.tables) {
    const keys = [
      ...(t.primaryKey ? [{ what: `the primary key (${t.primaryKey.columns.join(', ')})`, columns: t.primaryKey.columns }] : []),
      ...t.uniques.map((u) => ({ what: u.name ? `unique constraint ${u.name}` : `a unique constraint (${u.columns.join(', ')})`, columns: u.columns })),
      ...t.indexes.map((i) => ({ what: `index ${i.name}`, columns: i.columns })),
    ];
    for (const k of keys) {
      const where = `${k.what} of table ${t.name} on ${rules.dialect}`;
      const parts = k.columns.flatMap((name) => {
        const c = t.columns.find((x) => key(x.name) === key(name));
        return c ? [{ c, bytes: limits.columnBytes(c.type, c.charset ?? t.charset ?? DEFAULT_TABLE_CHARSET) }] : [];
      });
      const unbounded = parts.filter((p) => p.bytes === null);
      for (const { c } of unbounded) {
        out.push(`${where}: column ${c.name} is ${c.type}, which is a key part only with a prefix length (the definition has none): leave it out of the key, or make it a varchar`);
      }
      if (unbounded.length) continue;
      const total = parts.reduce((n, p) => n + p.bytes!, 0);
      if (total > limits.maxBytes) {
        const each = parts.map((p) => `${p.c.name} ${p.c.type}: ${p.bytes}`).join(', ');
        out.push(`${where}: the key is ${total} bytes long (${each}), at most ${limits.maxBytes} (${limits.limitNote}): shorten a varchar or leave a column out`);
      }
    }
  }
  return out;
}

/** Physical names of one variant that collide or are too long, and keys its engine cannot build (the definition itself is sound). */
function variantProblems(variant: DbSchema, rules: VariantRules): string[] {
  const out: string[] = keyProblems(variant, rules);
  const where = `on ${rules.dialect}`;
  const explicit = (t: DbSchema['tables'][number]) => t.indexes.filter((i) => !i.implicit);
  for (const t of variant.tables) {
    for (const i of explicit(t)) {
      if (bytes(i.name) > MAX_IDENTIFIER_BYTES) out.push(`index ${i.name} of table ${t.name} ${where}: the name is ${bytes(i.name)} bytes long (at most ${MAX_IDENTIFIER_BYTES})`);
    }
  }
  // Names the variant makes from a table's and a column's (enum types <table>_<column>, triggers trg_<table>_<column>, functions set_<column>).
  const made = [
    ...variant.enums.map((e) => ['enum type', e.name] as const),
    ...variant.triggers.flatMap((tr) => [['trigger', tr.name] as const, ...(tr.function ? [['function', tr.function] as const] : [])]),
  ];
  for (const [what, name] of new Map(made.map(([w, n]) => [n, [w, n] as const])).values()) {
    if (bytes(name) > MAX_IDENTIFIER_BYTES) out.push(`${what} ${name} ${where}: the name is ${bytes(name)} bytes long (at most ${MAX_IDENTIFIER_BYTES}: shorten the table or column it is named after)`);
  }
  if (rules.indexNames === 'table') {
    for (const t of variant.tables) {
      for (const name of duplicates(explicit(t).map((i) => i.name))) out.push(`table ${t.name} ${where}: two indexes are named ${name}`);
    }
    return out;
  }
  // Per schema, where indexes share the namespace of tables (PostgreSQL relations).
  const owners = new Map<string, string[]>();
  const own = (name: string, what: string) => owners.set(name, [...(owners.get(name) ?? []), what]);
  for (const t of variant.tables) {
    own(t.name, `table ${t.name}`);
    for (const i of explicit(t)) own(i.name, `an index of table ${t.name}`);
  }
  for (const [name, whats] of owners) if (whats.length > 1) out.push(`${where} the name ${name} is taken ${whats.length} times (${whats.join(', ')}): index names are per schema there`);
  for (const name of duplicates(variant.enums.map((e) => e.name))) out.push(`${where} two enum types are named ${name}`);
  for (const e of variant.enums) {
    if (owners.has(e.name)) out.push(`${where} enum type ${e.name} has the name of table ${e.name} (each table has a type of its name)`);
  }
  return out;
}

/** Names of a variant the engine takes other than as written (`rules.nameProblem`), each once. */
function engineNameProblems(variant: DbSchema, rules: VariantRules): string[] {
  const check = rules.nameProblem;
  if (!check) return [];
  const out: string[] = [];
  const name = (what: string, n: string) => {
    const problem = check(n);
    if (problem) out.push(`${what} ${JSON.stringify(n)} on ${rules.dialect}: ${problem}`);
  };
  for (const t of variant.tables) {
    name('table', t.name);
    for (const c of t.columns) name(`a column of ${t.name}`, c.name);
    for (const i of t.indexes.filter((x) => !x.implicit)) name(`an index of ${t.name}`, i.name);
  }
  for (const e of variant.enums) name('enum type', e.name);
  for (const tr of variant.triggers) name('trigger', tr.name);
  return out;
}

const isName = (n: unknown): n is string => typeof n === 'string' && nameProblems('', n).length === 0;
/** The first of each name (without case), the others left out. */
const firsts = <T>(items: readonly T[], nameOf: (item: T) => string): T[] => {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(nameOf(item))) && !!seen.add(key(nameOf(item))));
};

/**
 * What the variants are resolved from when the definition has problems of
 * its own: the definition less what those name (a table, column or index
 * defined twice keeps its first; an unknown type, a bad name, a broken
 * index or unique constraint is left out), so the variants add only what
 * is theirs.
 */
function resolvable(def: SchemaDef): SchemaDef {
  const tables = (Array.isArray(def.tables) ? def.tables : []).filter((t) => t && isName(t.name) && Array.isArray(t.columns));
  return {
    ...def,
    tables: firsts(tables, (t) => t.name).map((t) => {
      const columns = firsts(
        t.columns.filter((c) => c && isName(c.name) && typeProblems('', c.type).length === 0),
        (c) => c.name,
      );
      const have = new Set(columns.map((c) => key(c.name)));
      const fine = (cols: unknown): cols is string[] => Array.isArray(cols) && cols.length > 0 && cols.every((c) => typeof c === 'string' && have.has(key(c)));
      return {
        ...t,
        columns,
        uniques: (t.uniques ?? []).filter(fine),
        indexes: firsts((t.indexes ?? []).filter((i) => i && isName(i.name) && fine(i.columns)), (i) => i.name),
      };
    }),
  };
}

/** Every problem of `def`, one line each (no line break in any); [] when both variants can be built from it. */
export function validateDefinition(def: SchemaDef, variants: readonly VariantRules[]): string[] {
  const tables = Array.isArray(def.tables) ? def.tables : [];
  const out: string[] = [];
  for (const name of duplicates(tables.map((t) => t.name))) out.push(`table ${name} is defined twice`);
  const byName = new Map(tables.map((t) => [key(t.name), t]));
  for (const t of tables) out.push(...tableProblems(t, byName));
  // The variants too, so that one run names every problem: of a sound copy when the definition has problems of its own.
  const sound = out.length ? resolvable(def) : def;
  for (const rules of variants) {
    let variant: DbSchema;
    try {
      variant = resolveSchema(sound, rules);
    } catch {
      continue; // what the definition's own problems already say
    }
    out.push(...variantProblems(variant, rules), ...engineNameProblems(variant, rules));
  }
  return [...new Set(out)].map(printable);
}
