/** What each engine's running-work probe gives (dialects/<d>/running-work.ts; used by src/migrate/running-work.ts). */
import type { Sql } from '../db/sql.js';

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
}
