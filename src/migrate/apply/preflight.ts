/**
 * The pre-flight of a command, run on its first connection before it reads
 * dbkit's bookkeeping or writes anything:
 * - a command that writes (migrate, rollback, seed) stops on a read-only
 *   server (a hot standby, MySQL read_only) with ReadOnlyError (exit 6);
 * - a missing privilege is one PrivilegeError (exit 7) naming every privilege,
 *   object and the role, instead of "0 applied", "nothing to roll back",
 *   invented pending migrations or a failure half-way.
 * `diff` and `check-indexes` ask readBookkeeping and hiddenTables (inspect.ts)
 * to report from what the role can see and say what it could not read.
 * The embedded PGlite database has one user and is never read-only: no checks.
 */
import { PrivilegeError, ReadOnlyError, type MissingPrivilege } from '../../shared/errors.js';
import { listMigrationFiles, CHECKSUM_TABLE, MIGRATION_TABLE } from '../folder/source.js';
import { readApplied, type AppliedRow } from './state.js';
import { trustBookkeeping } from './trust.js';
import { schemas } from '../../schema/registry.js';
import type { Session } from '../../db/connect.js';
import { engineOf } from '../../engines/index.js';
import type { PrivilegeProbe, TablePrivilege } from '../../port/privileges.js';

/** What a command is about to do, and so what it needs. */
export type Check =
  /** status, migrate --dry-run, rollback --dry-run: read which migrations are applied. */
  | 'read-migrations'
  /** migrate: a writable server; dbkit's bookkeeping readable and writable (or creatable); CREATE for pending migrations. */
  | 'migrate'
  /** rollback: a writable server; the bookkeeping readable and writable; the right to drop the schema's tables. */
  | 'rollback'
  /** seed: a writable server; SELECT, INSERT and DELETE on the schema's tables. */
  | 'seed'
  /** seed --truncate: the same, and emptying the tables. */
  | 'seed-truncate'
  /** unlock: a writable server; the lock table readable and writable when it exists. */
  | 'unlock';

const LOCK_TABLE = `${MIGRATION_TABLE}_lock`;
const BOOKKEEPING = [MIGRATION_TABLE, LOCK_TABLE, CHECKSUM_TABLE];
const READ_BOOKKEEPING = [MIGRATION_TABLE, CHECKSUM_TABLE];
const READ_WRITE: TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

const VERB: Record<Exclude<Check, 'read-migrations'>, string> = {
  migrate: 'migrate',
  rollback: 'rollback',
  seed: 'seed',
  'seed-truncate': 'seed',
  unlock: 'unlock',
};

const probes = new WeakMap<Session, Promise<PrivilegeProbe | null>>();

/** The dialect's probe on this session (asked once per session); null for PGlite. */
export function privilegeProbe(session: Session): Promise<PrivilegeProbe | null> {
  let probe = probes.get(session);
  if (!probe) {
    probe = openProbe(session);
    probes.set(session, probe);
  }
  return probe;
}

async function openProbe(session: Session): Promise<PrivilegeProbe | null> {
  const open = engineOf(session).probes.privileges;
  return open ? open(session.sql, session.namespace) : null;
}

/** "P1, P2 on O1, O2; P3 on O3": objects lacking the same privileges together, in the order found. */
export function describeMissing(missing: MissingPrivilege[]): string {
  const byObject = new Map<string, string[]>();
  for (const m of missing) {
    const list = byObject.get(m.object) ?? [];
    if (!list.includes(m.privilege)) list.push(m.privilege);
    byObject.set(m.object, list);
  }
  const byPrivileges = new Map<string, string[]>();
  for (const [object, privileges] of byObject) {
    const key = privileges.join(', ');
    byPrivileges.set(key, [...(byPrivileges.get(key) ?? []), object]);
  }
  return [...byPrivileges].map(([privileges, objects]) => `${privileges} on ${objects.join(', ')}`).join('; ');
}

export function privilegeError(who: string, missing: MissingPrivilege[], purpose: string): PrivilegeError {
  return new PrivilegeError(`${who} lacks ${describeMissing(missing)}: ${purpose}`, missing);
}

async function refuseReadOnly(session: Session, probe: PrivilegeProbe, verb: string): Promise<void> {
  const reason = await probe.readOnly();
  if (reason) {
    throw new ReadOnlyError(
      `the server of ${session.config.target.display} is read-only (${reason}): ${verb} writes, so it stopped before changing anything; run it against the primary`,
    );
  }
}

const them = (missing: MissingPrivilege[]) => (missing.length > 1 ? 'them' : 'it');

/** Throws ReadOnlyError or PrivilegeError when `check` cannot succeed; otherwise returns having written nothing. */
export async function preflight(session: Session, check: Check): Promise<void> {
  // A view or a foreign table under a bookkeeping name is refused before any probe touches it (trust.ts).
  if (check !== 'seed' && check !== 'seed-truncate') await trustBookkeeping(session);
  const probe = await privilegeProbe(session);
  if (!probe) return;
  if (check !== 'read-migrations') await refuseReadOnly(session, probe, VERB[check]);
  if (!session.namespaceExists) {
    // Nothing to read yet; migrate creates the namespace (PostgreSQL: CREATE on the database).
    if (check === 'migrate') {
      const missing = await probe.createTables([]);
      if (missing.length) throw privilegeError(probe.who, missing, `migrate creates namespace ${session.namespace} there (nothing was changed)`);
    }
    return;
  }
  const usage = await probe.namespaceUsage();
  if (usage.length) throw privilegeError(probe.who, usage, `dbkit cannot use namespace ${session.namespace} without it`);

  switch (check) {
    case 'read-migrations': {
      const access = await probe.tables(READ_BOOKKEEPING, ['SELECT']);
      const missing = [...access.values()].flatMap((a) => a.missing);
      if (missing.length) throw privilegeError(probe.who, missing, `dbkit cannot read which migrations are applied without ${them(missing)}`);
      return;
    }
    case 'migrate':
    case 'rollback': {
      const access = await probe.tables(BOOKKEEPING, READ_WRITE);
      const missing = [...access.values()].flatMap((a) => a.missing);
      const absent = BOOKKEEPING.filter((t) => access.get(t)!.exists === false);
      const history = access.get(MIGRATION_TABLE)!;
      const readable = history.exists !== false && !history.missing.some((m) => m.privilege === 'SELECT');
      if (check === 'migrate') {
        // Unreadable history: whether anything is pending (and CREATE needed) cannot be told yet.
        const done = readable ? new Set((await readApplied(session)).map((a) => a.name)) : null;
        const pending = !!done && listMigrationFiles(session.config.schemaName).some((f) => !done.has(f.name));
        if (absent.length || pending) missing.push(...(await probe.createTables(absent)));
      } else if (history.exists !== false) {
        // Nothing applied, nothing to drop; else the schema's tables that are there.
        if (readable && (await readApplied(session)).length) {
          const tables = schemas[session.config.schemaName]?.tables.map((t) => t.name) ?? [];
          const present = [...(await probe.tables(tables, [])).entries()].filter(([, a]) => a.exists !== false).map(([t]) => t);
          missing.push(...(await probe.dropTables(present)));
        }
      } else {
        return; // no migration table: nothing was ever applied here, and rollback writes nothing
      }
      if (missing.length) throw privilegeError(probe.who, missing, `${check} needs ${them(missing)} (nothing was changed)`);
      return;
    }
    case 'unlock': {
      const access = await probe.tables([LOCK_TABLE], ['SELECT', 'UPDATE']);
      const missing = [...access.values()].flatMap((a) => a.missing);
      if (missing.length) throw privilegeError(probe.who, missing, `unlock needs ${them(missing)} (nothing was changed)`);
      return;
    }
    case 'seed':
    case 'seed-truncate': {
      const tables = schemas[session.config.schemaName]?.tables.map((t) => t.name) ?? [];
      const wanted: TablePrivilege[] = ['SELECT', 'INSERT', 'DELETE', ...(check === 'seed-truncate' ? (['TRUNCATE'] as const) : [])];
      const access = await probe.tables(tables, wanted);
      const missing = [...access.values()].flatMap((a) => a.missing);
      if (missing.length) throw privilegeError(probe.who, missing, `seed needs ${them(missing)} (nothing was written)`);
      return;
    }
  }
}

/** dbkit_migrations for diff and check-indexes: the applied migrations, or what the role lacks to read them. */
export type Bookkeeping = { readable: true; applied: AppliedRow[] } | { readable: false; missing: MissingPrivilege[]; who: string };

export async function readBookkeeping(session: Session): Promise<Bookkeeping> {
  await trustBookkeeping(session);
  const probe = await privilegeProbe(session);
  if (probe && session.namespaceExists) {
    const missing = [
      ...(await probe.namespaceUsage()),
      ...[...(await probe.tables(READ_BOOKKEEPING, ['SELECT'])).values()].flatMap((a) => a.missing),
    ];
    if (missing.length) return { readable: false, missing, who: probe.who };
  }
  return { readable: true, applied: await readApplied(session) };
}

/**
 * MySQL only: the tables of `expected` that information_schema does not list
 * although they exist (the account has no privilege on them), and the tables
 * whose constraints it hides (MariaDB, SELECT only). PostgreSQL's catalog
 * hides nothing.
 */
export async function hiddenTables(session: Session, expected: string[], listed: Set<string>): Promise<{ unlisted: MissingPrivilege[]; constraintsHidden: string[]; who: string; role: string } | null> {
  const hiddenConstraintTables = engineOf(session).probes.hiddenConstraintTables;
  if (!hiddenConstraintTables) return null;
  const probe = (await privilegeProbe(session))!;
  const notListed = expected.filter((t) => !listed.has(t));
  const access = notListed.length ? await probe.tables(notListed, ['SELECT']) : new Map();
  const unlisted = [...access.values()].filter((a) => a.exists !== false).flatMap((a) => a.missing);
  const constraintsHidden = (await hiddenConstraintTables(session.sql, session.namespace)).filter((t) => expected.includes(t));
  return { unlisted, constraintsHidden, who: probe.who, role: probe.role };
}

/** A connection refused for want of a privilege (MySQL: none on the database; PostgreSQL: no CONNECT) is exit 7, not 3. */
export function privilegeAtConnect(err: unknown, display: string): PrivilegeError | null {
  const cause = (err as { cause?: { code?: string; errno?: number; message?: string } }).cause;
  const denied = cause?.code === 'ER_DBACCESS_DENIED_ERROR' || cause?.errno === 1044 || (cause?.code === '42501' && /permission denied for database/i.test(cause.message ?? ''));
  if (!denied) return null;
  const code = cause!.code && !/^\d/.test(cause!.code) ? ` (${cause!.code})` : '';
  return new PrivilegeError(`the role may not use the database of ${display}: ${cause!.message}${code}`, [], { cause: err });
}
