/**
 * The engine port: everything that differs between the engines dbkit runs
 * on, as one object per engine (dialects/<d>/index.ts), chosen in one place
 * (src/engines/index.ts, the composition root). The core and the services
 * talk to it (a session carries its engine) and never test which engine
 * they are on. Its areas, one interface each:
 * - dialect: the SQL it speaks (src/port/dialect.ts);
 * - connect: sessions, Knex, namespaces, topology (src/port/connect.ts);
 * - migration: locks, bookkeeping SQL, statement bounds, work still
 *   running, online changes, data checks (src/port/migration.ts);
 * - seed: the seed lock, the bulk writer, the take-back (src/port/seed.ts);
 * - probes: privileges and read-only servers (src/port/probes.ts).
 * PGlite is the PostgreSQL object with its own connect, lock and writer;
 * Galera is MySQL's, its lock choosing a lease on a cluster.
 */
import type { ConnectPort } from './connect.js';
import type { SqlDialect } from './dialect.js';
import type { MigrationPort } from './migration.js';
import type { ProbePort } from './probes.js';
import type { SeedPort } from './seed.js';

export type EngineName = 'postgres' | 'mysql' | 'pglite';

export interface Engine {
  readonly name: EngineName;
  /** The SQL it speaks (PGlite: PostgreSQL's). */
  readonly dialect: SqlDialect;
  readonly connect: ConnectPort;
  readonly migration: MigrationPort;
  readonly seed: SeedPort;
  readonly probes: ProbePort;
}
