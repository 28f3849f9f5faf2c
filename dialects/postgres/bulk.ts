/** Bulk load on PostgreSQL: `COPY ... FROM STDIN`, binary format (or text), streamed in pieces. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import copyStreams from 'pg-copy-streams';
import type { BulkWriter } from '../../src/port/bulk.js';
import type { EncodedRows, RowFormat } from '../../src/rows/pieces.js';
import { BINARY_HEADER, BINARY_TRAILER } from './copy-binary.js';
import { ident } from './quote.js';
import { setLocalLockTimeout } from './lock-wait.js';
import { maySkipTriggers, SKIP_TRIGGERS } from './replica.js';

export const copySql = (namespace: string, table: string, columns: readonly string[], format: RowFormat, source = 'STDIN'): string =>
  `COPY ${ident(namespace)}.${ident(table)} (${columns.map(ident).join(', ')}) FROM ${source}${format === 'binary' ? ' WITH (FORMAT binary)' : ''}`;

/** What one COPY statement reads: binary data gets its header and trailer. */
export const copyData = (data: EncodedRows): Buffer[] => (data.format === 'binary' ? [BINARY_HEADER, ...data.pieces, BINARY_TRAILER] : data.pieces);

/**
 * Seed chunks do not wait for their commit record to reach the disk: an
 * operating-system crash could lose the last chunks (never half of one), and
 * a re-run with --truncate starts over. It saves a WAL flush per chunk.
 */
export const NO_COMMIT_WAIT = 'SET LOCAL synchronous_commit = off';

/** `lockTimeoutMs`: how long a chunk's COPY waits for a lock another session holds on its table (SET LOCAL lock_timeout; --lock-timeout). */
export async function postgresWriter(client: Client, namespace: string, lockTimeoutMs?: number): Promise<BulkWriter> {
  const skip = await maySkipTriggers(async (sql) => (await client.query<{ ok: boolean }>(sql)).rows);
  return {
    method: 'copy',
    skipsForeignKeyChecks: skip,
    async begin() {
      await client.query('BEGIN');
      await client.query(NO_COMMIT_WAIT);
      if (lockTimeoutMs !== undefined) await client.query(setLocalLockTimeout(lockTimeoutMs));
      if (skip) await client.query(SKIP_TRIGGERS);
    },
    async load(table, columns, data) {
      if (!data.rows) return;
      await pipeline(Readable.from(copyData(data)), client.query(copyStreams.from(copySql(namespace, table, columns, data.format))));
    },
    commit: async () => void (await client.query('COMMIT')),
    rollback: async () => void (await client.query('ROLLBACK')),
  };
}
