/**
 * `dbkit check --url`: replay on a real server, in a scratch namespace dbkit
 * creates for the purpose (a PostgreSQL schema, a MySQL database named
 * dbkit_check_<random>) and drops afterwards, through the runner itself: each
 * migration applied with `migrate --to`, then rolled back one at a time.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/load.js';
import { ReadOnlyError } from '../../shared/errors.js';
import { connect, openSession, type Connection, type Session } from '../../db/connect.js';
import { privilegeError, privilegeProbe } from '../apply/preflight.js';
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import type { Replayer } from './replay.js';
import { migrate, rollback } from '../apply/runner.js';

export const scratchName = (): string => `dbkit_check_${randomBytes(5).toString('hex')}`;

/** `base` names the scratch namespace (scratchName()); it must not exist yet. */
export async function scratchReplayer(base: Config, debug: (t: string) => void): Promise<Replayer> {
  const namespace = base.namespace;
  if (!namespace?.startsWith('dbkit_check_')) throw new Error('scratch replay needs a scratch namespace');
  const d = dialects[base.dialect];
  // MySQL: the namespace is a database of its own (created here, dropped after); PostgreSQL: a schema of the URL's database.
  const database = !d.qualifiesTables;
  const quote = d.ddl.ident;
  // The URL's own database (MySQL: the scratch database does not exist yet to connect to).
  const admin = await openSession({ ...base, namespace: database ? null : namespace }, debug);
  try {
    await refuseScratch(admin, namespace, database ? 'database' : 'schema');
    if (database) await admin.sql.query(`CREATE DATABASE ${quote(namespace)} DEFAULT CHARACTER SET utf8mb4`);
  } finally {
    await admin.close();
  }
  let conn: Connection;
  try {
    conn = await connect({ ...base, namespace }, debug);
  } catch (err) {
    if (database) await dropScratch(base, namespace, debug).catch(() => undefined);
    throw err;
  }
  return {
    label: `${d.label} replay (${base.target.display}, scratch ${database ? 'database' : 'schema'} ${namespace})`,
    apply: async (m, direction) => {
      if (direction === 'up') await migrate(conn, { to: m.name });
      else await rollback(conn, { steps: 1, force: true });
    },
    read: () => dialects[base.dialect].introspect(conn.sql, namespace),
    close: async () => {
      try {
        if (!database) await conn.knex.raw(`DROP SCHEMA IF EXISTS ${quote(namespace)} CASCADE`);
      } finally {
        await conn.close();
        if (database) await dropScratch(base, namespace, debug);
      }
    },
  };
}

/** A read-only server (exit 6) or a role that may not create the scratch namespace (exit 7), before anything is created. */
async function refuseScratch(admin: Session, namespace: string, what: string): Promise<void> {
  const probe = await privilegeProbe({ ...admin, namespace, namespaceExists: false });
  if (!probe) return;
  const reason = await probe.readOnly();
  const where = admin.config.target.display;
  if (reason) throw new ReadOnlyError(`the server of ${where} is read-only (${reason}): check --url replays the migrations in a scratch ${what} it creates there; nothing was created`);
  const missing = await probe.createTables([]);
  if (missing.length) throw privilegeError(probe.who, missing, `check --url replays the migrations in a scratch ${what} (${namespace}) it creates there; nothing was created`);
}

async function dropScratch(base: Config, namespace: string, debug: (t: string) => void): Promise<void> {
  const admin = await openSession({ ...base, namespace: null }, debug);
  try {
    await admin.sql.query(`DROP DATABASE IF EXISTS ${dialects.mysql.ddl.ident(namespace)}`);
  } finally {
    await admin.close();
  }
}
