/**
 * The planner's SQL on real engines: for every evolution of
 * test/support/evolutions.ts, on PostgreSQL, MariaDB and PGlite, a database
 * built as the base definition takes the up statements (one session, in
 * order, as the migration runtime runs them; MariaDB checks every ALGORITHM
 * clause) and then matches the changed definition; the down statements
 * bring it back to the base.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { diff } from '../../src/diff/differ.js';
import { inverseRenames, type DialectPlan } from '../../src/plan/plan.js';
import { variantSteps } from '../../src/schema/ddl.js';
import type { DbSchema, Dialect } from '../../src/schema/model.js';
import { normal } from '../support/normal.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { knexSql, numbered } from '../../src/db/sql.js';
import { knexFor } from '../support/catalog.js';
import { freshMysql, freshPostgres, openAdmin, type AdminConnection, type Row } from '../support/databases.js';
import { EVOLUTIONS, evolve } from '../support/evolutions.js';
import { planChange } from '../support/planners.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

type Engine = 'postgres' | 'mysql' | 'pglite';
const dialectOf = (e: Engine): Dialect => (e === 'mysql' ? 'mysql' : 'postgres');

/** One in-memory PGlite for every PGlite case (starting one takes seconds); each case gets an empty `public`. */
let pglite: Promise<import('@electric-sql/pglite').PGlite> | null = null;
async function pgliteConnection(): Promise<AdminConnection> {
  pglite ??= import('@electric-sql/pglite').then(({ PGlite }) => PGlite.create());
  const db = await pglite;
  await db.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public; SET search_path TO public');
  return { query: async <T extends Row>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows, close: async () => undefined };
}
afterAll(async () => {
  if (pglite) await (await pglite).close();
});

async function connect(engine: Engine): Promise<{ url: string; db: AdminConnection }> {
  if (engine === 'pglite') return { url: 'pglite:memory', db: await pgliteConnection() };
  const target = await (engine === 'postgres' ? freshPostgres('plan') : freshMysql('plan'));
  cleanups.push(target.drop);
  return { url: target.url, db: await openAdmin(target.url) };
}

async function run(db: AdminConnection, plan: DialectPlan): Promise<void> {
  for (const s of plan.statements) {
    try {
      await db.query(s.sql);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nin: ${s.sql}`);
    }
  }
}

/** The live schema through dbkit's own introspection (PGlite through its admin connection). */
async function live(engine: Engine, url: string, db: AdminConnection): Promise<DbSchema> {
  if (engine === 'pglite') {
    const sql = { query: <T>(text: string, params: readonly unknown[] = []) => db.query(numbered(text), [...params]) as Promise<T[]> };
    return normal(await dialects.postgres.introspect(sql, 'public'));
  }
  const k = knexFor(dialectOf(engine), url);
  try {
    const ns = engine === 'postgres' ? 'public' : ((await k.raw('SELECT DATABASE() AS db'))[0] as { db: string }[])[0]!.db;
    return normal(await dialects[dialectOf(engine)].introspect(knexSql(k, dialectOf(engine)), ns));
  } finally {
    await k.destroy();
  }
}

const cases = EVOLUTIONS.flatMap((e) => (['postgres', 'mysql', 'pglite'] as const).map((engine) => [e.name, engine, e] as const));

describe.each(cases)('%s on %s', (_name, engine, e) => {
  it('up, then down, each leaves the schema its target', async () => {
    const dialect = dialectOf(engine);
    const bundle = dialects[dialect];
    const before = resolveSchema(e.base, bundle.rules);
    const after = resolveSchema(evolve(e.base, e.change), bundle.rules);
    const { url, db } = await connect(engine);
    try {
      for (const step of variantSteps(before, bundle.ddl)) for (const sql of step.up) await db.query(sql);
      const up = planChange(before, after, { renames: e.renames, purpose: 'migration' });
      await run(db, up);
      expect(diff(await live(engine, url, db), normal(after))).toEqual([]);
      const down = planChange(after, before, { renames: e.renames && inverseRenames(e.renames), purpose: 'migration' });
      await run(db, down);
      expect(diff(await live(engine, url, db), normal(before))).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
