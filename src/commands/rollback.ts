/** dbkit rollback [--steps N | --all] [--dry-run] */
import { UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import { rollback } from '../migrate/runner.js';
import { renderPlan, renderRun } from '../render/migrations.js';
import { configFor, positiveInt, whereJson, withConnection } from './shared.js';

export interface RollbackOptions {
  steps?: string;
  all?: boolean;
  dryRun?: boolean;
}

export async function rollbackCommand(opts: RollbackOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.all && opts.steps !== undefined) throw new UsageError('use either --steps N or --all, not both');
  const steps = opts.steps !== undefined ? positiveInt(opts.steps, '--steps') : undefined;
  const config = await configFor(globals, io);
  const what = opts.all ? 'all migrations' : steps ? `the last ${steps} migration(s)` : 'the last batch';
  if (!opts.dryRun && !io.yes) {
    if (!io.interactive) {
      throw new UsageError(`rollback drops tables and their data: pass --yes to confirm (no terminal to ask on)`);
    }
    const ok = await io.confirm(`Roll back ${what} of ${config.schemaName} on ${config.target.display}? Tables and their data will be dropped.`);
    if (!ok) throw new UsageError('rollback not confirmed');
  }
  return withConnection(config, io, async (conn) => {
    const result = await rollback(conn, { steps, all: opts.all, dryRun: opts.dryRun });
    if (io.json) io.emitJson({ ...whereJson(conn), dryRun: result.dryRun, migrations: result.migrations });
    else if (result.dryRun) io.out(renderPlan(result, 'rollback'));
    else io.out(renderRun(result, 'rollback', `${config.schemaName} on ${config.target.display}`, io.color));
    return 0;
  }, opts.dryRun ? 'read-migrations' : 'rollback');
}
