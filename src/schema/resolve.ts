/**
 * Resolve a dialect-neutral definition into the physical variant of one
 * dialect: the expected side of every comparison, and the input of the DDL
 * emitters.
 */
import type { SchemaDef, TableDef } from './definition.js';
import type { Column, DbSchema, EnumType, ForeignKey, Index, Table, Trigger } from './model.js';
import { updateFunctionName, updateTriggerName, type VariantRules } from './variant.js';

const leads = (indexColumns: string[], columns: string[]): boolean =>
  columns.length <= indexColumns.length && columns.every((c, i) => indexColumns[i] === c);

function resolveTable(def: TableDef, schema: SchemaDef, rules: VariantRules, out: DbSchema): Table {
  const columns: Column[] = def.columns.map((c) => {
    const base: Column = {
      name: c.name,
      type: '',
      nullable: !c.notNull,
      default: c.default ? rules.defaultExpr(c.default) : null,
      autoIncrement: false,
      onUpdate: null,
      comment: c.comment ?? null,
    };
    if (c.type.kind === 'id') return { ...base, ...rules.idColumn(), nullable: false };
    const { type, enumType } = rules.columnType(c, def, schema);
    if (enumType) {
      const labels = c.type.kind === 'enum' ? c.type.labels : [];
      out.enums.push({ name: enumType, labels } satisfies EnumType);
    }
    if (c.onUpdateNow && rules.onUpdateNow === 'column') return { ...base, type, onUpdate: 'CURRENT_TIMESTAMP' };
    if (c.onUpdateNow) {
      out.triggers.push({
        name: updateTriggerName(def.name, c.name),
        table: def.name,
        timing: 'BEFORE UPDATE',
        function: updateFunctionName(c.name),
      } satisfies Trigger);
    }
    return { ...base, type };
  });

  const idCol = def.columns.find((c) => c.type.kind === 'id');
  const uniques = [
    ...def.columns.filter((c) => c.unique).map((c) => ({ name: null, columns: [c.name] })),
    ...(def.uniques ?? []).map((cols) => ({ name: null, columns: [...cols] })),
  ];
  const foreignKeys: ForeignKey[] = def.columns
    .filter((c) => c.references)
    .map((c) => ({
      name: null,
      columns: [c.name],
      refTable: c.references!.table,
      refColumns: ['id'],
      onDelete: c.references!.onDelete,
      onUpdate: 'NO ACTION',
    }));
  const indexes: Index[] = (def.indexes ?? []).map((i) => ({
    name: rules.indexName(def, i, schema),
    columns: [...i.columns],
    unique: !!i.unique,
    method: 'btree',
    where: null,
  }));

  const fkMode = rules.fkIndexes(schema);
  if (fkMode !== 'none') {
    const covering = [...(idCol ? [[idCol.name]] : []), ...uniques.map((u) => u.columns), ...indexes.map((i) => i.columns)];
    for (const fk of foreignKeys) {
      if (covering.some((cols) => leads(cols, fk.columns))) continue;
      const column = fk.columns.join('_');
      indexes.push(
        fkMode === 'explicit'
          ? { name: `idx_${def.name}_${column}`, columns: [...fk.columns], unique: false, method: 'btree', where: null }
          : { name: fk.columns[0]!, columns: [...fk.columns], unique: false, method: 'btree', where: null, implicit: true },
      );
      covering.push(fk.columns);
    }
  }

  return {
    name: def.name,
    comment: def.comment ?? null,
    columns,
    primaryKey: idCol ? { name: null, columns: [idCol.name] } : null,
    uniques,
    foreignKeys,
    indexes,
  };
}

export function resolveSchema(schema: SchemaDef, rules: VariantRules): DbSchema {
  const out: DbSchema = { dialect: rules.dialect, tables: [], enums: [], triggers: [] };
  for (const def of schema.tables) out.tables.push(resolveTable(def, schema, rules, out));
  return out;
}
