/** Type mapping of the MySQL variant (docs/schema/variants.md). */
import type { ColumnDef } from '../../src/schema/definition.js';
import { canonicalDefault, type VariantRules } from '../../src/schema/variant.js';
import { mysqlIndexKey } from './index-key.js';
import { mysqlNameProblem } from './names.js';
import { literal } from './quote.js';

const SCALARS: Record<string, string> = {
  id: 'bigint',
  ref: 'bigint',
  text: 'text',
  longtext: 'longtext',
  bigint: 'bigint',
  int: 'int',
  smallint: 'smallint',
  tinyint: 'tinyint',
  json: 'json',
  json_text: 'text',
  text_array: 'json',
  timestamp: 'timestamp',
};

export const mysqlRules: VariantRules = {
  dialect: 'mysql',
  columnType(col: ColumnDef) {
    const type = col.type;
    if (type.kind === 'varchar') return { type: `varchar(${type.length})` };
    if (type.kind === 'enum') return { type: `enum(${type.labels.map(literal).join(',')})` };
    return { type: SCALARS[type.kind]! };
  },
  idColumn: () => ({ type: 'bigint', default: null, autoIncrement: true }),
  // A string default in MySQL's own quoting: a backslash is an escape there (canonicalDefault doubles only quotes).
  defaultExpr: (d) => (d.kind === 'string' ? literal(d.value) : canonicalDefault(d)),
  indexName: (_table, index) => index.name,
  indexNames: 'table',
  fkIndexes: () => 'implicit',
  onUpdateNow: 'column',
  indexKey: mysqlIndexKey,
  nameProblem: mysqlNameProblem,
};
