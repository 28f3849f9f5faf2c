/**
 * `dbkit migrate` with nothing to do, found cheaply (issue 22): on a plain
 * session (the driver itself, no Knex, no lock), whether every migration of
 * the folder is applied and recorded as this dbkit keeps it. Anything else
 * (a pending migration, an edited or missing one, a run that stopped
 * halfway either way, a migration a killed run applied but did not record,
 * bookkeeping an older dbkit made) is work: the caller then takes the
 * normal path, which takes the lock and reads everything again under it.
 * The answer is only ever "nothing to do" or "look properly".
 */
import type { Session } from '../../db/connect.js';
import { BOOKKEEPING_TABLES, PROGRESS_COLUMN_NAMES } from './bookkeeping.js';
import { loadState } from './load-state.js';
import { CHECKSUM_TABLE } from '../folder/source.js';
import { trustedVerdict } from './trust.js';

export async function nothingToMigrate(session: Session): Promise<boolean> {
  if (!session.namespaceExists) return false;
  // A table under a dbkit name that is not dbkit's is refused here as on the normal path (exit 5);
  // read once per session (the connection pre-flight may have read it already).
  const live = await trustedVerdict(session);
  if (!BOOKKEEPING_TABLES.every((t) => live.present.includes(t)) || live.unmarked.length) return false;
  if (PROGRESS_COLUMN_NAMES.some((c) => live.lacking.get(CHECKSUM_TABLE)?.includes(c))) return false;
  const state = await loadState(session);
  if (state.entries.some((e) => e.state !== 'applied' || e.interrupted)) return false;
  // Progress rows of migrations Knex has not recorded: a stopped run's, which the normal path reconciles.
  const recorded = new Set(state.db.applied.map((a) => a.name));
  return [...state.db.checksums.keys()].every((name) => recorded.has(name));
}
