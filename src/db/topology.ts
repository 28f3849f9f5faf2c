/**
 * What stands between dbkit and the database, where it matters before a
 * migration connection is opened. Galera is checked by the lock itself
 * (dialects/mysql/galera.ts: Synced, Primary, TOI); here: a transaction
 * pooler in front of PostgreSQL when a --namespace is given. Knex keeps the
 * namespace as the session's search_path (migration SQL names its tables
 * unqualified); a transaction pooler keeps no session, so the SET would land
 * on a pooled server connection (changing it for its next client) and the
 * migrations would run with whatever search_path their connection has.
 */
import { UsageError } from '../shared/errors.js';
import type { Config } from '../config/load.js';
import { engineFor } from '../engines/index.js';

/** The refusal, one line: the problem and the fix. */
export function poolerRefusal(display: string, evidence: string, what: string): UsageError {
  return new UsageError(
    `${display} goes through a transaction pooler such as PgBouncer (${evidence}): ${what}; give dbkit a direct connection to the server for migrations with --direct-url (or DBKIT_DIRECT_URL)`,
  );
}

/** Throw (exit 2) when a Knex connection for `config` would need session state a pooler does not keep. */
export async function checkMigrationTopology(config: Config, debug: (t: string) => void = () => undefined): Promise<void> {
  const { target, namespace } = config;
  const probePooler = engineFor(config.target.engine).connect.poolerProbe;
  if (!probePooler || !namespace) return;
  const probe = await probePooler(target.url);
  debug(`pooler probe: ${probe.evidence}`);
  if (probe.pooled) {
    throw poolerRefusal(target.display, probe.evidence, `--namespace ${namespace} needs a session search_path, which a transaction pooler does not keep`);
  }
}
