/** Read live catalogs in tests: dbkit's introspection, and what is left in a namespace. */
import knexFactory, { type Knex } from 'knex';
import { knexSql } from '../../src/db/sql.js';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { normal } from './normal.js';
import type { Dialect } from '../../src/schema/model.js';

export function knexFor(engine: Dialect, url: string): Knex {
  return knexFactory(
    engine === 'postgres'
      ? { client: 'pg', connection: url, pool: { min: 0, max: 1 } }
      : { client: 'mysql2', connection: url, pool: { min: 0, max: 1 } },
  );
}

/** Everything in the namespace that is not dbkit bookkeeping: tables, enum types, functions, triggers. */
export async function leftovers(engine: Dialect, url: string): Promise<string[]> {
  const k = knexFor(engine, url);
  try {
    if (engine === 'postgres') {
      const r = await k.raw(`
        SELECT 'table ' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m','S') AND c.relname NOT LIKE 'dbkit\\_%'
        UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype = 'e'
        UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public'
        UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal`);
      return (r.rows as { o: string }[]).map((x) => x.o).sort();
    }
    const [rows] = await k.raw(
      `SELECT CONCAT('table ', TABLE_NAME) AS o FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'dbkit\\_%'
       UNION ALL SELECT CONCAT('routine ', ROUTINE_NAME) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
       UNION ALL SELECT CONCAT('trigger ', TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`,
    );
    return (rows as { o: string }[]).map((x) => x.o).sort();
  } finally {
    await k.destroy();
  }
}

export async function introspected(engine: Dialect, url: string) {
  const k = knexFor(engine, url);
  try {
    const ns =
      engine === 'postgres' ? 'public' : ((await k.raw('SELECT DATABASE() AS db'))[0] as { db: string }[])[0]!.db;
    return normal(await dialects[engine].introspect(knexSql(k, engine), ns));
  } finally {
    await k.destroy();
  }
}
