/**
 * No wait without a bound in `seed`, for the two steps a test of the binary
 * cannot hold a lock in front of on cue: the set-based foreign-key check
 * after the load, and the take-back of a failed run. Run here on real
 * sessions (openSession, as seed opens them) with another session holding a
 * lock: each ends within --lock-timeout, names the table (and on PostgreSQL
 * the holder), and the take-back leaves every row as it was. Before, both
 * waited on PostgreSQL for as long as the lock was held. (The emptiness
 * check, --truncate, the load and a take-back after Ctrl-C through the
 * binary: test/e2e/seed-lock-waits.test.ts.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openSession, type Session } from '../../src/db/connect.js';
import { Ledger } from '../../src/seed/ledger.js';
import { seedLockWaitError } from '../../src/seed/lock-wait.js';
import { seedLayout } from '../../src/seed/layout.js';
import { foreignKeys } from '../../src/seed/seed.js';
import { SeedTarget } from '../../src/seed/target.js';
import { takeBack } from '../../src/seed/undo.js';
import { dbkit } from '../support/cli.js';
import { adminQuery, dumpTables, freshMysql, freshPostgres, openAdmin, type FreshDatabase } from '../support/databases.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const ENGINES = {
  postgres: { fresh: freshPostgres, schema: 'agents', fkLock: 'LOCK TABLE runs IN ACCESS EXCLUSIVE MODE', fkTable: 'runs', backLock: 'LOCK TABLE gallery IN SHARE MODE', backTable: 'gallery' },
  mysql: { fresh: freshMysql, schema: 'chat', fkLock: 'LOCK TABLES conversations WRITE', fkTable: 'conversations', backLock: 'LOCK TABLES users READ', backTable: 'users' },
} as const;

async function seeded(engine: keyof typeof ENGINES): Promise<{ db: FreshDatabase; session: Session; target: SeedTarget; tables: string[] }> {
  const db = await ENGINES[engine].fresh('seed_lockwait');
  cleanups.push(db.drop);
  expect((await dbkit(['migrate', '--url', db.url, '--quiet'])).code).toBe(0);
  expect((await dbkit(['seed', '--url', db.url, '--users', '3', '--seed', '5', '--quiet'])).code).toBe(0);
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dbkit-seed-lockwait-'));
  cleanups.push(async () => fs.rmSync(cwd, { recursive: true, force: true }));
  const config = await loadConfig({ url: db.url, lockTimeout: '1' }, {}, cwd);
  const session = await openSession(config);
  cleanups.push(() => session.close());
  const tables = seedLayout(ENGINES[engine].schema, config.dialect).tables.map((t) => t.name);
  return { db, session, target: new SeedTarget(session.sql, config.dialect, session.namespace, tables, config.lockTimeoutMs), tables };
}

/** Another session holding `lock` while `fn` runs (PostgreSQL: in an open transaction). */
async function holding<T>(engine: keyof typeof ENGINES, url: string, lock: string, fn: () => Promise<T>): Promise<T> {
  if (engine === 'postgres') {
    const holder = new pg.Client({ connectionString: url, application_name: 'lockwait-holder' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(lock);
      return await fn();
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }
  const holder = await mysql.createConnection({ uri: url });
  try {
    await holder.query(lock);
    return await fn();
  } finally {
    await holder.query('UNLOCK TABLES').catch(() => undefined);
    await holder.end();
  }
}

const dump = async (url: string, tables: string[]) => {
  const admin = await openAdmin(url);
  try {
    return await dumpTables(admin, tables);
  } finally {
    await admin.close();
  }
};

describe.each(['postgres', 'mysql'] as const)('%s: another session holds a lock on a table of the schema', (engine) => {
  const e = ENGINES[engine];
  const shown = (t: string) => (engine === 'postgres' ? `public\\.${t}` : t);
  const holder = (t: string, mode: string) => (engine === 'postgres' ? `PostgreSQL session \\d+ \\(lockwait-holder from [^;]*; ${mode} on ${t}\\)` : 'another session');

  it('the foreign-key check after the load ends within --lock-timeout: exit 4 naming the table', async () => {
    const { db, target, tables } = await seeded(engine);
    const keys = foreignKeys(seedLayout(e.schema, engine));
    // As seed does: the error said while the lock is still held (who holds it is asked then).
    const lock = (await holding(engine, db.url, e.fkLock, () =>
      target.brokenForeignKeys(keys).then(
        () => null,
        (err: unknown) => seedLockWaitError(target.place(), err, { tables, need: 'read', doing: 'seeding' }),
      ),
    )) as (Error & { exitCode?: number }) | null;
    expect(lock?.exitCode, String(lock)).toBe(4);
    expect(lock!.message).toMatch(new RegExp(`^gave up after 1s \\(--lock-timeout\\) waiting for a lock on (\\S+, )*${shown(e.fkTable)}(, \\S+)*, held by ${holder(e.fkTable, 'AccessExclusiveLock')}: checking the foreign keys of the rows loaded \\(`));
  }, 120_000);

  it("the take-back ends within --lock-timeout, says which table and whose lock, and every row stays", async () => {
    const { db, target, tables } = await seeded(engine);
    const before = await dump(db.url, tables);
    const ledger = new Ledger();
    ledger.record({ users: (await adminQuery<{ id: string }>(db.url, 'SELECT id FROM users')).map((r) => r.id) });
    let reopened = 0;
    const state = await holding(engine, db.url, e.backLock, () =>
      takeBack(target, { ledger, layout: seedLayout(e.schema, engine), mode: 'fresh', emptied: [], ordinals: { first: 1, last: 3 } }, async () => {
        reopened++;
        throw new Error('not reopened for a lock wait');
      }),
    );
    expect(state).toMatch(
      new RegExp(`^taking back what it had committed failed \\(gave up after 1s \\(--lock-timeout\\) waiting for a lock on ${shown(e.backTable)}, held by ${holder(e.backTable, 'ShareLock')}: taking back the run's rows \\(`),
    );
    expect(state).toMatch(/\): 3 users \(numbered 1 to 3\) and their rows may still be there; dbkit seed --truncate starts over$/);
    expect(reopened).toBe(0);
    expect(await dump(db.url, tables)).toBe(before);
  }, 120_000);
});
