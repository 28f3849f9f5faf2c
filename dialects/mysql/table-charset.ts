/**
 * A MySQL / MariaDB table's own character set and collation, in the model's
 * normal form (pure, from documented catalog rows): the character set only
 * when it is not utf8mb4 (what the variant's `DEFAULT CHARSET=utf8mb4`
 * makes), the collation only when it is not the one the server gives that
 * character set by default (for utf8mb4: `COLLATION(CONVERT('' USING
 * utf8mb4))`, which follows MySQL 8's default_collation_for_utf8mb4 and
 * MariaDB's character_set_collations; for any other: the catalog's
 * IS_DEFAULT).
 *
 * The schema documents state no character set: run by hand on a server
 * whose default is latin1 they make latin1 tables, as the document says. So
 * when every table (dbkit's own aside) has the database's default collation
 * and that is not the variant's, nothing is compared: the tables were made
 * without naming one. A table converted on its own (`ALTER TABLE users
 * CONVERT TO CHARACTER SET latin1` in a database dbkit migrated) stands out
 * from the others and is drift.
 */
import { DEFAULT_TABLE_CHARSET } from '../../src/schema/model.js';
import type { TableRow } from './catalog-rows.js';
import { text, textOrNull } from './catalog-values.js';

export interface TableCharsetOf {
  charset?: string;
  collation?: string;
}

/** The character set of a collation by its name, where the catalog did not say: up to the first `_`. */
const charsetOf = (collation: string): string => collation.split('_')[0]!.toLowerCase();

function normalForm(row: TableRow): TableCharsetOf {
  const collation = textOrNull(row.TABLE_COLLATION)!.toLowerCase();
  const charset = (textOrNull(row.TABLE_CHARSET ?? null) ?? charsetOf(collation)).toLowerCase();
  const serverDefault = charset === DEFAULT_TABLE_CHARSET ? textOrNull(row.UTF8MB4_COLLATION ?? null)?.toLowerCase() : undefined;
  const catalogDefault = textOrNull(row.COLLATION_IS_DEFAULT ?? null);
  // What the rows do not tell (older fixtures) is not compared.
  const isDefault = serverDefault !== undefined ? collation === serverDefault : catalogDefault === null || catalogDefault.toLowerCase() === 'yes';
  return { ...(charset !== DEFAULT_TABLE_CHARSET ? { charset } : {}), ...(isDefault ? {} : { collation }) };
}

/** Each table's character set and collation where they are not the variant's, by table name (`tables`: dbkit's own left out). */
export function tableCharsets(rows: TableRow[], isBookkeeping: (table: string) => boolean): Map<string, TableCharsetOf> {
  const known = rows.filter((r) => !isBookkeeping(text(r.TABLE_NAME)) && textOrNull(r.TABLE_COLLATION ?? null) !== null);
  const out = new Map<string, TableCharsetOf>();
  // The document's SQL as written: every table in the database's default, which is not the variant's.
  const asWritten = known.length > 0 && known.every((r) => {
    const schema = textOrNull(r.SCHEMA_COLLATION ?? null);
    return schema !== null && schema.toLowerCase() === text(r.TABLE_COLLATION ?? null).toLowerCase();
  });
  if (asWritten) return out;
  for (const r of known) {
    const form = normalForm(r);
    if (form.charset || form.collation) out.set(text(r.TABLE_NAME), form);
  }
  return out;
}
