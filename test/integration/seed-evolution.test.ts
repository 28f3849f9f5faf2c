/**
 * Seeds follow the schema, on real engines (issue 12): a database built
 * from a changed copy of the agents definition (new columns, a dropped
 * one, new tables) is seeded through the seeder itself with the layout of
 * that definition. Every loaded row goes in (COPY / LOAD DATA accept the
 * filled values: enum labels, JSON, arrays, lengths), the counts match the
 * outcome, references hold, and a run that then fails takes back exactly
 * its own rows, the generic ones and the rows no user owns included.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openSession, type Session } from '../../src/db/connect.js';
import { SQL_DIALECTS as dialects } from '../../src/engines/index.js';
import { variantSteps } from '../../src/schema/ddl.js';
import type { SchemaDef } from '../../src/schema/definition.js';
import type { Dialect } from '../../src/schema/model.js';
import { resolveSchema } from '../../src/schema/resolve.js';
import { seedLayout } from '../../src/seed/layout.js';
import { loadConnections, seedDatabase, type SeedMode } from '../../src/seed/seed.js';
import { changedAgents } from '../support/changed-schema.js';
import { freshMysql, freshPostgres, openAdmin, tableCounts, type FreshDatabase } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

async function build(fresh: (p: string) => Promise<FreshDatabase>, dialect: Dialect, def: SchemaDef): Promise<FreshDatabase> {
  const db = await fresh('seed_evolved');
  cleanups.push(db.drop);
  const admin = await openAdmin(db.url);
  try {
    for (const step of variantSteps(resolveSchema(def, dialects[dialect].rules), dialects[dialect].ddl)) for (const sql of step.up) await admin.query(sql);
  } finally {
    await admin.close();
  }
  return db;
}

async function seed(url: string, dialect: Dialect, def: SchemaDef, mode: SeedMode, users: number) {
  const config = await loadConfig({ url, schema: 'agents' });
  const layout = seedLayout('agents', dialect, def);
  const session: Session = await openSession(config);
  try {
    return await seedDatabase(session, {
      schema: 'agents',
      dialect,
      users,
      seed: 21,
      mode,
      layout,
      connections: loadConnections(config.target.engine, layout),
      openSession: () => openSession(config),
      confirmTruncate: async () => undefined,
      debug: () => undefined,
    });
  } finally {
    await session.close();
  }
}

const TABLES = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery', 'api_keys', 'labels', 'run_labels', 'feedback', 'audit_log'];

describe.each([
  ['PostgreSQL', freshPostgres, 'postgres'],
  ['MariaDB', freshMysql, 'mysql'],
] as const)('%s: seeding a schema the generator was not written for', (_name, fresh, dialect) => {
  it('loads every table it lays out, fills the new columns, skips the table it cannot fill, and a failed --append takes back exactly its rows', async () => {
    const def = changedAgents();
    const db = await build(fresh, dialect, def);
    const outcome = await seed(db.url, dialect, def, 'fresh', 15);
    expect(outcome.skipped).toEqual([{ table: 'audit_log', reason: expect.stringContaining('single id column') }]);
    const after = await tableCounts(db.url, TABLES);
    expect(after).toEqual({ ...outcome.tables, audit_log: 0 });
    expect(after.users).toBe(15);
    expect(after.labels).toBe(5);
    for (const t of ['api_keys', 'run_labels', 'feedback']) expect(after[t], t).toBeGreaterThan(0);

    const admin = await openAdmin(db.url);
    try {
      const q = async (sql: string) => Number((await admin.query<{ n: unknown }>(sql))[0]!.n);
      expect(await q(`SELECT count(DISTINCT handle) AS n FROM users`)).toBe(15);
      expect(await q(`SELECT count(*) AS n FROM users WHERE plan IS NULL OR handle IS NULL`)).toBe(0);
      expect(await q(`SELECT count(*) AS n FROM messages m JOIN runs r ON r.id = m.run_id JOIN sessions s ON s.id = m.session_id WHERE s.user_id <> r.user_id`)).toBe(0);
    } finally {
      await admin.close();
    }

    // A constraint user 33 (the 18th new one, in the second chunk) breaks: the --append run fails, on PostgreSQL
    // usually after committing its first chunk (users, generic rows, new labels), on MariaDB before committing
    // (LOAD DATA); either way the database holds what it held before.
    const admin2 = await openAdmin(db.url);
    await admin2.query(`ALTER TABLE users ADD CONSTRAINT no_33 CHECK (username NOT LIKE '%33')`);
    await admin2.close();
    const failed = await seed(db.url, dialect, def, 'append', 30).catch((e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/; (the rows it had written were deleted|nothing was written)$/);
    expect(await tableCounts(db.url, TABLES)).toEqual(after);
  }, 180_000);
});
