/**
 * Acceptance 2 of the foundation: the native variant of each schema is the
 * document. One database is built by running the document's SQL by hand
 * through the real client, one by `dbkit migrate`; their catalogs must agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dbkit } from '../support/cli.js';
import { freshMysql, freshPostgres, runMysqlClient, runPsql } from '../support/databases.js';
import { introspected, knexFor } from '../support/catalog.js';

const fixtures = path.resolve(__dirname, '../fixtures');
const docSql = (name: string) => fs.readFileSync(path.join(fixtures, `${name}.doc.sql`), 'utf8');

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

const PG_CATALOG = {
  columns: `SELECT table_name, column_name, ordinal_position, data_type, udt_name, character_maximum_length,
                   is_nullable, column_default, col_description((quote_ident(table_schema) || '.' || quote_ident(table_name))::regclass, ordinal_position) AS comment
              FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE 'dbkit\\_%' ORDER BY 1, 3`,
  indexes: `SELECT tablename, indexname, indexdef FROM pg_indexes
             WHERE schemaname = 'public' AND tablename NOT LIKE 'dbkit\\_%' ORDER BY 1, 2`,
  constraints: `SELECT conrelid::regclass::text AS tbl, conname, contype, pg_get_constraintdef(oid) AS def
                  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
                   AND conrelid::regclass::text NOT LIKE 'dbkit\\_%' ORDER BY 1, 2`,
  tables: `SELECT c.relname, obj_description(c.oid, 'pg_class') AS comment FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname NOT LIKE 'dbkit\\_%' ORDER BY 1`,
};

const MYSQL_CATALOG = {
  columns: `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,
                   COLUMN_COMMENT, COLUMN_KEY FROM information_schema.COLUMNS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'dbkit\\_%' ORDER BY 1, 3`,
  indexes: `SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'dbkit\\_%' ORDER BY 1, 2, 3`,
  foreignKeys: `SELECT r.TABLE_NAME, r.CONSTRAINT_NAME, r.REFERENCED_TABLE_NAME, r.UPDATE_RULE, r.DELETE_RULE,
                       k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME
                  FROM information_schema.REFERENTIAL_CONSTRAINTS r
                  JOIN information_schema.KEY_COLUMN_USAGE k
                    ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME AND k.TABLE_NAME = r.TABLE_NAME
                 WHERE r.CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1, 2, k.ORDINAL_POSITION`,
  tables: `SELECT TABLE_NAME, TABLE_COMMENT, ENGINE FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'dbkit\\_%' ORDER BY 1`,
};

async function catalog(engine: 'postgres' | 'mysql', url: string): Promise<Record<string, unknown[]>> {
  const k = knexFor(engine, url);
  try {
    const out: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(engine === 'postgres' ? PG_CATALOG : MYSQL_CATALOG)) {
      const r = await k.raw(sql);
      out[name] = engine === 'postgres' ? r.rows : r[0];
    }
    return out;
  } finally {
    await k.destroy();
  }
}

describe.each([
  ['agents', 'postgres'],
  ['chat', 'mysql'],
] as const)('%s document on %s', (schema, engine) => {
  it('dbkit migrate builds the same catalog as the document run by hand', async () => {
    const byHand = engine === 'postgres' ? await freshPostgres('doc') : await freshMysql('doc');
    const migrated = engine === 'postgres' ? await freshPostgres('mig') : await freshMysql('mig');
    cleanups.push(byHand.drop, migrated.drop);

    await (engine === 'postgres' ? runPsql : runMysqlClient)(byHand.url, docSql(schema));
    const r = await dbkit(['migrate', '--url', migrated.url, '--schema', schema]);
    expect(r.code, r.stderr).toBe(0);

    const [hand, mig] = await Promise.all([catalog(engine, byHand.url), catalog(engine, migrated.url)]);
    expect(hand.columns!.length).toBeGreaterThan(30);
    expect(mig).toEqual(hand);
    // The same through dbkit's own introspection, constraint names included.
    expect(await introspected(engine, migrated.url)).toEqual(await introspected(engine, byHand.url));
  }, 120_000);
});

describe('fixtures', () => {
  it('are the SQL blocks of the documents, when the documents are at hand', () => {
    const docs = path.resolve(__dirname, '../../../shared/schema-docs');
    if (!fs.existsSync(docs)) return; // a clone without shared/ beside it: nothing to compare against
    const blocks = (file: string) =>
      [...fs.readFileSync(path.join(docs, file), 'utf8').matchAll(/```sql\n([\s\S]*?)```/g)]
        .map((m) => m[1]!.trimEnd() + '\n')
        .join('\n');
    expect(docSql('agents')).toBe(blocks('000_f30492a7c44bdc9e.txt'));
    expect(docSql('chat')).toBe(blocks('003_415f29d6d8534f6b.txt'));
  });
});
