/** dbkit seed [--users N] [--seed S] [--truncate | --append] [--force] */
import crypto from 'node:crypto';
import { UsageError } from '../shared/errors.js';
import { withInterrupts } from '../shared/interrupt.js';
import type { Io } from '../shared/io.js';
import { SEED_USERS_MAX } from '../config/file.js';
import type { GlobalOptions } from '../config/load.js';
import { progressLine, renderSeed, type SeedReport } from '../render/seed.js';
import { loadConnections, seedDatabase, startSeed, type SeedMode, type SeedRequest } from '../seed/seed.js';
import { openSession } from '../db/connect.js';
import { preflight } from '../migrate/apply/preflight.js';
import { seedLockWaitError } from '../seed/lock-wait.js';
import { seedLayout } from '../seed/layout.js';
import { configFor, wholeNumber, whereJson, withSession } from './shared.js';

export interface SeedOptions {
  users?: string;
  seed?: string;
  truncate?: boolean;
  append?: boolean;
  force?: boolean;
}

export const DEFAULT_USERS = 100;

/** Above this many users a run asks first (or needs --yes): about 30 million rows, minutes of loading. */
export const CONFIRM_USERS = 100_000;
/** Rows per user, roughly, in both schemas (docs/seeding.md, "Volume"). */
const ROWS_PER_USER = 300;

const seedNumber = (value: string | undefined): number =>
  value === undefined ? crypto.randomInt(1, 2 ** 31) : wholeNumber(value, '--seed', 0, 2 ** 32 - 1);

/** --users N (else the config file's seed.users, else 100): at most SEED_USERS_MAX; above CONFIRM_USERS only when confirmed. */
async function userCount(value: string | undefined, configured: number | undefined, io: Io): Promise<number> {
  const users = value !== undefined ? wholeNumber(value, '--users', 1, SEED_USERS_MAX) : (configured ?? DEFAULT_USERS);
  if (users <= CONFIRM_USERS || io.yes) return users;
  const what = `${value !== undefined ? '--users' : 'the config file\'s seed.users'} ${users.toLocaleString('en-US')} loads about ${Math.round((users * ROWS_PER_USER) / 1e6).toLocaleString('en-US')} million rows`;
  if (!io.interactive) throw new UsageError(`${what} (more than ${CONFIRM_USERS.toLocaleString('en-US')} users): pass --yes to confirm (no terminal to ask on)`);
  if (!(await io.confirm(`${what}. Go on?`))) throw new UsageError('seed not confirmed');
  return users;
}

export async function seedCommand(opts: SeedOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.truncate && opts.append) throw new UsageError('use either --truncate or --append, not both');
  const seed = seedNumber(opts.seed);
  if (opts.users !== undefined) wholeNumber(opts.users, '--users', 1, SEED_USERS_MAX); // before connecting
  const config = await configFor(globals, io);
  if (config.production && !opts.force) {
    throw new UsageError(`${config.target.display} is marked production (DBKIT_ENV or the config file's "env"): seeding refused; pass --force if you mean it`);
  }
  const users = await userCount(opts.users, config.seed.users, io);
  const mode: SeedMode = opts.truncate ? 'truncate' : opts.append ? 'append' : 'fresh';
  const counts = config.seed[config.schemaName];
  // From the expected model: refuses up front (exit 2) a column no seed can fill.
  const layout = seedLayout(config.schemaName, config.dialect);

  const request: Omit<SeedRequest, 'signal' | 'onProgress' | 'prelude'> = {
    schema: config.schemaName,
    dialect: config.dialect,
    users,
    seed,
    mode,
    layout,
    counts: typeof counts === 'object' ? counts : undefined,
    connections: loadConnections(config.target.engine, layout),
    openSession: () => openSession(config, (t) => io.debug(t)),
    debug: (t) => io.debug(t),
    onLockWait: (t) => io.log(t),
    async confirmTruncate(filled) {
      if (io.yes) return;
      if (!io.interactive) throw new UsageError(`--truncate deletes every row of ${filled.join(', ')}: pass --yes to confirm (no terminal to ask on)`);
      const ok = await io.confirm(`Delete every row of ${config.schemaName} (${filled.join(', ')}) on ${config.target.display}?`);
      if (!ok) throw new UsageError('truncate not confirmed');
    },
  };
  // The generator and the extra connections start while the first connection opens.
  const prelude = startSeed(request);
  try {
    return await withSession(config, io, async (session) => {
      // The pre-flight (privileges: MySQL's EXPLAIN INSERT waits for a table's metadata lock): a lock wait that runs out names the table.
      await preflight(session, opts.truncate ? 'seed-truncate' : 'seed').catch(async (err: unknown) => {
        const at = { sql: session.sql, dialect: config.dialect, namespace: session.namespace, lockTimeoutMs: config.lockTimeoutMs };
        throw await seedLockWaitError(at, err, { tables: layout.tables.map((t) => t.name), need: 'write', doing: 'checking the privileges seed needs; nothing was written' });
      });
      return withInterrupts('seed', async (signal) => {
        const started = performance.now();
        const outcome = await seedDatabase(session, {
          ...request,
          signal,
          prelude,
          onProgress: io.progress ? (done, rows) => io.progressLine(progressLine(done, users, rows, (performance.now() - started) / 1000)) : undefined,
        });
        io.progressEnd();
        const seconds = (performance.now() - started) / 1000;
        const report: SeedReport = {
          ...whereJson(session),
          seed,
          users,
          firstUser: outcome.firstUser,
          mode,
          method: outcome.method,
          foreignKeys: outcome.foreignKeys,
          tables: outcome.tables,
          rows: outcome.rows,
          seconds: Math.round(seconds * 1000) / 1000,
          rowsPerSecond: Math.round(outcome.rows / seconds),
          skipped: outcome.skipped,
        };
        if (io.json) io.emitJson(report);
        else io.out(renderSeed(report, io.color));
        return 0;
      });
    });
  } finally {
    await prelude.dispose();
  }
}
