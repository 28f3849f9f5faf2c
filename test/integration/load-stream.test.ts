/**
 * The MariaDB per-table LOAD DATA stream (dialects/mysql/load-stream.ts) on
 * a real server: an abort while pieces are still queued or the statement is
 * still waiting for more must end the statement, roll back and free the
 * table, never hang (a stream destroyed without an error leaves mysql2
 * waiting forever for the end of the file).
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { openLoadStream } from '../../dialects/mysql/load-stream.js';
import { adminQuery, freshMysql, type FreshDatabase } from '../support/databases.js';

const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

async function table(): Promise<{ db: FreshDatabase; conn: mysql.Connection }> {
  const db = await freshMysql('load_stream');
  dbs.push(db);
  await adminQuery(db.url, 'CREATE TABLE t (id BIGINT PRIMARY KEY, `value` TEXT NOT NULL)');
  return { db, conn: await mysql.createConnection({ uri: db.url }) };
}

const rows = (from: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `${from + i}\tvalue ${from + i}\n`).join(''));

describe('LOAD DATA stream abort on MariaDB', () => {
  it.each([
    ['waiting for more pieces', false],
    ['with pieces still queued after the end', true],
  ])('an abort %s ends the statement, rolls back and leaves the table free', async (_case, ended) => {
    const { db, conn } = await table();
    try {
      const stream = await openLoadStream(conn, db.name, 't', ['id', 'value']);
      await stream.push([rows(1, 1000)]);
      // Far more than the queue holds: the pushes wait on the server reading them.
      const pushes = Array.from({ length: 40 }, (_, i) => stream.push([rows(1001 + i * 5000, 5000)]).catch(() => undefined));
      if (ended) void stream.finish(201_000).catch(() => undefined);
      const t0 = Date.now();
      await stream.abort();
      await Promise.all(pushes);
      expect(Date.now() - t0).toBeLessThan(5_000);
      // Nothing committed, and no lock left behind: TRUNCATE needs the table's metadata lock.
      await adminQuery(db.url, 'TRUNCATE TABLE t');
      expect(await adminQuery(db.url, 'SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      await conn.end().catch(() => undefined);
    }
  }, 30_000);
});
