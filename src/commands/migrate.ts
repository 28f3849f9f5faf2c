/** dbkit migrate [--to NAME] [--dry-run] [--accept-changed NAME...] [--allow-out-of-order] [--adopt NAME...] */
import { withInterrupts } from '../cli/interrupt.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { FleetFlags } from '../fleet/command.js';
import { migrate } from '../migrate/runner.js';
import { renderPlan, renderRun } from '../render/migrations.js';
import { configFor, whereJson, withConnection } from './shared.js';

export interface MigrateOptions extends FleetFlags {
  to?: string;
  dryRun?: boolean;
  acceptChanged?: string[];
  allowOutOfOrder?: boolean;
  adopt?: string[];
}

export async function migrateCommand(opts: MigrateOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('migrate', opts, globals, io, migrateCommand);
  const config = await configFor(globals, io);
  return withConnection(config, io, async (conn) => {
    if (!opts.dryRun) io.log(`migrating ${config.schemaName} on ${config.target.display} ...`);
    const result = await withInterrupts('migrate', (signal) =>
      migrate(conn, {
        to: opts.to,
        dryRun: opts.dryRun,
        acceptChanged: opts.acceptChanged,
        allowOutOfOrder: opts.allowOutOfOrder,
        adopt: opts.adopt,
        signal,
        onLockWait: (text) => io.log(text),
        onNote: (text) => io.log(text),
      }),
    );
    if (io.json) io.emitJson({ ...whereJson(conn), dryRun: result.dryRun, migrations: result.migrations, ...(result.accepted ? { accepted: result.accepted } : {}), ...(result.recorded ? { recorded: result.recorded } : {}), ...(result.adopted ? { adopted: result.adopted } : {}) });
    else if (result.dryRun) io.out(renderPlan(result, 'migrate'));
    else io.out(renderRun(result, 'migrate', `${config.schemaName} on ${config.target.display}`, io.color));
    return 0;
  }, opts.dryRun ? 'read-migrations' : 'migrate');
}
