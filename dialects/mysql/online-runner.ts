/**
 * MySQL's online runner (src/port/migration.ts): a statement marked blocking
 * runs through pt-online-schema-change (pt-osc.ts). Before the tool runs,
 * what a killed run of it leaves (its new table and triggers) is looked up:
 * dropped when dbkit's own run was at this very statement, else the run
 * stops, naming them (dbkit drops nothing it cannot prove it made).
 */
import { UsageError } from '../../src/shared/errors.js';
import { mysqlConnection } from '../../src/connection/driver-options.js';
import type { OnlineRun, OnlineRunner, OnlineTarget } from '../../src/port/migration.js';
import type { Sql } from '../../src/port/sql.js';
import { dropLeftover, findPtOsc, leftoverNames, LEFTOVERS_SQL, parseAlter, PT_OSC, PtOscError, runPtOsc } from './pt-osc.js';

/** The pt-osc runner on this target's connection. Refused (exit 2) when the tool cannot run. */
export function ptOscRunner(target: OnlineTarget): OnlineRunner {
  const exe = findPtOsc();
  if (!exe) {
    throw new UsageError(`--online pt-osc: ${PT_OSC} is not on PATH (Debian and Ubuntu: apt-get install percona-toolkit); install it, or leave --online out to run the statements as written (they block writes while they copy)`);
  }
  // The connection migrations use (--direct-url already in the URL).
  const c = mysqlConnection(target.url, target.namespace);
  if ('ssl' in c && c.ssl) throw new UsageError(`--online pt-osc: the connection uses TLS, and dbkit does not hand its TLS settings to ${PT_OSC}; leave --online out, or run the statement with the tool yourself`);
  const connection = { host: c.host, port: c.port, user: c.user, password: c.password, ...(c.socketPath ? { socketPath: c.socketPath } : {}) };
  const database = target.namespace;
  return {
    name: PT_OSC,
    async run(sql, run) {
      const parsed = parseAlter(sql);
      // Errors are plain: the runner tells where the migration stopped and that a re-run resumes there.
      if (!parsed) throw new PtOscError(`${PT_OSC}: not an ALTER TABLE statement dbkit can hand over: ${sql.slice(0, 80)}`);
      await clearLeftovers(target.sql, database, parsed.table, run);
      await runPtOsc({ exe, connection, database, table: parsed.table, alter: parsed.alter, signal: run.signal, onLine: (l) => /%|Successfully|Swapp/.test(l) && run.note(`${PT_OSC}: ${l}`) });
    },
  };
}

async function clearLeftovers(sql: Sql, database: string, table: string, run: OnlineRun): Promise<void> {
  const names = leftoverNames(database, table);
  const found = await sql.query<{ kind: string; name: string }>(LEFTOVERS_SQL, [database, names.table, database, table, ...names.triggers]);
  if (!found.length) return;
  const list = found.map((f) => `${f.kind} ${f.name}`).join(', ');
  if (!run.resumed) {
    throw new PtOscError(
      `${PT_OSC} cannot alter ${table}: ${list} already exist${found.length > 1 ? '' : 's'}, left by a run of the tool that dbkit cannot prove was its own; ` +
        'nothing was changed: if no run of the tool is going on, drop them (the triggers first), then run dbkit migrate again',
    );
  }
  run.note(`${PT_OSC}: dropping ${list}, left by dbkit's stopped run of the tool at this statement`);
  for (const f of [...found].sort((a, b) => (a.kind === 'trigger' ? -1 : b.kind === 'trigger' ? 1 : 0))) await sql.query(dropLeftover(f.kind, f.name));
}
