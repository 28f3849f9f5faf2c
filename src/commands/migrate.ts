/** dbkit migrate [--to NAME] [--dry-run] [--accept-changed NAME...] [--allow-data-loss] [--allow-out-of-order] [--adopt NAME...] [--statement-timeout S] [--ddl-lock-timeout S] [--ddl-lock-attempts N] [--online pt-osc|none] */
import { withInterrupts } from '../shared/interrupt.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { applyLimits, type LimitInputs } from '../config/online.js';
import type { FleetFlags } from '../fleet/command.js';
import { ExitCode } from '../shared/errors.js';
import type { DataCheckEntry, DataReport } from '../migrate/apply/data-check/preflight.js';
import type { RunResult } from '../migrate/apply/runner.js';
import { nothingToMigrate } from '../migrate/apply/up-to-date.js';
import type { Session } from '../db/connect.js';
import { renderDataChecks, renderPlan, renderRun } from '../render/migrations.js';
import { configFor, migrationConfig, whereJson, withConnection, withSession } from './shared.js';

export interface MigrateOptions extends FleetFlags, LimitInputs {
  to?: string;
  dryRun?: boolean;
  acceptChanged?: string[];
  /** Rows the pending migrations would lose (found by the live pre-flight) are accepted. */
  allowDataLoss?: boolean;
  allowOutOfOrder?: boolean;
  adopt?: string[];
}

export async function migrateCommand(opts: MigrateOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('migrate', opts, globals, io, migrateCommand);
  const config = await configFor(globals, io);
  const limits = applyLimits(config.limits, opts, 'flags');
  // Nothing to do, found on a plain session without Knex or the lock (src/migrate/apply/up-to-date.ts);
  // anything else, and every option that asks for more, takes the normal path below.
  if (!opts.dryRun && !opts.to && !opts.acceptChanged?.length && !opts.adopt?.length) {
    const idle = await withSession(
      migrationConfig(config),
      io,
      async (session) => {
        if (!(await nothingToMigrate(session))) return false;
        io.log(`migrating ${config.schemaName} on ${config.target.display} ...`);
        return report(session, { dryRun: false, migrations: [] }, [], null, io) === 0;
      },
      'migrate',
    );
    if (idle) return 0;
  }
  // The runner (and what it loads) only when there is work to do.
  const { migrate } = await import('../migrate/apply/runner.js');
  return withConnection(config, io, async (conn) => {
    if (!opts.dryRun) io.log(`migrating ${config.schemaName} on ${config.target.display} ...`);
    // The live pre-flight's counts, as they come (up front, and before a migration after a hand-written one).
    const dataChecks: DataCheckEntry[] = [];
    let refused: DataReport | null = null;
    const result = await withInterrupts('migrate', (signal) =>
      migrate(conn, {
        to: opts.to,
        dryRun: opts.dryRun,
        acceptChanged: opts.acceptChanged,
        allowDataLoss: opts.allowDataLoss,
        limits,
        allowOutOfOrder: opts.allowOutOfOrder,
        adopt: opts.adopt,
        signal,
        onLockWait: (text) => io.log(text),
        onNote: (text) => io.log(text),
        onDataChecks: (report) => {
          dataChecks.push(...report.entries);
          if (report.refused) refused = report;
          io.log(renderDataChecks(report, io.color));
        },
      }),
    );
    return report(conn, result, dataChecks, refused, io);
  }, opts.dryRun ? 'read-migrations' : 'migrate');
}

/** The run's result on stdout (text or JSON); exit 9 for a dry run that a real run would refuse. */
function report(session: Session, result: RunResult, dataChecks: DataCheckEntry[], refused: DataReport | null, io: Io): number {
  const config = session.config;
  // A dry run that a real run would refuse says so, and exits as that run would (9), after its plan.
  const wouldRefuse = result.dryRun && refused ? 'a real run would refuse: rows of the live data would make a pending change fail or be lost (see the data pre-flight above); this dry run changed nothing' : null;
  const data = dataChecks.length ? { dataChecks } : {};
  if (io.json) {
    io.emitJson({
      ...whereJson(session),
      dryRun: result.dryRun,
      migrations: result.migrations,
      ...(result.accepted ? { accepted: result.accepted } : {}),
      ...(result.recorded ? { recorded: result.recorded } : {}),
      ...(result.adopted ? { adopted: result.adopted } : {}),
      ...data,
      ...(wouldRefuse ? { error: { exitCode: ExitCode.data, message: wouldRefuse } } : {}),
    });
  } else if (result.dryRun) io.out(renderPlan(result, 'migrate'));
  else io.out(renderRun(result, 'migrate', `${config.schemaName} on ${config.target.display}`, io.color));
  if (wouldRefuse) {
    io.warn(wouldRefuse);
    return ExitCode.data;
  }
  return 0;
}
