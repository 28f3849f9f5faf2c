/**
 * The baselines of bench/seed, fed the exact rows `dbkit seed` writes (same
 * generator, seed and user count, generated before the clock starts):
 * Knex `batchInsert` in chunks of 1000, and the engine's raw bulk path
 * (COPY FROM STDIN / LOAD DATA LOCAL INFILE) with the rows already encoded:
 * as text, and on PostgreSQL also in the binary COPY format `dbkit seed` uses.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import knexFactory from 'knex';
import mysql from 'mysql2/promise';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { copyData, copySql } from '../dialects/postgres/bulk.js';
import { loadDataSql } from '../dialects/mysql/load-data.js';
import { mysqlConnection } from '../src/config/url.js';
import { parseLines, type Cell } from '../src/seed/encode.js';
import { generateChunks } from '../src/seed/generate.js';
import type { RowFormat } from '../src/rows/pieces.js';
import { seedLayout } from '../src/seed/layout.js';
import { seedCounts } from '../src/seed/seed.js';
import type { Dialect } from '../src/schema/model.js';
import { generators } from '../seeds/index.js';

export interface TableRows {
  table: string;
  columns: readonly string[];
  rows: Cell[][];
  /** The rows as COPY / LOAD DATA text, in pieces. */
  text: Buffer[];
  /** PostgreSQL: the rows in binary COPY format, in pieces (without header and trailer). */
  binary: Buffer[];
}

/** Generate what `dbkit seed --seed S --users N` writes into an empty schema, table by table, parents first. */
export async function pregenerate(schema: string, dialect: Dialect, users: number, seed: number): Promise<TableRows[]> {
  const generator = generators[schema]!;
  const layout = seedLayout(schema, dialect);
  const tables = new Map<string, TableRows>(layout.tables.map((t) => [t.name, { table: t.name, columns: t.columns.map((c) => c.name), rows: [], text: [], binary: [] }]));
  const spec = { schema, dialect, seed, users, counts: seedCounts(generator), firstOrdinal: 0, idBase: {}, shared: true, layout };
  for await (const chunk of generateChunks({ ...spec, format: 'text' })) {
    for (const { name, data } of chunk.tables) {
      const t = tables.get(name)!;
      t.text.push(...data.pieces);
      for (const row of parseLines(Buffer.concat(data.pieces).toString('utf8'))) t.rows.push(row);
    }
  }
  if (dialect === 'postgres') {
    for await (const chunk of generateChunks({ ...spec, format: 'binary' })) for (const { name, data } of chunk.tables) tables.get(name)!.binary.push(...data.pieces);
  }
  return [...tables.values()];
}

/** The callback-style connection Knex's afterCreate hands over. */
interface RawConnection {
  query(sql: string, cb: (err: unknown) => void): void;
}

function knexFor(dialect: Dialect, url: string): Knex {
  if (dialect === 'postgres') return knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 1 } });
  return knexFactory({
    client: 'mysql2',
    connection: mysqlConnection(url),
    pool: { min: 1, max: 1, afterCreate: (conn: RawConnection, done: (e: unknown, c: unknown) => void) => conn.query("SET time_zone = '+00:00'", (e) => done(e, conn)) },
  });
}

/** Rows as objects, for Knex; built before timing. */
export const asObjects = (t: TableRows): Record<string, Cell>[] =>
  t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c, row[i]!])));

/** Knex batchInsert, 1000 rows a statement, one transaction per table (Knex's default): seconds. */
export async function timeBatchInsert(dialect: Dialect, url: string, tables: TableRows[]): Promise<number> {
  const objects = tables.map((t) => [t.table, asObjects(t)] as const);
  const knex = knexFor(dialect, url);
  try {
    await knex.raw('SELECT 1');
    const start = performance.now();
    for (const [table, rows] of objects) await knex.batchInsert(table, rows, 1000);
    return (performance.now() - start) / 1000;
  } finally {
    await knex.destroy();
  }
}

/** The raw bulk path with pre-encoded rows (text, or PostgreSQL's binary COPY), all tables in one transaction: seconds. */
export async function timeRawBulk(dialect: Dialect, url: string, namespace: string, tables: TableRows[], format: RowFormat = 'text'): Promise<number> {
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const start = performance.now();
      await client.query('BEGIN');
      for (const t of tables) {
        if (!t.rows.length) continue;
        const data = { format, pieces: format === 'binary' ? t.binary : t.text, rows: t.rows.length };
        await pipeline(Readable.from(copyData(data)), client.query(copyStreams.from(copySql(namespace, t.table, t.columns, format))));
      }
      await client.query('COMMIT');
      return (performance.now() - start) / 1000;
    } finally {
      await client.end();
    }
  }
  const conn = await mysql.createConnection(mysqlConnection(url));
  try {
    await conn.query("SET time_zone = '+00:00'");
    const start = performance.now();
    await conn.query('START TRANSACTION');
    for (const t of tables) {
      if (t.rows.length) await conn.query({ sql: loadDataSql(namespace, t.table, t.columns), infileStreamFactory: () => Readable.from(t.text) });
    }
    await conn.query('COMMIT');
    return (performance.now() - start) / 1000;
  } finally {
    await conn.end();
  }
}
