/** PGlite's probes area of the engine port (src/port/probes.ts): PostgreSQL's, with what the embedded database does its own way. */
import type { ProbePort } from '../../src/port/probes.js';
import { postgresProbes } from '../postgres/port-probes.js';

export const pgliteProbes: ProbePort = { ...postgresProbes };
