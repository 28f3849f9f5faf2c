/**
 * The shared first half of `diff` and `check-indexes`: read the live schema
 * (a constant number of catalog queries) and the expected variant, both
 * normalized the same way, and whether migrations are pending.
 */
import { ConnectError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import type { Session } from '../db/connect.js';
import { dialects, expectedVariant } from '../dialects.js';
import { listMigrationFiles } from '../migrate/source.js';
import { readApplied } from '../migrate/state.js';
import type { DbSchema } from '../schema/model.js';
import { normalize } from '../schema/normalize.js';

export interface Inspected {
  actual: DbSchema;
  expected: DbSchema;
  pendingMigrations: string[];
}

/** `at`: compare with the definition as of that migration (`diff --at`). */
export async function inspect(conn: Session, io: Io, at?: string): Promise<Inspected> {
  const { dialect, schemaName } = conn.config;
  if (!conn.namespaceExists) throw new ConnectError(`namespace ${conn.namespace} does not exist in ${conn.config.target.display}`);
  const started = Date.now();
  const [raw, applied] = await Promise.all([
    dialects[dialect].introspect(conn.sql, conn.namespace).then((r) => {
      io.debug(`introspected ${r.tables.length} tables in ${Date.now() - started} ms`);
      return r;
    }),
    readApplied(conn),
  ]);
  // Pending by name only: no migration module needs loading for that.
  const done = new Set(applied.map((a) => a.name));
  const pendingMigrations = listMigrationFiles(schemaName).map((f) => f.name).filter((n) => !done.has(n));
  if (pendingMigrations.length && at === undefined) {
    io.warn(`${pendingMigrations.length} migration(s) of ${schemaName} are pending here (dbkit status): differences may be just that`);
  }
  return { actual: normalize(raw), expected: normalize(expectedVariant(schemaName, dialect, at)), pendingMigrations };
}
