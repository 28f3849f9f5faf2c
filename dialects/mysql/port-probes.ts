/** MySQL's probes (src/port/probes.ts). */
import type { ProbePort } from '../../src/port/probes.js';

export const mysqlProbes: ProbePort = {
  privileges: async (sql, namespace) => (await import('./privileges.js')).mysqlProbe(sql, namespace),
  hiddenConstraintTables: async (sql, namespace) => (await import('./privileges.js')).hiddenConstraintTables(sql, namespace),
};
