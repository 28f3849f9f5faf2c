/**
 * `--online pt-osc` (or config `online: "pt-osc"`): a MySQL migration's
 * statements marked blocking (they copy their table with writes blocked;
 * migration.json `blocking`) run through pt-online-schema-change instead
 * (dialects/mysql/pt-osc.ts). PostgreSQL has no such runner: its rewrites
 * are refused by `make` unless --allow-blocking, and run as written.
 *
 * Before the tool runs, what a killed run of it leaves (its new table and
 * triggers) is looked up: dropped when the progress row shows that dbkit's
 * own run was at this very statement (the tool made them for dbkit), else
 * the run stops, naming them (someone else's tool run, or one of unknown
 * origin: dbkit drops nothing it cannot prove it made).
 */
import { UsageError } from '../../shared/errors.js';
import type { OnlineMethod } from '../../config/online.js';
import { mysqlConnection } from '../../config/url.js';
import type { Connection } from '../../db/connect.js';
import { dropLeftover, findPtOsc, leftoverNames, LEFTOVERS_SQL, parseAlter, PT_OSC, PtOscError, runPtOsc } from '../../../dialects/mysql/pt-osc.js';
import type { LoadedMigration } from '../folder/source.js';

export interface OnlineRun {
  /** The run resumes at this statement: an earlier run of dbkit's was at it when it stopped. */
  resumed: boolean;
  signal?: AbortSignal;
  note(text: string): void;
}

export interface OnlineRunner {
  name: string;
  run(sql: string, run: OnlineRun): Promise<void>;
}

/** Whether any of these migrations has a statement the runner would take (in that direction). */
export const needsOnline = (migrations: readonly LoadedMigration[], direction: 'up' | 'down'): boolean =>
  migrations.some((m) => m.dialect === 'mysql' && (m.meta[direction].blocking ?? []).length > 0);

/** The runner of `method` for this connection, or undefined (none asked for, or PostgreSQL). Refused (exit 2) when the tool cannot run. */
export function onlineRunner(conn: Connection, method: OnlineMethod): OnlineRunner | undefined {
  if (method !== 'pt-osc' || conn.config.dialect !== 'mysql') return undefined;
  const exe = findPtOsc();
  if (!exe) {
    throw new UsageError(`--online pt-osc: ${PT_OSC} is not on PATH (Debian and Ubuntu: apt-get install percona-toolkit); install it, or leave --online out to run the statements as written (they block writes while they copy)`);
  }
  // The connection migrations use (--direct-url already in `target`).
  const c = mysqlConnection(conn.config.target.url, conn.namespace);
  if ('ssl' in c && c.ssl) throw new UsageError(`--online pt-osc: the connection uses TLS, and dbkit does not hand its TLS settings to ${PT_OSC}; leave --online out, or run the statement with the tool yourself`);
  const connection = { host: c.host, port: c.port, user: c.user, password: c.password, ...(c.socketPath ? { socketPath: c.socketPath } : {}) };
  const database = conn.namespace;
  return {
    name: PT_OSC,
    async run(sql, run) {
      const parsed = parseAlter(sql);
      // Errors are plain: the runner tells where the migration stopped and that a re-run resumes there.
      if (!parsed) throw new PtOscError(`${PT_OSC}: not an ALTER TABLE statement dbkit can hand over: ${sql.slice(0, 80)}`);
      await clearLeftovers(conn, database, parsed.table, run);
      await runPtOsc({ exe, connection, database, table: parsed.table, alter: parsed.alter, signal: run.signal, onLine: (l) => /%|Successfully|Swapp/.test(l) && run.note(`${PT_OSC}: ${l}`) });
    },
  };
}

async function clearLeftovers(conn: Connection, database: string, table: string, run: OnlineRun): Promise<void> {
  const names = leftoverNames(database, table);
  const found = await conn.sql.query<{ kind: string; name: string }>(LEFTOVERS_SQL, [database, names.table, database, table, ...names.triggers]);
  if (!found.length) return;
  const list = found.map((f) => `${f.kind} ${f.name}`).join(', ');
  if (!run.resumed) {
    throw new PtOscError(
      `${PT_OSC} cannot alter ${table}: ${list} already exist${found.length > 1 ? '' : 's'}, left by a run of the tool that dbkit cannot prove was its own; ` +
        'nothing was changed: if no run of the tool is going on, drop them (the triggers first), then run dbkit migrate again',
    );
  }
  run.note(`${PT_OSC}: dropping ${list}, left by dbkit's stopped run of the tool at this statement`);
  for (const f of [...found].sort((a, b) => (a.kind === 'trigger' ? -1 : b.kind === 'trigger' ? 1 : 0))) await conn.sql.query(dropLeftover(f.kind, f.name));
}
