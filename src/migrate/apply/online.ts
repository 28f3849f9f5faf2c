/**
 * `--online pt-osc` (or config `online: "pt-osc"`): a MySQL migration's
 * statements marked blocking (they copy their table with writes blocked;
 * migration.json `blocking`) run through pt-online-schema-change instead
 * (the engine's runner: dialects/mysql/online-runner.ts). PostgreSQL has no such runner: its rewrites
 * are refused by `make` unless --allow-blocking, and run as written.
 *
 * Before the tool runs, what a killed run of it leaves (its new table and
 * triggers) is looked up: dropped when the progress row shows that dbkit's
 * own run was at this very statement (the tool made them for dbkit), else
 * the run stops, naming them (someone else's tool run, or one of unknown
 * origin: dbkit drops nothing it cannot prove it made).
 */
import type { OnlineMethod } from '../../config/online.js';
import type { Connection } from '../../db/connect.js';
import { engineFor, engineOf } from '../../engines/index.js';
import type { OnlineRunner } from '../../port/migration.js';
import type { LoadedMigration } from '../folder/source.js';

export type { OnlineRun, OnlineRunner } from '../../port/migration.js';

/** Whether any of these migrations has a statement an online runner of its engine would take (in that direction). */
export const needsOnline = (migrations: readonly LoadedMigration[], direction: 'up' | 'down'): boolean =>
  migrations.some((m) => engineFor(m.dialect).migration.onlineRunner !== undefined && (m.meta[direction].blocking ?? []).length > 0);

/** The runner of `method` for this connection, or undefined (none asked for, or none on this engine: PostgreSQL). Refused (exit 2) when the tool cannot run. */
export async function onlineRunner(conn: Connection, method: OnlineMethod): Promise<OnlineRunner | undefined> {
  const runner = engineOf(conn).migration.onlineRunner;
  if (method !== 'pt-osc' || !runner) return undefined;
  return runner({ url: conn.config.target.url, namespace: conn.namespace, sql: conn.sql });
}
