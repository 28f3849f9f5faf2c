/**
 * The shared first half of `diff` and `check-indexes`: read the live schema
 * (a constant number of catalog queries) and the expected variant, both
 * normalized the same way, and whether migrations are pending.
 *
 * Only what the role can see is reported, and what it could not read is
 * said: an unreadable dbkit_migrations makes "pending" unknown (null), never
 * "all pending". Where the catalog hides what the report is about (MySQL:
 * tables the account has no privilege on; MariaDB: constraints of tables it
 * may only SELECT), a finding would be wrong: the command stops with
 * PrivilegeError, except check-indexes, whose findings do not depend on
 * constraints on MySQL (InnoDB indexes every foreign key itself).
 */
import { ConnectError, PrivilegeError, type MissingPrivilege } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { Session } from '../db/connect.js';
import { describeMissing, hiddenTables, privilegeError, readBookkeeping } from '../migrate/apply/preflight.js';
import { expectedVariant } from '../migrate/folder/snapshots.js';
import { engineOf, SQL_DIALECTS as dialects } from '../engines/index.js';
import { listMigrationFiles } from '../migrate/folder/source.js';
import type { DbSchema } from '../schema/model.js';
import { normalize } from '../schema/normalize.js';

export interface Inspected {
  actual: DbSchema;
  expected: DbSchema;
  /** Migrations not applied here; null when the role cannot read dbkit_migrations. */
  pendingMigrations: string[] | null;
  /** What the role could not read, and so is left out of the report. */
  unread: MissingPrivilege[];
}

export interface InspectOptions {
  /** Whether the report needs the tables' constraints (diff) or can do without them (check-indexes). */
  constraints: 'required' | 'optional';
  /** Compare with the definition as of that migration (`diff --at`). */
  at?: string;
}

export async function inspect(conn: Session, io: Io, options: InspectOptions = { constraints: 'required' }): Promise<Inspected> {
  const { dialect, schemaName } = conn.config;
  if (!conn.namespaceExists) throw new ConnectError(`namespace ${conn.namespace} does not exist in ${conn.config.target.display}`);
  const started = Date.now();
  const [raw, bookkeeping] = await Promise.all([
    dialects[dialect].introspect(conn.sql, conn.namespace).then((r) => {
      io.debug(`introspected ${r.tables.length} tables in ${Date.now() - started} ms`);
      return r;
    }),
    readBookkeeping(conn),
  ]);
  const expected = normalize(expectedVariant(schemaName, dialect, options.at), dialects[dialect].normalizer);
  const unread: MissingPrivilege[] = [];

  const hidden = await hiddenTables(conn, expected.tables.map((t) => t.name), new Set(raw.tables.map((t) => t.name)));
  if (hidden?.unlisted.length) {
    throw privilegeError(hidden.who, hidden.unlisted, 'information_schema does not list tables a user has no privilege on, so whether they are there cannot be told');
  }
  if (hidden?.constraintsHidden.length) {
    const missing = hidden.constraintsHidden.map((t) => ({ privilege: 'a privilege beyond SELECT', object: `${conn.namespace}.${t}`, role: hidden.role }));
    const tables = hidden.constraintsHidden.map((t) => `${conn.namespace}.${t}`).join(', ');
    const why =
      `${hidden.who} cannot see the constraints of ${tables} (MariaDB shows a table's keys and foreign keys only to a user with a privilege beyond SELECT on it, ` +
      `e.g. GRANT REFERENCES ON ${engineOf(conn).dialect.quote(conn.namespace)}.* TO ${hidden.role})`;
    if (options.constraints === 'required') throw new PrivilegeError(`${why}: stopped rather than report them missing`, missing);
    io.warn(`${why}: findings about foreign keys are left out`);
    unread.push(...missing);
  }

  let pendingMigrations: string[] | null = null;
  if (bookkeeping.readable) {
    // Pending by name only: no migration module needs loading for that.
    const done = new Set(bookkeeping.applied.map((a) => a.name));
    pendingMigrations = listMigrationFiles(schemaName).map((f) => f.name).filter((n) => !done.has(n));
    if (pendingMigrations.length && options.at === undefined) {
      io.warn(`${pendingMigrations.length} migration(s) of ${schemaName} are pending here (dbkit status): differences may be just that`);
    }
  } else {
    io.warn(`${bookkeeping.who} lacks ${describeMissing(bookkeeping.missing)}: whether migrations are pending here is unknown`);
    unread.push(...bookkeeping.missing);
  }
  return { actual: normalize(raw, dialects[dialect].normalizer), expected, pendingMigrations, unread };
}
