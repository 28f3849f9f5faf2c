/** The names a migration could collide with in one database (src/port/dialect.ts CatalogNames): indexes are named per table here. */
import type { CatalogNames } from '../../src/port/dialect.js';

export const MYSQL_CATALOG_NAMES: CatalogNames = {
  sql: `
SELECT 'relation' AS kind, CAST(NULL AS CHAR) AS parent, table_name AS name FROM information_schema.tables WHERE table_schema = ?
UNION ALL
SELECT DISTINCT 'index', table_name, index_name FROM information_schema.statistics WHERE table_schema = ?
UNION ALL
SELECT 'trigger', NULL, trigger_name FROM information_schema.triggers WHERE trigger_schema = ?
UNION ALL
SELECT 'column', table_name, column_name FROM information_schema.columns WHERE table_schema = ?`,
  params: 4,
};
