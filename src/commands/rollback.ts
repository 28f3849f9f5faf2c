/** dbkit rollback [--steps N | --all] [--dry-run] [--force] [--statement-timeout S] [--ddl-lock-timeout S] [--ddl-lock-attempts N] [--online pt-osc|none] */
import { withInterrupts } from '../shared/interrupt.js';
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { applyLimits, type LimitInputs } from '../config/online.js';
import { loadState, rollback, rollbackSteps } from '../migrate/apply/runner.js';
import { renderPlan, renderRun } from '../render/migrations.js';
import { configFor, positiveInt, whereJson, withConnection } from './shared.js';

export interface RollbackOptions extends LimitInputs {
  steps?: string;
  all?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

export async function rollbackCommand(opts: RollbackOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.all && opts.steps !== undefined) throw new UsageError('use either --steps N or --all, not both');
  const steps = opts.steps !== undefined ? positiveInt(opts.steps, '--steps') : undefined;
  const config = await configFor(globals, io);
  const request = { steps, all: opts.all, dryRun: opts.dryRun, force: opts.force, limits: applyLimits(config.limits, opts, 'flags') };
  return withConnection(config, io, async (conn) => {
    // What would be reverted, and refusals (a missing file, a down that cannot restore data), before asking.
    const reverting = rollbackSteps(await loadState(conn), request);
    if (!opts.dryRun && !io.yes && reverting.length) {
      if (!io.interactive) {
        throw new UsageError(`rollback drops tables and their data: pass --yes to confirm (no terminal to ask on)`);
      }
      const names = reverting.map((p) => p.name).join(', ');
      const ok = await io.confirm(`Roll back ${names} of ${config.schemaName} on ${config.target.display}? What they created is dropped with its data.`);
      if (!ok) throw new UsageError('rollback not confirmed');
    }
    const result = await withInterrupts('rollback', (signal) => rollback(conn, { ...request, signal, onNote: (text) => io.log(text) }));
    if (io.json) io.emitJson({ ...whereJson(conn), dryRun: result.dryRun, migrations: result.migrations });
    else if (result.dryRun) io.out(renderPlan(result, 'rollback'));
    else io.out(renderRun(result, 'rollback', `${config.schemaName} on ${config.target.display}`, io.color));
    return 0;
  }, opts.dryRun ? 'read-migrations' : 'rollback');
}
