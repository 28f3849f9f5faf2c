/**
 * The port a dialect fills for the lint: read one statement's text into
 * facts. Readers load their parser before they are handed out, so reading is
 * synchronous; a statement the reader cannot read comes back as an
 * `unrecognized` fact, never as an exception.
 */
import type { Fact } from './facts.js';

export interface StatementReader {
  /** The facts of one statement as the runner sends it (a PostgreSQL part may hold several statements). */
  read(sql: string): Fact[];
}
