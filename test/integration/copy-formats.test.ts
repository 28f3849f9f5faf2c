/**
 * Binary COPY (what `dbkit seed` writes on PostgreSQL and PGlite) against
 * text COPY of the same rows, on real engines: the generated rows of both
 * schemas and (agents) hand-written awkward values (non-ASCII, tabs, backslashes,
 * quotes in arrays, NULLs, times before 2000) must come out identical, and
 * as written.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresWriter } from '../../dialects/postgres/bulk.js';
import { pgliteWriter } from '../../dialects/pglite/bulk.js';
import { schemas } from '../../src/schema/registry.js';
import type { BulkWriter } from '../../src/port/bulk.js';
import { tableRows } from '../../src/seed/encode.js';
import { seedLayout } from '../../src/seed/layout.js';
import { generateChunks } from '../../src/seed/generate.js';
import type { RowFormat } from '../../src/rows/pieces.js';
import { seedCounts } from '../../src/seed/seed.js';
import type { Row } from '../../src/fake/types.js';
import { Uuid } from '../../src/rows/uuid.js';
import { generators } from '../../seeds/index.js';
import { dbkit } from '../support/cli.js';
import { dumpTables, freshPglite, freshPostgres, type FreshDatabase } from '../support/databases.js';

const dbs: FreshDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop().catch(() => undefined);
});

/** A migrated database and a writer on it (the seeder's own), with a query function for reading back. */
interface Target {
  writer: BulkWriter;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

async function target(engine: 'postgres' | 'pglite', schema: string): Promise<Target> {
  const db = await (engine === 'postgres' ? freshPostgres : freshPglite)(`copy_${schema}`);
  dbs.push(db);
  const migrated = await dbkit(['migrate', '--url', db.url, '--schema', schema, '--quiet']);
  expect(migrated.stderr).toBe('');
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return { writer: await postgresWriter(client, 'public'), query: async (sql) => (await client.query(sql)).rows, close: () => client.end() };
  }
  const pglite = await PGlite.create(db.name);
  return {
    writer: await pgliteWriter(pglite, 'public'),
    query: async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows,
    close: () => pglite.close(),
  };
}

/** Load rows in one transaction, table by table as given. */
async function load(t: Target, tables: { name: string; columns: readonly string[]; data: { format: RowFormat; pieces: Buffer[]; rows: number } }[]): Promise<void> {
  await t.writer.begin();
  for (const table of tables) if (table.data.rows) await t.writer.load(table.name, table.columns, table.data);
  await t.writer.commit();
}

async function generated(schema: string, format: RowFormat): Promise<Parameters<typeof load>[1]> {
  const spec = { schema, dialect: 'postgres' as const, seed: 77, users: 8, counts: seedCounts(generators[schema]!), firstOrdinal: 0, idBase: {}, shared: true, format, layout: seedLayout(schema, 'postgres') };
  const out: Parameters<typeof load>[1] = [];
  for await (const chunk of generateChunks(spec)) out.push(...chunk.tables);
  return out;
}

const at = (iso: string) => Date.parse(iso);
const id = (n: number) => new Uuid(0x0190f3a1, 0xb2c37000 + n, 0x80000000, n);

/** Awkward values in the agents tables, in generator column order. */
const AWKWARD: Record<string, Row[]> = {
  users: [[id(1), 'zoë\t"🚀"\\N', 'a@b.c', '$scrypt$ln=4,r=8,p=1$x$y', at('1999-12-31T23:59:59Z'), at('2025-06-30T12:00:00Z')]],
  sessions: [[id(2), id(1), 'line one\nline two\r\n', { model: 'qwen-max', nested: { list: [1, 'é', null, true], tab: '\t' } }, at('2024-02-29T00:00:00Z'), at('2024-02-29T00:00:01Z')]],
  runs: [[id(3), id(2), id(1), 'back\\slash \\t not a tab', 'completed', { model: 'm' }, null, { cost_usd: 0.00012, big: 12345678901 }, at('2024-03-01T00:00:00Z'), at('2024-03-01T01:00:00Z'), null]],
  messages: [[id(4), id(3), 'user', '', 'text', null, at('1970-01-01T00:00:00.750Z')]], // whole seconds in both formats
  files: [[id(5), id(3), 'naïve.csv', '/workspace/runs/x/naïve.csv', 12345678901, 'text/csv', 'ab'.repeat(32), at('2024-03-01T00:30:00Z')]],
  settings: [[id(6), null, 'key\tname', 'value "quoted"', at('2024-03-01T00:00:00Z'), at('2024-03-01T00:00:00Z')]],
  gallery: [[id(7), id(1), id(3), 'T', null, ['/a b', 'c"d', '{x,y}', 'back\\slash', '', 'NULL', 'é'], [], at('2024-03-02T00:00:00Z')]],
};

function awkward(format: RowFormat): Parameters<typeof load>[1] {
  return generators.agents!.tables.map((table) => {
    const rows = tableRows(schemas.agents!, table, 'postgres', format)();
    for (const row of AWKWARD[table.name] ?? []) rows.write(row);
    return { name: table.name, columns: table.columns, data: rows.flush() };
  });
}

/** Empty the tables, load with text COPY, dump, empty them, load the same with binary COPY, dump: both dumps. */
async function both(t: Target, schema: string, rows: (format: RowFormat) => Promise<Parameters<typeof load>[1]>): Promise<[string, string]> {
  const tables = generators[schema]!.tables.map((x) => x.name);
  const empty = `TRUNCATE ${tables.map((x) => `"${x}"`).join(', ')}`;
  await t.query(empty);
  await load(t, await rows('text'));
  const text = await dumpTables(t, tables);
  await t.query(empty);
  await load(t, await rows('binary'));
  return [text, await dumpTables(t, tables)];
}

// One database per engine and schema (PGlite takes seconds to create one).
describe.each(['postgres', 'pglite'] as const)('binary and text COPY on %s', (engine) => {
  it.each(['agents', 'chat'])('give the same %s rows', async (schema) => {
    const t = await target(engine, schema);
    try {
      const [text, binary] = await both(t, schema, (format) => generated(schema, format));
      expect(binary.length).toBeGreaterThan(10_000);
      expect(binary).toBe(text);

      if (schema !== 'agents') return;
      const [awkwardText, awkwardBinary] = await both(t, schema, async (format) => awkward(format));
      expect(awkwardBinary).toBe(awkwardText);
      const [user] = await t.query(`SELECT id::text AS id, username, extract(epoch FROM created_at) AS created FROM users`);
      expect(user).toEqual({ id: String(id(1)), username: 'zoë\t"🚀"\\N', created: expect.anything() });
      expect(Number(user!.created)).toBe(at('1999-12-31T23:59:59Z') / 1000);
      const [session] = await t.query('SELECT title, config FROM sessions');
      expect(session).toEqual({ title: 'line one\nline two\r\n', config: AWKWARD.sessions![0]![3] });
      const [run] = await t.query('SELECT task, result, usage_statistics, completed_at FROM runs');
      expect(run).toEqual({ task: 'back\\slash \\t not a tab', result: null, usage_statistics: { cost_usd: 0.00012, big: 12345678901 }, completed_at: null });
      const [message] = await t.query('SELECT content, metadata, "timestamp" FROM messages');
      expect(message).toEqual({ content: '', metadata: null, timestamp: new Date(0) });
      const [file] = await t.query('SELECT name, size::text AS size FROM files');
      expect(file).toEqual({ name: 'naïve.csv', size: '12345678901' });
      const [setting] = await t.query('SELECT user_id, "key", "value" FROM settings');
      expect(setting).toEqual({ user_id: null, key: 'key\tname', value: 'value "quoted"' });
      const [entry] = await t.query('SELECT description, file_paths, tags FROM gallery');
      expect(entry).toEqual({ description: null, file_paths: AWKWARD.gallery![0]![5], tags: [] });
    } finally {
      await t.close();
    }
  }, 90_000);
});
