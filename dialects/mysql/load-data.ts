/**
 * The LOAD DATA statement the seeder streams rows into, and how a load that
 * the server only warned about becomes the error it is. Shared by the
 * per-chunk writer (bulk.ts) and the per-table stream (load-stream.ts).
 */
import type { Connection } from 'mysql2/promise';
import { ident } from './quote.js';

/** LOAD DATA's defaults are the text format: tab-separated fields, `\` escapes, newline-terminated lines, `\N` = NULL. */
export const loadDataSql = (namespace: string, table: string, columns: readonly string[]): string =>
  `LOAD DATA LOCAL INFILE 'dbkit-seed.tsv' INTO TABLE ${ident(namespace)}.${ident(table)} CHARACTER SET utf8mb4 (${columns.map(ident).join(', ')})`;

/** A LOAD DATA that loaded fewer rows than sent, or warned: with LOCAL the server turns bad values and duplicate keys into warnings. */
export async function failOnWarnings(conn: Connection, table: string, sent: number, loaded: number): Promise<never> {
  const [warnings] = (await conn.query('SHOW WARNINGS LIMIT 1')) as unknown as [{ Message: string }[]];
  const first = warnings[0]?.Message ?? 'no warning given';
  throw new Error(`LOAD DATA into ${table} loaded ${loaded} of ${sent} rows: ${first}`);
}
