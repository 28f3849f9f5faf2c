/** Type mapping of the MySQL variant (docs/schema/variants.md). */
import type { ColumnDef } from '../../src/schema/definition.js';
import { canonicalDefault, type VariantRules } from '../../src/schema/variant.js';
import type { TextTypes } from '../../src/plan/type-change.js';
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

/** The bytes MySQL's TEXT types hold. */
const TEXT_BYTES: Record<string, number> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };

/** What MySQL's text types hold (src/plan/type-change.ts): TEXT types by their bytes over utf8mb4's 4 a character; TEXT (16,383 characters) holds whatever a value prints as. */
export const mysqlTextTypes: TextTypes = {
  capacity: (base) => (base in TEXT_BYTES ? Math.floor(TEXT_BYTES[base]! / 4) : null),
  holdsAnyPrintFrom: 16_383,
};
