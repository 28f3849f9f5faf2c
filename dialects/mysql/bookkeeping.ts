/**
 * dbkit's bookkeeping tables on MySQL/MariaDB: their shapes as
 * information_schema.COLUMNS spells them (integer display widths dropped:
 * MariaDB says int(11), MySQL 8 says int), the catalog query that reads
 * whatever holds their names, and the marker comment
 * (src/port/bookkeeping.ts). dbkit_lease is the migration lock on Galera (lease.ts).
 */
import type { TableShape } from '../../src/port/bookkeeping.js';
import { LEASE_TABLE } from './lease.js';
import { ident, literal } from './quote.js';

export const BOOKKEEPING_SHAPES: Record<string, TableShape> = {
  dbkit_migrations: { columns: { id: 'int unsigned', name: 'varchar(255)', batch: 'int', migration_time: 'timestamp' } },
  dbkit_migrations_lock: { columns: { index: 'int unsigned', is_locked: 'int' } },
  dbkit_checksums: {
    columns: { name: 'varchar(255)', checksum: 'varchar(64)', step: 'int', direction: 'varchar(4)', owner: 'varchar(255)', batch: 'int', applied_as: 'varchar(16)' },
    // applied_as: added only by a run that applies a migration out of order or adopts one (src/migrate/apply/bookkeeping.ts).
    optional: ['step', 'direction', 'owner', 'batch', 'applied_as'],
  },
  [LEASE_TABLE]: {
    columns: {
      name: 'varchar(64)',
      owner: 'varchar(255)',
      host: 'varchar(255)',
      pid: 'int unsigned',
      node: 'varchar(64)',
      acquired_at: 'datetime(6)',
      expires_at: 'datetime(6)',
    },
  },
};

/** `int(11)` -> `int`, `int(10) unsigned` -> `int unsigned` (MySQL 8 shows no display width). */
export const columnType = (type: string): string => type.toLowerCase().replace(/^(tinyint|smallint|mediumint|int|bigint)\(\d+\)/, '$1');

const KINDS: Record<string, string> = {
  'BASE TABLE': 'table',
  VIEW: 'view',
  'SYSTEM VIEW': 'view',
  'SYSTEM VERSIONED': 'system-versioned table',
  SEQUENCE: 'sequence',
  TEMPORARY: 'temporary table',
};

export const kindOf = (tableType: string): string => KINDS[tableType] ?? tableType.toLowerCase();

/**
 * Every table or view named like a bookkeeping table in the database: its
 * own row (kind, comment), then one row per column. Two lookups of constant
 * names, not a join: MariaDB answers each from the named tables alone (a
 * join of TABLES and COLUMNS opened every table of the schema: 14 ms against
 * 1 ms on a migrated database). Bound values: the database and the names, twice.
 */
export const bookkeepingObjectsSql = (count: number): string => {
  const names = Array.from({ length: count }, () => '?').join(', ');
  return `SELECT t.TABLE_NAME AS name, t.TABLE_TYPE AS kind, t.TABLE_COMMENT AS comment, NULL AS col, NULL AS type, 0 AS pos
  FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = ? AND t.TABLE_NAME IN (${names})
UNION ALL
SELECT c.TABLE_NAME, NULL, NULL, c.COLUMN_NAME, c.COLUMN_TYPE, c.ORDINAL_POSITION
  FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME IN (${names})
ORDER BY name, pos`;
};

/** The marker on a bookkeeping table (a change of metadata only). */
export const markSql = (database: string, table: string, marker: string): string =>
  `ALTER TABLE ${ident(database)}.${ident(table)} COMMENT = ${literal(marker)}`;
