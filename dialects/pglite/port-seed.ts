/** PGlite's seed area of the engine port (src/port/seed.ts): PostgreSQL's, with what the embedded database does its own way. */
import type { SeedPort } from '../../src/port/seed.js';
import { postgresSeed } from '../postgres/port-seed.js';

export const pgliteSeed: SeedPort = { ...postgresSeed };
