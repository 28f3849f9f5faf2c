/** PGlite's probes (src/port/probes.ts): no roles, so nothing to probe. */
import type { ProbePort } from '../../src/port/probes.js';
import { postgresProbes } from '../postgres/port-probes.js';

export const pgliteProbes: ProbePort = { ...postgresProbes, privileges: null };
