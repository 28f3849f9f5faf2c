/**
 * dbkit's bookkeeping tables on PostgreSQL (and PGlite): their shapes as the
 * catalog spells them (format_type), the catalog query that reads whatever
 * holds their names, and the marker comment (src/port/bookkeeping.ts).
 */
import type { TableShape } from '../../src/port/bookkeeping.js';
import { ident, literal } from './quote.js';

/** Knex's two tables (as Knex creates them) and dbkit_checksums (progress columns added by dbkit after 0.1.0). */
export const BOOKKEEPING_SHAPES: Record<string, TableShape> = {
  dbkit_migrations: {
    columns: { id: 'integer', name: 'character varying(255)', batch: 'integer', migration_time: 'timestamp with time zone' },
  },
  dbkit_migrations_lock: { columns: { index: 'integer', is_locked: 'integer' } },
  dbkit_checksums: {
    columns: {
      name: 'character varying(255)',
      checksum: 'character varying(64)',
      step: 'integer',
      direction: 'character varying(4)',
      owner: 'character varying(255)',
      batch: 'integer',
      applied_as: 'character varying(16)',
    },
    // applied_as: added only by a run that applies a migration out of order or adopts one (src/migrate/apply/bookkeeping.ts).
    optional: ['step', 'direction', 'owner', 'batch', 'applied_as'],
  },
};

const KINDS: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
  c: 'composite type',
  t: 'TOAST table',
};

export const kindOf = (relkind: string): string => KINDS[relkind] ?? `relation of kind '${relkind}'`;

/** Every relation named like a bookkeeping table in the namespace, one row per column. */
export const bookkeepingObjectsSql = (count: number): string => `SELECT c.relname AS name, c.relkind::text AS kind,
  obj_description(c.oid, 'pg_class') AS comment, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = ? AND c.relname IN (${Array.from({ length: count }, () => '?').join(', ')})
ORDER BY c.relname, a.attnum`;

/** The marker on a bookkeeping table. */
export const markSql = (namespace: string, table: string, marker: string): string =>
  `COMMENT ON TABLE ${ident(namespace)}.${ident(table)} IS ${literal(marker)}`;
