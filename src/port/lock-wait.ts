/** How a dialect bounds and explains a wait for another session's table lock (dialects/<d>/lock-wait.ts). */
import type { Sql } from './sql.js';

/**
 * What a waiting statement needed, and so which modes held by others can
 * have stopped it (PostgreSQL's table of conflicting lock modes):
 * - `writer-or-reader`: dbkit's bookkeeping (default): any mode that stops a reader or a writer;
 * - `read` (SELECT: ACCESS SHARE): only ACCESS EXCLUSIVE;
 * - `write` (INSERT, COPY: ROW EXCLUSIVE): SHARE and stronger;
 * - `delete` (DELETE: ROW EXCLUSIVE, and the rows' own locks, which sessions
 *   holding ROW SHARE or ROW EXCLUSIVE on the table may hold): all but ACCESS SHARE;
 * - `all` (TRUNCATE: ACCESS EXCLUSIVE): every mode.
 */
export type LockNeed = 'writer-or-reader' | 'read' | 'write' | 'delete' | 'all';

/** Who holds a lock on some of the tables: the tables held, and the holders where the server says. */
export interface HeldTables {
  tables: string[];
  holders: string[];
}

export interface LockWaits {
  /** The statement that bounds the lock waits of a transaction (none where the session is bounded when it opens). */
  bound?(ms: number): string;
  /** Which of `tables` other sessions hold locks on that stop `need`, and who, where the server says. */
  held(sql: Sql, namespace: string, tables: readonly string[], need: LockNeed): Promise<HeldTables>;
  /** A table as a message names it. */
  shown(namespace: string, table: string): string;
}
