/**
 * Applied migrations that no longer match their files: edited since they ran
 * (checksum differs) or gone. `migrate` stops on them unless each is
 * accepted by name (`--accept-changed NAME`): an edited one then gets its
 * new checksum recorded, a missing one is forgotten (its bookkeeping rows
 * deleted). Nothing of the schema itself changes.
 */
import { engineOf } from '../../engines/index.js';
import { DbkitError, ExitCode, UsageError } from '../../shared/errors.js';
import type { Connection } from '../../db/connect.js';
import { boundedWrite } from './bounded.js';
import { CHECKSUM_TABLE, MIGRATION_TABLE, type LoadedMigration } from '../folder/source.js';
import type { MigrationEntry } from './state.js';
import { MIGRATION_NAME } from '../folder/format.js';

export interface Accepted {
  name: string;
  was: 'changed' | 'missing';
}

/** An applied migration was edited or removed. Exit 1 (a check found something). */
export class ChangedMigrationError extends DbkitError {
  constructor(message: string) {
    super(message, ExitCode.found);
  }
}

const sourceFile = (schemaName: string, name: string) => `migrations/${schemaName}/${name}/`;

/**
 * Which drifted migrations the --accept-changed names pick. A name of an
 * applied migration that is no longer edited or missing (accepted by an
 * earlier run) picks nothing, so a pipeline may keep the flag for a while;
 * so does a full migration name (`20261201000200_index_messages_type`) that
 * is neither in the folder nor applied (a fresh database, or one that never
 * had that branch: `onAbsent` is told). A part of a name that matches
 * nothing (a typo), or several, is a usage error.
 */
export function acceptedDrift(entries: MigrationEntry[], names: readonly string[], onAbsent?: (name: string) => void): MigrationEntry[] {
  const drifted = entries.filter((e) => e.state === 'changed' || e.state === 'missing');
  const picked: MigrationEntry[] = [];
  for (const n of names) {
    const exact = entries.filter((e) => e.name === n);
    const hits = exact.length ? exact : entries.filter((e) => e.name.includes(n));
    if (!hits.length && MIGRATION_NAME.test(n)) {
      onAbsent?.(n);
      continue;
    }
    if (hits.length !== 1) {
      const known = drifted.length ? `edited or missing: ${drifted.map((e) => e.name).join(', ')}` : 'no applied migration is edited or missing';
      throw new UsageError(`--accept-changed ${n}: ${hits.length ? 'matches several migrations' : 'no such migration'} (${known})`);
    }
    if (drifted.includes(hits[0]!)) picked.push(hits[0]!);
  }
  return picked;
}

/** Throws unless every edited or missing applied migration is accepted. */
export function refuseDrift(entries: MigrationEntry[], accepted: readonly MigrationEntry[], schemaName: string): void {
  const ok = new Set(accepted.map((e) => e.name));
  const blocking = entries.filter((e) => (e.state === 'changed' || e.state === 'missing') && !ok.has(e.name));
  if (!blocking.length) return;
  const what = blocking.map((e) =>
    e.state === 'changed' ? `${e.name} (${sourceFile(schemaName, e.name)}) was edited after it was applied` : `${e.name} was applied but its folder is gone`,
  );
  const flags = blocking.map((e) => `--accept-changed ${e.name}`).join(' ');
  throw new ChangedMigrationError(
    `${what.join('; ')}: nothing was migrated. Restore its files, or review the change and run dbkit migrate ${flags} (records the new checksum; forgets a missing one)`,
  );
}

/** Record the accepted state: new checksums for edited migrations, no rows for missing ones. */
export async function recordAccepted(conn: Connection, accepted: readonly MigrationEntry[], migrations: readonly LoadedMigration[]): Promise<Accepted[]> {
  const table = (t: string) => engineOf(conn).dialect.tableRef(conn.namespace, t);
  return boundedWrite(conn, [MIGRATION_TABLE, CHECKSUM_TABLE], 'recording the accepted migrations (--accept-changed)', async (trx) => {
    const out: Accepted[] = [];
    for (const e of accepted) {
      if (e.state === 'changed') {
        const checksum = migrations.find((m) => m.name === e.name)!.checksum;
        await trx(table(CHECKSUM_TABLE)).where({ name: e.name }).update({ checksum });
        out.push({ name: e.name, was: 'changed' });
      } else {
        await trx(table(MIGRATION_TABLE)).where({ name: e.name }).delete();
        await trx(table(CHECKSUM_TABLE)).where({ name: e.name }).delete();
        out.push({ name: e.name, was: 'missing' });
      }
    }
    return out;
  });
}
