/** PGlite's migration area of the engine port (src/port/migration.ts): PostgreSQL's, with what the embedded database does its own way. */
import type { MigrationPort } from '../../src/port/migration.js';
import { newOwner } from '../../src/port/lock.js';
import { postgresMigration } from '../postgres/port-migration.js';

const { lockTablesSql: _serverOnly, ...shared } = postgresMigration;

export const pgliteMigration: MigrationPort = {
  ...shared,
  // One process owns the embedded database and all its work: the lock file taken when it was opened is the lock.
  lock: async () => ({ kind: 'file', owner: newOwner(), release: async () => undefined }),
  forceLock: async () => ({ leaseCleared: null, heldBy: null }),
  lockWaits: null,
  workProbe: null,
};
