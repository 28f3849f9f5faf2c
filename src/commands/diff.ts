/** dbkit diff [--sql]: the live database against the expected definition. */
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { FleetFlags } from '../fleet/command.js';
import { dialects } from '../dialects.js';
import { diff } from '../diff/differ.js';
import { diffJson, renderDiffHuman } from '../render/diff.js';
import { renderScript } from '../schema/ddl.js';
import { inspect } from './inspect.js';
import { configFor, whereJson, withSession } from './shared.js';

export interface DiffOptions extends FleetFlags {
  sql?: boolean;
}

export async function diffCommand(opts: DiffOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('diff', opts, globals, io, diffCommand);
  const config = await configFor(globals, io);
  return withSession(config, io, async (conn) => {
    const { actual, expected, pendingMigrations } = await inspect(conn, io);
    const changes = diff(actual, expected);
    const result = { dialect: config.dialect, schema: config.schemaName, changes };
    const { fixStatements, ddl } = dialects[config.dialect];
    // The script names tables unqualified: it starts by making the namespace the target.
    const fix = opts.sql && changes.length ? [ddl.targetNamespace(conn.namespace), ...fixStatements(changes, expected, actual)] : null;
    if (io.json) {
      io.emitJson({ ...whereJson(conn), ...diffJson(result), pendingMigrations, ...(opts.sql ? { sql: fix ?? [] } : {}) });
    } else if (opts.sql) {
      io.log(renderDiffHuman(result, { color: false }));
      io.out(
        `-- dbkit diff --sql: ${config.schemaName} on ${config.target.display}, namespace ${conn.namespace}\n` +
          `-- review before running; destructive statements are commented out\n\n` +
          (fix ? renderScript(fix) : '-- nothing to change\n'),
      );
    } else {
      io.out(renderDiffHuman(result, { color: io.color }));
    }
    return changes.length ? 1 : 0;
  });
}
