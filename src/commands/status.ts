/** dbkit status [--check] */
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { FleetFlags } from '../fleet/command.js';
import { loadState } from '../migrate/apply/load-state.js';
import { renderStatus, summarize } from '../render/migrations.js';
import { configFor, whereJson, withSession } from './shared.js';

export interface StatusOptions extends FleetFlags {
  check?: boolean;
}

export async function statusCommand(opts: StatusOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('status', opts, globals, io, statusCommand);
  const config = await configFor(globals, io);
  return withSession(config, io, async (conn) => {
    const { entries } = await loadState(conn);
    const summary = summarize(entries);
    if (io.json) io.emitJson({ ...whereJson(conn), ...summary, migrations: entries });
    else io.out(renderStatus(entries, `${config.schemaName} on ${config.target.display}`, io.color));
    return opts.check && !summary.upToDate ? 1 : 0;
  }, 'read-migrations');
}
