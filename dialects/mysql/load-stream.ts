/**
 * One table's whole seed as ONE `LOAD DATA LOCAL INFILE` statement, fed
 * piece by piece while the run is generated. Each table streams on its own
 * connection, all at once, with foreign-key checks off for those sessions
 * (a child's parents sit in another, uncommitted, transaction); the seeder
 * commits them together and checks every foreign key set-based afterwards.
 * One statement per table is also what InnoDB loads fastest: many small
 * statements into the same table cost about half as much again.
 */
import type { Connection } from 'mysql2/promise';
import type { TableStream } from '../../src/port/bulk.js';
import { PieceQueue } from '../../src/rows/piece-queue.js';
import { failOnWarnings, loadDataSql } from './load-data.js';

const ABORT_WAIT_MS = 10_000;

/** Whether the promise settles (either way) within ms. */
async function settles(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function openLoadStream(conn: Connection, namespace: string, table: string, columns: readonly string[]): Promise<TableStream> {
  await conn.query('SET foreign_key_checks = 0');
  await conn.query('START TRANSACTION');
  const queue = new PieceQueue();
  const statement = conn.query({ sql: loadDataSql(namespace, table, columns), infileStreamFactory: () => queue.stream() }) as unknown as Promise<
    [{ affectedRows: number; warningStatus: number }]
  >;
  statement.catch((err: unknown) => queue.fail(err));

  return {
    push: (pieces) => queue.push(pieces),
    async finish(rows) {
      queue.end();
      const [res] = await statement;
      // With LOCAL the server turns bad values and duplicate keys into warnings: they are errors here.
      if (res.warningStatus > 0 || res.affectedRows !== rows) await failOnWarnings(conn, table, rows, res.affectedRows);
    },
    async commit() {
      await conn.query('COMMIT');
      await conn.query('SET foreign_key_checks = 1');
    },
    async abort() {
      queue.abort();
      // The statement ends once the driver sees the error; should the server not answer, drop the
      // connection (the server rolls its transaction back) rather than wait on it.
      if (!(await settles(statement, ABORT_WAIT_MS))) {
        conn.destroy();
        return;
      }
      await conn.query('ROLLBACK').catch(() => undefined);
      await conn.query('SET foreign_key_checks = 1').catch(() => undefined);
    },
  };
}
