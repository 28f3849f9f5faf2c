/**
 * Bulk load on MySQL and MariaDB: `LOAD DATA LOCAL INFILE` streamed from
 * memory when the server allows it (`local_infile`), else multi-row INSERTs
 * sized to `max_allowed_packet`. The session runs in UTC, so TIMESTAMP
 * text means what the generator meant.
 */
import { Readable } from 'node:stream';
import type { Connection } from 'mysql2/promise';
import type { BulkWriter } from '../../src/port/bulk.js';
import type { EncodedRows } from '../../src/rows/pieces.js';
import { parseLines, type Cell } from '../../src/rows/text-lines.js';
import { failOnWarnings, loadDataSql } from './load-data.js';
import { openLoadStream } from './load-stream.js';
import { ident } from './quote.js';

export const insertSql = (namespace: string, table: string, columns: readonly string[], rowCount: number): string => {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${ident(namespace)}.${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${Array(rowCount).fill(tuple).join(', ')}`;
};

/** Server refusals of LOCAL INFILE (MySQL 8 default, or local_infile=0): fall back to INSERT. */
const LOCAL_INFILE_REFUSED = new Set([1148, 3948, 2068, 1227]);

/** Split rows into INSERT batches whose statement stays under `limit` bytes. */
export function insertBatches(rows: readonly Cell[][], limit: number): Cell[][][] {
  const batches: Cell[][][] = [];
  let batch: Cell[][] = [];
  let size = 0;
  for (const row of rows) {
    // Each value costs its escaped length (at most double) plus quotes and a separator.
    let bytes = 4;
    for (const c of row) bytes += c === null ? 5 : Buffer.byteLength(c) * 2 + 3;
    if (batch.length && size + bytes > limit) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(row);
    size += bytes;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** Whether this server and client accept LOAD DATA LOCAL: tried on an empty temporary table. */
async function localInfileWorks(conn: Connection, debug: (t: string) => void): Promise<boolean> {
  await conn.query('CREATE TEMPORARY TABLE dbkit_local_infile_probe (x INT)');
  try {
    await conn.query({ sql: "LOAD DATA LOCAL INFILE 'probe' INTO TABLE dbkit_local_infile_probe", infileStreamFactory: () => Readable.from([]) });
    return true;
  } catch (err) {
    if (!LOCAL_INFILE_REFUSED.has((err as { errno?: number }).errno ?? 0)) throw err;
    debug(`seed: LOAD DATA LOCAL refused (${(err as Error).message}); using multi-row INSERT`);
    return false;
  } finally {
    await conn.query('DROP TEMPORARY TABLE dbkit_local_infile_probe');
  }
}

export async function mysqlWriter(conn: Connection, namespace: string, debug: (t: string) => void): Promise<BulkWriter> {
  await conn.query("SET time_zone = '+00:00'");
  const [[vars]] = (await conn.query('SELECT @@local_infile AS local_infile, @@max_allowed_packet AS packet')) as unknown as [
    { local_infile: number | string; packet: number | string }[],
  ];
  let loadData = Number(vars!.local_infile) === 1 && (await localInfileWorks(conn, debug));
  // Leave room for the statement text and protocol headers.
  const limit = Math.max(64 * 1024, Math.floor(Number(vars!.packet) * 0.8) - 4096);
  debug(`seed: local_infile=${vars!.local_infile}, max_allowed_packet=${vars!.packet}`);

  const insert = async (table: string, columns: readonly string[], data: EncodedRows) => {
    for (const batch of insertBatches(parseLines(Buffer.concat(data.pieces).toString('utf8')), limit)) {
      await conn.query(insertSql(namespace, table, columns, batch.length), batch.flat());
    }
  };

  const writer: BulkWriter = {
    method: loadData ? 'load-data' : 'insert',
    // Streams per table skip the checks (the seeder checks afterwards); INSERT chunks keep InnoDB's.
    skipsForeignKeyChecks: loadData,
    ...(loadData ? { openTableStream: (table: string, columns: readonly string[]) => openLoadStream(conn, namespace, table, columns) } : {}),
    begin: async () => void (await conn.query('START TRANSACTION')),
    async load(table, columns, data) {
      if (!data.rows) return;
      if (data.format !== 'text') throw new Error(`MySQL loads text rows, not ${data.format}`);
      if (loadData) {
        try {
          const [res] = (await conn.query({
            sql: loadDataSql(namespace, table, columns),
            infileStreamFactory: () => Readable.from(data.pieces),
          })) as unknown as [{ affectedRows: number; warningStatus: number }];
          // With LOCAL the server turns bad values and duplicate keys into warnings: treat them as the errors they are.
          if (res.warningStatus > 0 || res.affectedRows !== data.rows) await failOnWarnings(conn, table, data.rows, res.affectedRows);
          return;
        } catch (err) {
          if (!LOCAL_INFILE_REFUSED.has((err as { errno?: number }).errno ?? 0)) throw err;
          debug(`seed: LOAD DATA LOCAL refused (${(err as Error).message}); using multi-row INSERT`);
          loadData = false;
          writer.method = 'insert';
        }
      }
      await insert(table, columns, data);
    },
    commit: async () => void (await conn.query('COMMIT')),
    rollback: async () => void (await conn.query('ROLLBACK')),
  };
  return writer;
}
