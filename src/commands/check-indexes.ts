/** dbkit check-indexes [--strict]: expected indexes present and valid, plus advisories. */
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { FleetFlags } from '../fleet/command.js';
import { checkIndexes } from '../indexes/check.js';
import { checkIndexesJson, renderCheckIndexesHuman } from '../render/check-indexes.js';
import { inspect } from './inspect.js';
import { configFor, whereJson, withSession } from './shared.js';

export interface CheckIndexesOptions extends FleetFlags {
  strict?: boolean;
}

export async function checkIndexesCommand(opts: CheckIndexesOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('check-indexes', opts, globals, io, checkIndexesCommand);
  const config = await configFor(globals, io);
  return withSession(config, io, async (conn) => {
    const { actual, expected, unread } = await inspect(conn, io, { constraints: 'optional' });
    const report = checkIndexes(actual, expected, { strict: opts.strict });
    if (io.json) io.emitJson({ ...whereJson(conn), ...checkIndexesJson(report), ...(unread.length ? { unread } : {}) });
    else io.out(renderCheckIndexesHuman(report, { color: io.color }));
    return report.ok ? 0 : 1;
  });
}
