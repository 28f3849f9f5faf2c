/**
 * `migrate --adopt NAME`: record a pending migration as applied without
 * running it, because its effect is already in the database (two branches
 * made the same change: one branch's migration was applied here, then its
 * folder was deleted and the change made again on top of the other's).
 *
 * Never trusted blind: the migration's operations are folded over the model
 * before it (the folder's migrations before it), and the part of the schema
 * each operation touches (recovery.ts footprint) must be in the live catalog
 * exactly as the fold makes it. Otherwise nothing is recorded and the
 * differences are named. A hand-written migration has no operations to
 * check, so it cannot be adopted.
 */
import type { Knex } from 'knex';
import { DbkitError, ExitCode, UsageError } from '../cli/errors.js';
import type { Connection, Session } from '../db/connect.js';
import { dialects } from '../dialects.js';
import { diff } from '../diff/differ.js';
import { foldOperations } from '../plan/fold.js';
import type { DbSchema } from '../schema/model.js';
import { normalize } from '../schema/normalize.js';
import { recordApplied } from './bookkeeping.js';
import { existingNames } from './catalog.js';
import type { HeldLock } from './held-lock.js';
import { footprint } from './recovery.js';
import { MIGRATION_TABLE, type LoadedMigration } from './source.js';
import { qualifier, type MigrationEntry } from './state.js';

/** A migration to adopt whose effect is not (all) in the database. Exit 1 (a check found something). */
export class AdoptError extends DbkitError {
  constructor(message: string) {
    super(message, ExitCode.found);
  }
}

/**
 * The pending migrations the --adopt names pick (a full name or a unique part
 * of one). A name of an applied migration picks nothing (adopted by an
 * earlier run: a pipeline may keep the flag); one that matches no migration,
 * or several, is a usage error.
 */
export function pickAdopted(entries: readonly MigrationEntry[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (!n.trim()) throw new UsageError('--adopt needs a migration name');
    const exact = entries.filter((e) => e.name === n);
    const hits = exact.length ? exact : entries.filter((e) => e.name.includes(n));
    if (hits.length !== 1) throw new UsageError(`--adopt ${n}: ${hits.length ? `matches several migrations: ${hits.map((h) => h.name).join(', ')}` : 'no such migration'}`);
    const e = hits[0]!;
    if (e.state === 'pending' && !out.includes(e.name)) out.push(e.name);
  }
  return out;
}

/** What of a migration's effect the live schema lacks or has otherwise (empty: all of it is there). */
export function adoptionGaps(m: LoadedMigration, before: DbSchema, live: DbSchema, liveNames: ReadonlySet<string>): string[] {
  const ops = m.meta.up.operations;
  let after: DbSchema;
  try {
    after = foldOperations(before, ops);
  } catch (err) {
    return [`its operations do not apply to the model before it (${(err as Error).message})`];
  }
  const gaps: string[] = [];
  for (const o of ops) {
    if (o.op === 'create_function' || o.op === 'drop_function') {
      // Not in the model: by name in the catalog.
      const there = liveNames.has(`function:${o.name}`);
      if (there !== (o.op === 'create_function')) gaps.push(`function ${o.name}() is ${there ? 'there' : 'missing'}`);
      continue;
    }
    for (const c of diff(normalize(footprint(live, o)), normalize(footprint(after, o)))) if (!gaps.includes(c.message)) gaps.push(c.message);
  }
  return gaps;
}

/**
 * Check each migration to adopt against the live catalog; throws (nothing
 * recorded) when one is hand-written or its effect is not in the database.
 */
export async function verifyAdoptable(conn: Session, migrations: readonly LoadedMigration[], names: readonly string[], modelBefore: (name: string) => DbSchema): Promise<void> {
  if (!names.length) return;
  const picked = names.map((n) => migrations.find((m) => m.name === n)!);
  const blind = picked.filter((m) => !m.meta.up.operations.length);
  if (blind.length) {
    throw new UsageError(
      `cannot adopt ${blind.map((m) => m.name).join(', ')}: hand-written, no operations dbkit can check against the catalog, and a migration is never recorded unchecked; ` +
        `nothing was recorded. Run it (dbkit migrate) or remove it from the folder`,
    );
  }
  const live = await dialects[conn.config.dialect].introspect(conn.sql, conn.namespace);
  const liveNames = await existingNames(conn);
  const failing = picked.map((m) => ({ m, gaps: adoptionGaps(m, modelBefore(m.name), live, liveNames) })).filter((x) => x.gaps.length);
  if (!failing.length) return;
  const what = failing.map(({ m, gaps }) => `${m.name}: ${gaps.slice(0, 3).join('; ')}${gaps.length > 3 ? ` (and ${gaps.length - 3} more)` : ''}`).join('. ');
  throw new AdoptError(
    `cannot adopt: the effect of the migration is not in ${conn.namespace} as it makes it (checked against the catalog): ${what}; nothing was recorded. ` +
      `Run it instead (dbkit migrate without --adopt), or compare with dbkit diff`,
  );
}

/** Record the adopted migrations as applied in `batch` (Knex's row and the checksum row), under the lock's fence. */
export async function recordAdopted(conn: Connection, lock: HeldLock, migrations: readonly LoadedMigration[], names: readonly string[], batch: number): Promise<void> {
  if (!names.length) return;
  const table = qualifier(conn)(MIGRATION_TABLE);
  await conn.knex.transaction(async (trx: Knex.Transaction) => {
    for (const name of names) {
      const m = migrations.find((x) => x.name === name)!;
      await recordApplied(trx, conn, m, batch, lock, 'adopted');
      await trx(table).insert({ name, batch, migration_time: new Date() });
    }
  });
}

/**
 * A refusal of applied migrations whose folder is gone (drift.ts), told the
 * way out when it is the two-branches case: a pending migration whose effect
 * the catalog already shows. Other errors, and refusals without such a
 * migration, come back as they were.
 */
export async function adoptHint(err: unknown, conn: Session, state: { migrations: LoadedMigration[]; entries: MigrationEntry[] }, modelBefore: (name: string) => DbSchema): Promise<unknown> {
  const missing = state.entries.filter((e) => e.state === 'missing').map((e) => e.name);
  const pending = state.migrations.filter((m) => m.meta.up.operations.length && state.entries.some((e) => e.name === m.name && e.state === 'pending'));
  if (!(err instanceof DbkitError) || !missing.length || !pending.length) return err;
  try {
    const live = await dialects[conn.config.dialect].introspect(conn.sql, conn.namespace);
    const liveNames = await existingNames(conn);
    const there = pending.filter((m) => !adoptionGaps(m, modelBefore(m.name), live, liveNames).length).map((m) => m.name);
    if (!there.length) return err;
    const flags = [...missing.map((n) => `--accept-changed ${n}`), ...there.map((n) => `--adopt ${n}`)].join(' ');
    err.message +=
      `. The effect of pending ${there.join(', ')} is already in the database (checked against the catalog): if ${there.length > 1 ? 'they remake' : 'it remakes'} what ${missing.join(', ')} did ` +
      `(two branches merged, docs/recovery.md), run dbkit migrate ${flags}`;
  } catch {
    // The hint is a courtesy: the refusal stands as it is.
  }
  return err;
}
