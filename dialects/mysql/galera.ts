/**
 * Galera (MariaDB Galera Cluster, Percona XtraDB Cluster): is wsrep on for
 * this connection, and may dbkit migrate through this node?
 *
 * - A node that is not `Synced` (joining, donor, desynced) or not in the
 *   `Primary` component (cut off from the majority) must not be written
 *   through: refused (exit 3, as for a server that cannot serve).
 * - `wsrep_OSU_method=RSU` applies DDL to this node only, out of the
 *   cluster's order: a migration there would leave the nodes different.
 *   Refused (exit 2, a configuration to change); TOI is required.
 */
import type mysql from 'mysql2/promise';
import { ConnectError, UsageError } from '../../src/shared/errors.js';

export interface GaleraState {
  /** wsrep_local_state_comment: Synced, Joining, Donor/Desynced, Joined, Initialized… */
  state: string;
  /** wsrep_cluster_status: Primary, non-Primary, Disconnected. */
  status: string;
  /** wsrep_OSU_method of this session: TOI, RSU (NBO on some builds). */
  osuMethod: string;
  clusterSize: number;
  nodeName: string;
}

/** This session's wsrep settings (SHOW VARIABLES answers on every MySQL and MariaDB; the names are lower case there). */
const VARIABLES = "SHOW SESSION VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_osu_method', 'wsrep_node_name')";
const STATUS =
  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_status', 'wsrep_cluster_size')";

type Pair = { Variable_name: string; Value: string };

const toMap = (rows: Pair[]): Map<string, string> => new Map(rows.map((r) => [r.Variable_name.toLowerCase(), String(r.Value)]));

/** Null when wsrep is off (or the server has no Galera at all). */
export async function readGalera(conn: mysql.Connection): Promise<GaleraState | null> {
  const [vars] = (await conn.query(VARIABLES)) as unknown as [Pair[]];
  const v = toMap(vars);
  if (!/^(on|1)$/i.test(v.get('wsrep_on') ?? '')) return null;
  const [status] = (await conn.query(STATUS)) as unknown as [Pair[]];
  const s = toMap(status);
  return {
    state: s.get('wsrep_local_state_comment') ?? 'unknown',
    status: s.get('wsrep_cluster_status') ?? 'unknown',
    osuMethod: (v.get('wsrep_osu_method') ?? 'TOI').toUpperCase(),
    clusterSize: Number(s.get('wsrep_cluster_size') ?? 0),
    nodeName: v.get('wsrep_node_name') ?? '',
  };
}

/** Throw the documented refusal for a node dbkit must not migrate through. */
export function checkGaleraNode(g: GaleraState, display: string): void {
  const node = g.nodeName ? `Galera node ${g.nodeName} (${display})` : `Galera node ${display}`;
  if (g.status !== 'Primary') {
    throw new ConnectError(
      `${node} is not in the Primary component (wsrep_cluster_status=${g.status}): it is cut off from the cluster's majority; migrate through a node of the Primary component`,
    );
  }
  if (g.state !== 'Synced') {
    throw new ConnectError(
      `${node} is not Synced (wsrep_local_state_comment=${g.state}): migrate through a Synced node, or wait until this one has caught up`,
    );
  }
  if (g.osuMethod !== 'TOI') {
    throw new UsageError(
      `${node} applies DDL with wsrep_OSU_method=${g.osuMethod}: DDL would change this node only, out of the cluster's order; set wsrep_OSU_method=TOI to migrate`,
    );
  }
}
