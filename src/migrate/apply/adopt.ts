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
import { DbkitError, ExitCode, UsageError } from '../../shared/errors.js';
import type { Connection, Session } from '../../db/connect.js';
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import { diff } from '../../diff/differ.js';
import { foldOperations } from '../../plan/fold.js';
import type { DbSchema } from '../../schema/model.js';
import { normalize, type DialectNormalizer } from '../../schema/normalize.js';
import { recordApplied } from './bookkeeping.js';
import { existingNames } from './catalog.js';
import type { HeldLock } from '../../port/lock.js';
import { decide, footprint } from './recovery.js';
import type { Sql } from '../../db/sql.js';
import { MIGRATION_TABLE, type LoadedMigration } from '../folder/source.js';
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
export function adoptionGaps(m: LoadedMigration, before: DbSchema, live: DbSchema, liveNames: ReadonlySet<string>, n: DialectNormalizer): string[] {
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
    for (const c of diff(normalize(footprint(live, o), n), normalize(footprint(after, o), n))) if (!gaps.includes(c.message)) gaps.push(c.message);
  }
  return gaps;
}

/**
 * What --adopt does with one migration, from the live catalog: its effect is
 * all there (recorded, not run); the catalog shows the model before it for
 * every part it touches, so its effect is absent (run as usual: a pipeline
 * keeps the flag on databases that never had the other branch); anything
 * else is refused with what differs.
 */
export type AdoptVerdict = { kind: 'adopt' } | { kind: 'run' } | { kind: 'refuse'; gaps: string[] };

export function adoptVerdict(m: LoadedMigration, before: DbSchema, live: DbSchema, liveNames: ReadonlySet<string>, n: DialectNormalizer): AdoptVerdict {
  const gaps = adoptionGaps(m, before, live, liveNames, n);
  if (!gaps.length) return { kind: 'adopt' };
  return decide(before, m.meta.up.operations, live, n).kind === 'run' ? { kind: 'run' } : { kind: 'refuse', gaps };
}

/** The refusal of migrations whose effect is neither in the database nor absent (exit 1). */
export function adoptRefusal(namespace: string, failing: readonly { m: LoadedMigration; gaps: string[] }[]): AdoptError {
  const what = failing.map(({ m, gaps }) => `${m.name}: ${gaps.slice(0, 3).join('; ')}${gaps.length > 3 ? ` (and ${gaps.length - 3} more)` : ''}`).join('. ');
  return new AdoptError(
    `cannot adopt: the effect of the migration is not in ${namespace} as it makes it, nor absent (checked against the catalog): ${what}; nothing was recorded. ` +
      `Compare with dbkit diff, and fix the object by hand, or run the migration instead (dbkit migrate without --adopt)`,
  );
}

/** The migrations to adopt, sorted by what the catalog shows. */
export interface Adoption {
  /** Their effect is in the database: recorded as applied, not run. */
  adopt: string[];
  /** Their effect is absent: run as usual. */
  run: string[];
  /** Migrations before them are pending in this run: decided when their turn comes (atTurn). */
  atTurn: string[];
}

/**
 * Check each migration to adopt against the live catalog; throws (nothing
 * recorded) when one is hand-written, or its effect is neither there nor
 * absent and no pending migration before it could still change that.
 * `pendingBefore(name)`: pending migrations of this run that sort before it.
 */
export async function verifyAdoptable(
  conn: Session,
  migrations: readonly LoadedMigration[],
  names: readonly string[],
  modelBefore: (name: string) => DbSchema,
  pendingBefore: (name: string) => string[] = () => [],
): Promise<Adoption> {
  const out: Adoption = { adopt: [], run: [], atTurn: [] };
  if (!names.length) return out;
  const picked = names.map((n) => migrations.find((m) => m.name === n)!);
  const blind = picked.filter((m) => !m.meta.up.operations.length);
  if (blind.length) {
    throw new UsageError(
      `cannot adopt ${blind.map((m) => m.name).join(', ')}: hand-written, no operations dbkit can check against the catalog, and a migration is never recorded unchecked; ` +
        `nothing was recorded. Run it (dbkit migrate) or remove it from the folder`,
    );
  }
  const dialect = dialects[conn.config.dialect];
  const live = await dialect.introspect(conn.sql, conn.namespace);
  const liveNames = await existingNames(conn);
  const failing: { m: LoadedMigration; gaps: string[] }[] = [];
  for (const m of picked) {
    const v = adoptVerdict(m, modelBefore(m.name), live, liveNames, dialect.normalizer);
    if (v.kind === 'refuse') {
      // The pending migrations before it have not run yet: the catalog cannot show the model before it now.
      if (pendingBefore(m.name).length) out.atTurn.push(m.name);
      else failing.push({ m, gaps: v.gaps });
    } else out[v.kind].push(m.name);
  }
  if (failing.length) throw adoptRefusal(conn.namespace, failing);
  return out;
}

/** At its turn (the migrations before it applied), what --adopt does with `m`: read on the migration's own connection (`sql`). Throws AdoptError when refused. */
export async function adoptAtTurn(session: Session, sql: Sql, m: LoadedMigration, before: DbSchema): Promise<'adopt' | 'run'> {
  const here: Session = { ...session, sql, namespaceExists: true };
  const dialect = dialects[session.config.dialect];
  const live = await dialect.introspect(sql, session.namespace);
  const v = adoptVerdict(m, before, live, await existingNames(here), dialect.normalizer);
  if (v.kind === 'refuse') throw adoptRefusal(session.namespace, [{ m, gaps: v.gaps }]);
  return v.kind;
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
    const dialect = dialects[conn.config.dialect];
    const live = await dialect.introspect(conn.sql, conn.namespace);
    const liveNames = await existingNames(conn);
    const there = pending.filter((m) => !adoptionGaps(m, modelBefore(m.name), live, liveNames, dialect.normalizer).length).map((m) => m.name);
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
