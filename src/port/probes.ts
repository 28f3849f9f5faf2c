/** The engine port's probes: privileges and read-only servers (dialects/<d>/port-probes.ts). */
import type { Sql } from './sql.js';
import type { PrivilegeProbe } from './privileges.js';

export interface ProbePort {
  /** What the role may do in `namespace`; null where there are no roles (PGlite). */
  readonly privileges: ((sql: Sql, namespace: string) => Promise<PrivilegeProbe>) | null;
  /** The tables whose constraints the catalog hides from this role (MariaDB with SELECT only); null where the catalog hides nothing. */
  readonly hiddenConstraintTables: ((sql: Sql, namespace: string) => Promise<string[]>) | null;
}
