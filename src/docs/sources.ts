/**
 * The documents `dbkit docs` writes: from the definition (both variants of a
 * schema side by side, the native one first and drawn), or from a live
 * database (the definition's variant for its dialect beside what the
 * database has, with the differ's changes marked, the live one drawn).
 * Pure: the live side is handed in already introspected and normalized.
 */
import type { Change } from '../diff/changes.js';
import { dialectFor } from '../engines/sql-dialects.js';
import { expectedVariant } from '../migrate/folder/snapshots.js';
import { checkIndexes } from '../indexes/check.js';
import type { DbSchema, Dialect } from '../schema/model.js';
import { normalize } from '../schema/normalize.js';
import { schemas } from '../schema/registry.js';
import { DIALECT_LABELS, type DocVariant, type SchemaDoc } from './types.js';

const OTHER: Record<Dialect, Dialect> = { postgres: 'mysql', mysql: 'postgres' };

/** Advisories of a variant on its own tables (for the definition: as if it were the live database). */
const advisoriesOf = (actual: DbSchema, expected: DbSchema) => checkIndexes(actual, expected).advisories;

function variantOf(schemaName: string, dialect: Dialect, label = DIALECT_LABELS[dialect]): DocVariant {
  const schema = normalize(expectedVariant(schemaName, dialect), dialectFor(dialect).normalizer);
  return { label, dialect, schema, advisories: advisoriesOf(schema, schema) };
}

const counts = (s: DbSchema) => {
  const tables = s.tables.filter((t) => !t.name.startsWith('dbkit_'));
  const fks = tables.reduce((n, t) => n + t.foreignKeys.length, 0);
  return `${tables.length} tables, ${fks} foreign keys`;
};

/** A word a POSIX shell reads back as is (single-quoted unless plain). */
const shellWord = (w: string): string => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** Where `dbkit docs` writes without --out: the schema documents' own folder beside the topic pages of docs/. */
export const DEFAULT_DOCS_DIR = 'docs/schema';

/** `dbkit docs [--url U] [--schema S] [--out DIR]`: what writes the same documents again. */
export function refreshCommand(parts: { url?: string; schema?: string; out?: string }): string {
  return [
    'dbkit docs',
    parts.url ? `--url ${shellWord(parts.url)}` : '',
    parts.schema ? `--schema ${parts.schema}` : '',
    parts.out && parts.out !== DEFAULT_DOCS_DIR ? `--out ${shellWord(parts.out)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export const definitionFile = (schemaName: string): string => `${schemaName}.md`;
export const liveFile = (schemaName: string, dialect: Dialect): string => `${schemaName}.${dialect}.live.md`;

export function definitionDoc(schemaName: string): SchemaDoc {
  const def = schemas[schemaName];
  if (!def) throw new Error(`unknown schema ${schemaName}`);
  const native = variantOf(schemaName, def.native);
  const other = variantOf(schemaName, OTHER[def.native]);
  return {
    schema: schemaName,
    file: definitionFile(schemaName),
    intro:
      `The \`${schemaName}\` schema as dbkit defines it (\`src/schema/${schemaName}.ts\`), in its two variants side by side: ` +
      `${native.label} (native: it matches the schema document exactly) and ${other.label}. ` +
      `${counts(native.schema)}. \`dbkit sql --schema ${schemaName} --dialect ${def.native}\` prints the DDL.`,
    command: refreshCommand({}),
    variants: [native, other],
    diagramVariant: 0,
    tableOrder: def.tables.map((t) => t.name),
    changes: null,
  };
}

export interface LiveInput {
  schemaName: string;
  dialect: Dialect;
  /** Where the database is, as shown to people (password masked) and its namespace. */
  where: string;
  /** Normalized, dbkit's bookkeeping tables included or not (they are left out). */
  actual: DbSchema;
  changes: Change[];
  command: string;
}

export function liveDoc(input: LiveInput): SchemaDoc {
  const { schemaName, dialect } = input;
  const def = schemas[schemaName];
  if (!def) throw new Error(`unknown schema ${schemaName}`);
  const expected = variantOf(schemaName, dialect, 'definition');
  const actual: DbSchema = {
    ...input.actual,
    tables: input.actual.tables.filter((t) => !t.name.startsWith('dbkit_')),
    triggers: input.actual.triggers.filter((t) => !t.table.startsWith('dbkit_')),
  };
  const live: DocVariant = { label: 'live', dialect, schema: actual, advisories: advisoriesOf(actual, expected.schema) };
  const n = input.changes.length;
  return {
    schema: schemaName,
    file: liveFile(schemaName, dialect),
    intro:
      `The \`${schemaName}\` schema as found in ${input.where} (${DIALECT_LABELS[dialect]}; ${counts(actual)}), ` +
      `beside the ${DIALECT_LABELS[dialect]} variant of its definition. ` +
      (n ? `It differs from the definition in ${n === 1 ? '1 place' : `${n} places`}, marked ⚠.` : 'It matches the definition.'),
    command: input.command,
    variants: [expected, live],
    diagramVariant: 1,
    tableOrder: def.tables.map((t) => t.name),
    changes: input.changes,
  };
}

