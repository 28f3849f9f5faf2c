/** What each engine's running-work probe gives (dialects/<d>/running-work.ts; used by src/migrate/apply/running-work.ts). */
import type { Sql } from './sql.js';

/** A statement another session of the same database is running (or a transaction it holds open). */
export interface ServerStatement {
  /** PostgreSQL backend pid, MySQL connection id. */
  id: number;
  /** How long the statement (or the open transaction) has run, in seconds. */
  seconds: number;
  /** `active`, `idle in transaction` (PostgreSQL); MySQL's thread state. */
  state: string;
  query: string;
  /** What the server says of its progress (`building index: scanning table, 41% of blocks`), or null. */
  progress: string | null;
}

/** One engine's side: the statements of other sessions in this database, and how to end one. */
export interface WorkProbe {
  /** The engine as people name it, for messages. */
  server: string;
  /** The word for a session there. */
  session: string;
  list(sql: Sql): Promise<ServerStatement[]>;
  /** The SQL that ends it (PostgreSQL pg_cancel_backend / pg_terminate_backend, MySQL KILL QUERY). */
  howToEnd(s: ServerStatement): string;
  /** An online schema change tool the engine's migrations may run (MySQL: pt-online-schema-change), to find still at work. */
  tool?: ToolProbe;
}

/** An online schema change tool's connection at work on a table (pt-online-schema-change). */
export interface ToolWork {
  /** Its connection. */
  id: number;
  user: string;
  seconds: number;
  statement: string;
  /** The tool's process id, when its statement says it. */
  pid: number | null;
  /** The table it alters. */
  table: string;
}

/** How an engine finds an online schema change tool still at work (dialects/mysql/pt-osc-work.ts). */
export interface ToolProbe {
  name: string;
  /** The tables the tool would alter for these statements. */
  tables(statements: readonly string[]): string[];
  /** Of `tables`, those the tool's new table exists for (it is, or was, at work on them). */
  leftovers(sql: Sql, database: string, tables: readonly string[]): Promise<string[]>;
  /** The tool's statements running now on `tables`. */
  running(sql: Sql, database: string, tables: readonly string[]): Promise<ToolWork[]>;
  /** Which of these connections are still open. */
  alive(sql: Sql, ids: readonly number[]): Promise<number[]>;
  describe(w: ToolWork): string;
  howToEnd(w: ToolWork, database: string): string;
}
