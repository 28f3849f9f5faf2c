/** Bulk load on PGlite: `COPY ... FROM '/dev/blob'`, PGlite's in-process fast path. */
import type { PGlite } from '@electric-sql/pglite';
import type { BulkWriter } from '../../src/port/bulk.js';
import { copyData, copySql } from '../postgres/bulk.js';
import { maySkipTriggers, SKIP_TRIGGERS } from '../postgres/replica.js';

export async function pgliteWriter(db: PGlite, namespace: string): Promise<BulkWriter> {
  const skip = await maySkipTriggers(async (sql) => (await db.query<{ ok: boolean }>(sql)).rows);
  return {
    method: 'pglite-copy',
    skipsForeignKeyChecks: skip,
    async begin() {
      await db.exec('BEGIN');
      if (skip) await db.exec(SKIP_TRIGGERS);
    },
    async load(table, columns, data) {
      if (!data.rows) return;
      await db.query(copySql(namespace, table, columns, data.format, "'/dev/blob'"), [], { blob: new Blob(copyData(data) as Uint8Array<ArrayBuffer>[]) });
    },
    commit: async () => void (await db.exec('COMMIT')),
    rollback: async () => void (await db.exec('ROLLBACK')),
  };
}
