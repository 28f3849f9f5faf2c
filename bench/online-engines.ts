/**
 * The two engines of bench/online.ts behind one small interface: a fresh
 * database, the rows, one INSERT, plain DDL, and a client of its own for
 * the inserter (so that it waits like an application's connection would).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';

export type EngineName = 'postgres' | 'mariadb';

export interface BenchClient {
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface BenchEngine {
  name: EngineName;
  label: string;
  /** The URL of database `db` on this server. */
  url(db: string): string;
  createDatabase(db: string): Promise<void>;
  dropDatabase(db: string): Promise<void>;
  connect(url: string): Promise<BenchClient>;
  /** 1000 users, then `rows` events spread over them. */
  load(c: BenchClient, rows: number): Promise<void>;
  /** The inserter's statement into `table`, with (user_id, n, code). */
  insert(table: string): string;
  /** Whether an INSERT failed because its table is not there (renamed away). */
  noSuchTable(message: string): boolean;
}

const withDb = (admin: string, db: string): string => {
  const u = new URL(admin);
  u.pathname = `/${db}`;
  return u.toString();
};

async function pgClient(url: string): Promise<BenchClient> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  return { query: async (sql, params = []) => (await c.query(sql, params)).rows, close: () => c.end() };
}

async function mysqlClient(url: string): Promise<BenchClient> {
  const c = await mysql.createConnection({ uri: url, supportBigNumbers: true, bigNumberStrings: true, multipleStatements: false });
  c.on('error', () => undefined);
  return {
    query: async (sql, params = []) => {
      const [rows] = await c.query(sql, params);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
    close: () => c.end(),
  };
}

async function once(connect: () => Promise<BenchClient>, sql: string): Promise<void> {
  const c = await connect();
  try {
    await c.query(sql);
  } finally {
    await c.close();
  }
}

export function postgresEngine(admin: string, label: string): BenchEngine {
  return {
    name: 'postgres',
    label,
    url: (db) => withDb(admin, db),
    createDatabase: (db) => once(() => pgClient(admin), `CREATE DATABASE "${db}"`),
    dropDatabase: (db) => once(() => pgClient(admin), `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`),
    connect: pgClient,
    async load(c, rows) {
      await c.query("INSERT INTO users (username, email, password_hash) SELECT 'u' || g, 'u' || g || '@example.com', 'h' FROM generate_series(1, 1000) g");
      await c.query(
        "INSERT INTO events (user_id, n, label, title, code, kind) SELECT u.ids[1 + g % 1000], g, 'label ' || (g % 100), 'title ' || g, 'c' || g, " +
          "(CASE WHEN g % 2 = 0 THEN 'click' ELSE 'view' END)::events_kind " +
          'FROM generate_series(1, $1::int) g, (SELECT array_agg(id) AS ids FROM users) u',
        [rows],
      );
      await c.query('VACUUM ANALYZE events');
      await c.query('CHECKPOINT');
    },
    insert: (table) => `INSERT INTO "${table}" (user_id, n, label, title, code) VALUES ($1, $2, 'live', 'live', $3)`,
    noSuchTable: (message) => /^relation ".*" does not exist/.test(message),
  };
}

export function mariadbEngine(admin: string, label: string): BenchEngine {
  return {
    name: 'mariadb',
    label,
    url: (db) => withDb(admin, db),
    createDatabase: (db) => once(() => mysqlClient(admin), `CREATE DATABASE \`${db}\``),
    dropDatabase: (db) => once(() => mysqlClient(admin), `DROP DATABASE IF EXISTS \`${db}\``),
    connect: mysqlClient,
    async load(c, rows) {
      await c.query("INSERT INTO users (username, email, password_hash) SELECT CONCAT('u', seq), CONCAT('u', seq, '@example.com'), 'h' FROM seq_1_to_1000");
      // A fresh table: ids 1..1000.
      const [range] = await c.query('SELECT MIN(id) AS lo, MAX(id) AS hi FROM users');
      if (Number(range!.lo) !== 1 || Number(range!.hi) !== 1000) throw new Error(`users got ids ${String(range!.lo)}..${String(range!.hi)}, not 1..1000`);
      // In slices: one transaction of a million rows outgrows a stock redo log.
      for (let from = 1; from <= rows; from += 100_000) {
        const to = Math.min(rows, from + 99_999);
        await c.query(
          "INSERT INTO events (user_id, n, label, title, code, kind) SELECT 1 + seq % 1000, seq, CONCAT('label ', seq % 100), CONCAT('title ', seq), CONCAT('c', seq), IF(seq % 2 = 0, 'click', 'view') " +
            `FROM seq_${from}_to_${to}`,
        );
      }
      await c.query('ANALYZE TABLE events');
    },
    insert: (table) => `INSERT INTO \`${table}\` (user_id, n, label, title, code) VALUES (?, ?, 'live', 'live', ?)`,
    noSuchTable: (message) => /^Table '.*' doesn't exist/.test(message),
  };
}

/** One INSERT at a time, every `intervalMs` (when the last one came back), each timed. */
export interface Sample {
  start: number;
  end: number;
  /** The server's words when the INSERT failed. */
  error?: string;
}

/**
 * `table`: where the INSERTs go; `renamedTo`: the table's name once a change
 * renames it. An INSERT that finds its table gone fails (it counts as failed),
 * and the next ones go to the new name, as an application that follows the
 * rename at once would.
 */
export function startInserter(
  c: BenchClient,
  engine: BenchEngine,
  userIds: unknown[],
  intervalMs: number,
  table: string,
  renamedTo?: string,
): { stop(): Promise<Sample[]> } {
  const samples: Sample[] = [];
  let stopping = false;
  let n = 0;
  const tag = `${process.pid}-${Date.now()}`;
  let into = table;
  const loop = (async () => {
    let next = performance.now();
    while (!stopping) {
      n++;
      const start = performance.now();
      let error: string | undefined;
      try {
        await c.query(engine.insert(into), [userIds[n % userIds.length], n, `i-${tag}-${n}`]);
      } catch (err) {
        error = (err as Error).message;
        if (renamedTo !== undefined && engine.noSuchTable(error)) into = renamedTo;
      }
      samples.push({ start, end: performance.now(), ...(error !== undefined ? { error } : {}) });
      next += intervalMs;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else next = performance.now();
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      return samples;
    },
  };
}

/** The longest INSERT among those that overlapped [from, to], the number of them, and the errors of those that failed. */
export function stallIn(samples: Sample[], from: number, to: number): { longest: number; count: number; errors: string[] } {
  const during = samples.filter((s) => s.end >= from && s.start <= to);
  return { longest: Math.max(0, ...during.map((s) => s.end - s.start)), count: during.length, errors: during.flatMap((s) => (s.error !== undefined ? [s.error] : [])) };
}
