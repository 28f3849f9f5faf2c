/** The names a migration could collide with in one schema (src/port/dialect.ts CatalogNames): relations share one name space here. */
import type { CatalogNames } from '../../src/port/dialect.js';

export const POSTGRES_CATALOG_NAMES: CatalogNames = {
  sql: `
SELECT 'relation' AS kind, NULL AS parent, c.relname AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?
UNION ALL
SELECT 'type', NULL, t.typname
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ?
UNION ALL
SELECT 'function', NULL, p.proname
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ? AND p.pronargs = 0
UNION ALL
SELECT 'trigger', c.relname, g.tgname
  FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND NOT g.tgisinternal
UNION ALL
SELECT 'column', c.relname, a.attname
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  params: 5,
};
