/**
 * Reading what holds the bookkeeping names in the live catalog and judging it
 * (bookkeeping-shape.ts): trustBookkeeping() runs before dbkit reads or
 * writes its bookkeeping (status, diff's pending note, migrate, rollback,
 * unlock, --accept-changed) and refuses, with ForeignObjectError (exit 5), a
 * view or a table of another shape under a dbkit name; the refusal comes
 * before anything is read from it or written to it.
 */
import type { Session } from '../../db/connect.js';
import { judgeBookkeeping, groupObjects, refusal, type BookkeepingDialect as Dialect, type FoundObject, type Verdict } from '../../port/bookkeeping.js';
import { engineOf } from '../../engines/index.js';
import { ForeignObjectError } from './ownership.js';

/** The engine's shapes and catalog SQL (PGlite: PostgreSQL's). */
export const bookkeepingDialect = (session: Session): Promise<Dialect> => engineOf(session).migration.bookkeeping();

const text = (v: unknown): string | null => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

/** What the catalog holds under the bookkeeping names now (nothing when the namespace does not exist). */
export async function readBookkeepingObjects(session: Session, d: Dialect): Promise<FoundObject[]> {
  if (!session.namespaceExists) return [];
  const names = Object.keys(d.shapes);
  const q = d.query(session.namespace, names);
  const rows = await session.sql.query<Record<string, unknown>>(q.sql, q.params);
  return groupObjects(
    rows.map((r) => {
      const type = text(r.type);
      const kind = text(r.kind);
      return { name: text(r.name)!, kind: kind === null ? '' : d.kindOf(kind), comment: text(r.comment), col: text(r.col), type: type === null ? null : d.columnType(type) };
    }),
  );
}

const shown = (session: Session) => (name: string) => `${session.namespace}.${name}`;

/** The live verdict, read now; throws ForeignObjectError when an object under a dbkit name is not dbkit's. */
export async function judgeLive(session: Session): Promise<Verdict & { dialect: Dialect }> {
  const d = await bookkeepingDialect(session);
  const verdict = judgeBookkeeping(await readBookkeepingObjects(session, d), d.shapes, shown(session));
  if (verdict.foreign.length) throw new ForeignObjectError(refusal(verdict.foreign));
  return { ...verdict, dialect: d };
}

const trusted = new WeakMap<Session, Promise<Verdict & { dialect: Dialect }>>();

/** judgeLive once per session: what it found stays dbkit's for the session (dbkit only adds to it). */
export function trustedVerdict(session: Session): Promise<Verdict & { dialect: Dialect }> {
  let p = trusted.get(session);
  if (!p) {
    p = judgeLive(session);
    trusted.set(session, p);
    p.catch(() => trusted.delete(session));
  }
  return p;
}

export async function trustBookkeeping(session: Session): Promise<void> {
  await trustedVerdict(session);
}
