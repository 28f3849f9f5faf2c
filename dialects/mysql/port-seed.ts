/** Mysql's seed area of the engine port (src/port/seed.ts). */
import type { SeedPort } from '../../src/port/seed.js';

export const mysqlSeed: SeedPort = {};
