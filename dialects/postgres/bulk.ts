/** Bulk load on PostgreSQL: `COPY ... FROM STDIN`, binary format (or text), streamed in pieces. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import copyStreams from 'pg-copy-streams';
import type { BulkWriter } from '../../src/seed/bulk-port.js';
import type { EncodedRows, RowFormat } from '../../src/seed/pieces.js';
import { BINARY_HEADER, BINARY_TRAILER } from './copy-binary.js';
import { ident } from './quote.js';

export const copySql = (namespace: string, table: string, columns: readonly string[], format: RowFormat, source = 'STDIN'): string =>
  `COPY ${ident(namespace)}.${ident(table)} (${columns.map(ident).join(', ')}) FROM ${source}${format === 'binary' ? ' WITH (FORMAT binary)' : ''}`;

/** What one COPY statement reads: binary data gets its header and trailer. */
export const copyData = (data: EncodedRows): Buffer[] => (data.format === 'binary' ? [BINARY_HEADER, ...data.pieces, BINARY_TRAILER] : data.pieces);

/**
 * Foreign keys are RI triggers in PostgreSQL; `session_replication_role =
 * replica` skips them for this transaction (as pg_restore --disable-triggers
 * does). Only a superuser, or a role granted SET on the parameter, may.
 */
export const CAN_SKIP_TRIGGERS =
  "SELECT current_setting('is_superuser') = 'on' OR coalesce(has_parameter_privilege('session_replication_role', 'SET'), false) AS ok";
const CAN_SKIP_TRIGGERS_OLD = "SELECT current_setting('is_superuser') = 'on' AS ok"; // before PostgreSQL 15
export const SKIP_TRIGGERS = 'SET LOCAL session_replication_role = replica';

/**
 * Seed chunks do not wait for their commit record to reach the disk: an
 * operating-system crash could lose the last chunks (never half of one), and
 * a re-run with --truncate starts over. It saves a WAL flush per chunk.
 */
export const NO_COMMIT_WAIT = 'SET LOCAL synchronous_commit = off';

/** Whether this session may skip RI triggers (asked before the transaction: an error inside would abort it). */
export async function maySkipTriggers(query: (sql: string) => Promise<{ ok: boolean }[]>): Promise<boolean> {
  try {
    return !!(await query(CAN_SKIP_TRIGGERS))[0]?.ok;
  } catch {
    return !!(await query(CAN_SKIP_TRIGGERS_OLD))[0]?.ok;
  }
}

export async function postgresWriter(client: Client, namespace: string): Promise<BulkWriter> {
  const skip = await maySkipTriggers(async (sql) => (await client.query<{ ok: boolean }>(sql)).rows);
  return {
    method: 'copy',
    skipsForeignKeyChecks: skip,
    async begin() {
      await client.query('BEGIN');
      await client.query(NO_COMMIT_WAIT);
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
