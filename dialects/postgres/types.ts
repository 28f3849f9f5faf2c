/** Type mapping of the PostgreSQL variant (docs/schema/variants.md). */
import type { ColumnDef, IndexDef, SchemaDef, TableDef } from '../../src/schema/definition.js';
import { canonicalDefault, type VariantRules } from '../../src/schema/variant.js';
import type { TextTypes } from '../../src/plan/type-change.js';

/** PostgreSQL enum types are named `<table>_<column>`. */
export const enumTypeName = (table: string, column: string): string => `${table}_${column}`;

const SCALARS: Record<string, string> = {
  id: 'uuid',
  ref: 'uuid',
  text: 'text',
  longtext: 'text',
  bigint: 'bigint',
  int: 'integer',
  smallint: 'smallint',
  tinyint: 'smallint',
  json: 'jsonb',
  json_text: 'jsonb',
  text_array: 'text[]',
  timestamp: 'timestamptz',
};

export const postgresRules: VariantRules = {
  dialect: 'postgres',
  columnType(col: ColumnDef, table: TableDef) {
    const type = col.type;
    if (type.kind === 'varchar') return { type: `varchar(${type.length})` };
    if (type.kind === 'enum') {
      const name = enumTypeName(table.name, col.name);
      return { type: name, enumType: name };
    }
    return { type: SCALARS[type.kind]! };
  },
  idColumn: () => ({ type: 'uuid', default: 'gen_random_uuid()', autoIncrement: false }),
  defaultExpr: canonicalDefault,
  indexName(table: TableDef, index: IndexDef, schema: SchemaDef) {
    // Index names are per schema in PostgreSQL: a MySQL document's per-table
    // names get the table prefixed (idx_user_id -> idx_conversations_user_id).
    if (schema.native === 'postgres') return index.name;
    return `idx_${table.name}_${index.name.replace(/^idx_/, '')}`;
  },
  indexNames: 'schema',
  fkIndexes: (schema) => (schema.native === 'mysql' ? 'explicit' : 'none'),
  onUpdateNow: 'trigger',
};

/** What PostgreSQL's text types hold (src/plan/type-change.ts): `text` is unbounded, and only an unbounded type holds whatever a value prints as. */
export const postgresTextTypes: TextTypes = {
  capacity: (base) => (base === 'text' ? Infinity : null),
  holdsAnyPrintFrom: Infinity,
};
