/** Postgres's probes (src/port/probes.ts). */
import type { ProbePort } from '../../src/port/probes.js';

export const postgresProbes: ProbePort = {
  privileges: async (sql, namespace) => (await import('./privileges.js')).postgresProbe(sql, namespace),
  // pg_catalog hides nothing from a role.
  hiddenConstraintTables: null,
};
