/** dbkit seed [--users N] [--seed S] [--truncate | --append] [--force] */
import crypto from 'node:crypto';
import { UsageError } from '../cli/errors.js';
import { withInterrupts } from '../cli/interrupt.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import { progressLine, renderSeed, type SeedReport } from '../render/seed.js';
import { loadConnections, seedDatabase, startSeed, type SeedMode, type SeedRequest } from '../seed/seed.js';
import { openSession } from '../db/connect.js';
import { seedPlan } from '../seed/plan.js';
import { configFor, positiveInt, whereJson, withSession } from './shared.js';

export interface SeedOptions {
  users?: string;
  seed?: string;
  truncate?: boolean;
  append?: boolean;
  force?: boolean;
}

export const DEFAULT_USERS = 100;

function seedNumber(value: string | undefined): number {
  if (value === undefined) return crypto.randomInt(1, 2 ** 31);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got "${value}"`);
  return n;
}

export async function seedCommand(opts: SeedOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.truncate && opts.append) throw new UsageError('use either --truncate or --append, not both');
  const seed = seedNumber(opts.seed);
  const config = await configFor(globals, io);
  const users = opts.users !== undefined ? positiveInt(opts.users, '--users') : (config.seed.users ?? DEFAULT_USERS);
  if (config.production && !opts.force) {
    throw new UsageError(`${config.target.display} is marked production (DBKIT_ENV or the config file's "env"): seeding refused; pass --force if you mean it`);
  }
  const mode: SeedMode = opts.truncate ? 'truncate' : opts.append ? 'append' : 'fresh';
  const counts = config.seed[config.schemaName];
  // From the expected model: refuses up front (exit 2) a column no seed can fill.
  const plan = seedPlan(config.schemaName, config.dialect);

  const request: Omit<SeedRequest, 'signal' | 'onProgress' | 'prelude'> = {
    schema: config.schemaName,
    dialect: config.dialect,
    users,
    seed,
    mode,
    plan,
    counts: typeof counts === 'object' ? counts : undefined,
    connections: loadConnections(config.target.engine, plan),
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
    return await withSession(config, io, (session) =>
      withInterrupts('seed', async (signal) => {
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
      }),
      opts.truncate ? 'seed-truncate' : 'seed',
    );
  } finally {
    await prelude.dispose();
  }
}
