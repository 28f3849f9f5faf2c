/** Postgres's probes area of the engine port (src/port/probes.ts). */
import type { ProbePort } from '../../src/port/probes.js';

export const postgresProbes: ProbePort = {};
