/** Indexes the database marks invalid (PostgreSQL `indisvalid`, after a failed CREATE INDEX CONCURRENTLY). */
import { cols } from '../schema/describe.js';
import type { Table } from '../schema/model.js';
import { ownIndexes } from '../schema/index-match.js';
import type { Advisory } from './types.js';

export function invalidIndexes(table: Table): Advisory[] {
  return ownIndexes(table)
    .filter((i) => i.valid === false)
    .map((i) => ({
      kind: 'invalid',
      table: table.name,
      index: i.name,
      columns: [...i.columns],
      message:
        `Index ${i.name} on ${table.name} ${cols(i.columns)} is invalid, so queries do not use it: ` +
        'rebuild it (REINDEX) or drop and recreate it.',
    }));
}
