/** PGlite's connect area of the engine port (src/port/connect.ts): PostgreSQL's, with what the embedded database does its own way. */
import type { ConnectPort } from '../../src/port/connect.js';
import { postgresConnect } from '../postgres/port-connect.js';

export const pgliteConnect: ConnectPort = { ...postgresConnect };
