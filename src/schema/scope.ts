/** What a comparison looks at: the schema's own tables, never dbkit's bookkeeping (`dbkit_*`). */
import type { DbSchema, Table, Trigger } from './model.js';

export const isBookkeeping = (table: string): boolean => table.startsWith('dbkit_');

export const schemaTables = (schema: DbSchema): Table[] => schema.tables.filter((t) => !isBookkeeping(t.name));

export const schemaTriggers = (schema: DbSchema): Trigger[] => schema.triggers.filter((t) => !isBookkeeping(t.table));
