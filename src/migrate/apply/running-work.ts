/**
 * dbkit's own work still running on the server. A run that dies (kill -9,
 * a lost CI runner) does not stop the statement it sent: PostgreSQL goes on
 * building an index concurrently, MariaDB goes on with ALTER TABLE, until
 * the statement ends and the server finds the client gone. The migration
 * lock only guards clients, so the next run would race that statement
 * (`tuple concurrently updated`, a lock timeout, `ER_DUP_KEYNAME`).
 *
 * So every migration statement goes to the server behind a comment naming
 * the namespace, the migration and the statement (workTag), and a run,
 * holding the lock and before it runs or resumes anything, asks the server
 * (each engine's probe in dialects/<d>/running-work.ts) for statements of
 * its namespace still running, also untagged ones of older versions that
 * equal a migration's statement. It waits for them, bounded by
 * --lock-timeout, saying what it waits for; still running then, it stops
 * (exit 4) saying how to end them. Nothing is cancelled by dbkit itself.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LockError } from '../../shared/errors.js';
import { engineOf } from '../../engines/index.js';
import type { Session } from '../../db/connect.js';
import type { Direction } from '../folder/format.js';
import type { LoadedMigration } from '../folder/source.js';
import type { ServerStatement, ToolProbe, ToolWork, WorkProbe } from '../../port/work-probe.js';

export type { ServerStatement, WorkProbe };

const TAG_START = '/* dbkit ';
/** A namespace in the tag: no blanks, and nothing that could end the comment. */
const tagged = (namespace: string): string => encodeURIComponent(namespace).replace(/\*/g, '%2A');

/** The comment a migration statement is sent behind: `/* dbkit <namespace> <migration> up 2/3 *\/ `. It changes nothing the statement does. */
export function workTag(namespace: string, name: string, direction: Direction, i: number, of: number): string {
  return `${TAG_START}${tagged(namespace)} ${name} ${direction} ${i + 1}/${of} */ `;
}

const TAG = /^\/\* dbkit (\S+) (\S+) (up|down) (\d+)\/(\d+) \*\/ /;

/** Which migration statement a running query is, if it is one of this namespace's. */
export interface OurWork extends ServerStatement {
  /** `20261201000000_add_x, statement 2 of 3`, or the statement's migration found by its text. */
  what: string;
  /** The statement without the tag. */
  statement: string;
}

/**
 * The running statements that are this namespace's migration statements:
 * tagged with it, or (older dbkit versions sent them untagged) equal to one
 * of the migrations' statements. PostgreSQL shows at most
 * track_activity_query_size bytes of a query: a long one is matched by its start.
 */
export function ourWork(running: readonly ServerStatement[], namespace: string, migrations: readonly LoadedMigration[]): OurWork[] {
  const known = new Map<string, string>();
  for (const m of migrations) {
    for (const d of ['up', 'down'] as const) {
      const list = d === 'up' ? m.up : m.down;
      list.forEach((s, i) => known.set(s.trim(), `${m.name}${d === 'down' ? ' (its rollback)' : ''}, statement ${i + 1} of ${list.length}`));
    }
  }
  const out: OurWork[] = [];
  for (const r of running) {
    const t = TAG.exec(r.query);
    if (t) {
      if (t[1] !== tagged(namespace)) continue;
      out.push({ ...r, statement: r.query.slice(t[0].length), what: `${t[2]}${t[3] === 'down' ? ' (its rollback)' : ''}, statement ${t[4]} of ${t[5]}` });
      continue;
    }
    const q = r.query.trim();
    let what = known.get(q);
    if (!what && q.length >= 1000) for (const [s, w] of known) if (s.startsWith(q)) what = w;
    if (what) out.push({ ...r, statement: q, what });
  }
  return out;
}

const short = (sql: string): string => {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
};

/** `PostgreSQL session 4242 has run CREATE INDEX ... for 12s (20261201_x, statement 1 of 1; building index: ...)`. */
export function describeWork(w: OurWork, probe: WorkProbe): string {
  const state = w.state === 'idle in transaction' ? ', holding its transaction open' : '';
  return `${probe.server} ${probe.session} ${w.id} has run ${short(w.statement)} for ${w.seconds}s${state} (${w.what}${w.progress ? `; ${w.progress}` : ''})`;
}

export interface RunningWorkOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told once, when there is something to wait for. */
  onWait?(text: string): void;
  /** How often to look again (tests). */
  pollMs?: number;
  /** How long to watch for an online schema change tool's statements (TOOL_WATCH_MS). */
  toolWatchMs?: number;
}

/**
 * Wait until no statement of this namespace's migrations runs on the server
 * (a dead run's), at most `timeoutMs`; then throw LockError (exit 4) naming
 * what still runs and how to end it. Returns at once when nothing runs.
 * Then the same for an online schema change tool still at work on a table
 * of the migrations' statements it would run (awaitTool).
 */
export async function awaitRunningWork(conn: Session, migrations: readonly LoadedMigration[], verb: 'migrate' | 'rollback', opts: RunningWorkOptions): Promise<void> {
  const load = engineOf(conn).migration.workProbe;
  if (!load) return;
  const probe = await load();
  await awaitStatements(conn, probe, migrations, verb, opts);
  if (probe.tool) await awaitTool(conn, probe.tool, migrations, verb, opts);
}

async function awaitStatements(conn: Session, probe: WorkProbe, migrations: readonly LoadedMigration[], verb: 'migrate' | 'rollback', opts: RunningWorkOptions): Promise<void> {
  const look = async () => ourWork(await probe.list(conn.sql), conn.namespace, migrations);
  let work: OurWork[];
  try {
    work = await look();
  } catch (err) {
    // A server that does not show its sessions: said, and the run goes on as before this check existed.
    opts.onWait?.(`could not look for statements an earlier dbkit run may have left running on the server (${(err as Error).message}); going on`);
    return;
  }
  if (!work.length) return;
  const deadline = Date.now() + opts.timeoutMs;
  const first = work[0]!;
  opts.onWait?.(
    `waiting up to ${opts.timeoutMs / 1000}s for a statement an earlier dbkit run left running on the server: ${describeWork(first, probe)}` +
      (work.length > 1 ? ` (and ${work.length - 1} more)` : ''),
  );
  while (work.length && Date.now() < deadline) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    await sleep(Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now())));
    work = await look();
  }
  if (!work.length) return;
  const w = work[0]!;
  throw new LockError(
    `a statement an earlier dbkit run left running on the server is still running after ${opts.timeoutMs / 1000}s (--lock-timeout): ${describeWork(w, probe)}` +
      `${work.length > 1 ? ` (and ${work.length - 1} more)` : ''}; nothing was run. Let it finish and run dbkit ${verb} again, or end it with ${probe.howToEnd(w)} ` +
      `(the next run then resumes at that statement)`,
  );
}

/** How long the tool's connections are watched for a statement when its new table is there (it is idle between chunks). */
export const TOOL_WATCH_MS = 3_000;

/**
 * pt-online-schema-change left running by a killed `migrate --online pt-osc`
 * (or run by someone on the same table): its new table is there and its
 * connections run its statements. Looked for before anything is decided,
 * dropped or run: when its new table exists, its statements are watched for
 * TOOL_WATCH_MS; seen, its connections are waited for until they are gone,
 * at most `timeoutMs` (naming it), else LockError (exit 4) naming it and how
 * to stop it. Not seen, the run goes on (a tool that died: its leftovers are
 * dropped when the progress row proves them dbkit's, online.ts).
 */
async function awaitTool(conn: Session, tool: ToolProbe, migrations: readonly LoadedMigration[], verb: 'migrate' | 'rollback', opts: RunningWorkOptions): Promise<void> {
  const statements = migrations.flatMap((m) => (['up', 'down'] as const).flatMap((d) => (m.meta[d].blocking ?? []).map((i) => (d === 'up' ? m.up : m.down)[i]!)));
  const tables = tool.tables(statements.filter((s) => s !== undefined));
  if (!tables.length) return;
  const database = conn.namespace;
  let work: ToolWork[] = [];
  try {
    const left = await tool.leftovers(conn.sql, database, tables);
    if (!left.length) return;
    const watchUntil = Date.now() + (opts.toolWatchMs ?? TOOL_WATCH_MS);
    for (;;) {
      work = await tool.running(conn.sql, database, left);
      if (work.length || Date.now() >= watchUntil) break;
      if (opts.signal?.aborted) throw opts.signal.reason;
      await sleep(100);
    }
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    opts.onWait?.(`could not look for a run of ${tool.name} still at work on the server (${(err as Error).message}); going on`);
    return;
  }
  if (!work.length) return;
  const first = work[0]!;
  const ids = [...new Set(work.map((w) => w.id))];
  opts.onWait?.(`waiting up to ${opts.timeoutMs / 1000}s for a run of ${tool.name} still at work on the server (left by a stopped dbkit run, or someone else's): ${tool.describe(first)}`);
  const deadline = Date.now() + opts.timeoutMs;
  let alive = ids;
  while (alive.length && Date.now() < deadline) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    await sleep(Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now())));
    alive = await tool.alive(conn.sql, alive);
  }
  if (!alive.length) return;
  throw new LockError(
    `a run of ${tool.name} is still at work on the server after ${opts.timeoutMs / 1000}s (--lock-timeout): ${tool.describe(first)}; nothing was run or dropped. ` +
      `Let it finish and run dbkit ${verb} again, or ${tool.howToEnd(first, database)}`,
  );
}
