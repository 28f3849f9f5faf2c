/** Postgres's connect area of the engine port (src/port/connect.ts). */
import type { ConnectPort } from '../../src/port/connect.js';

export const postgresConnect: ConnectPort = {};
