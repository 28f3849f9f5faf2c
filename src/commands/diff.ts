/** dbkit diff [--sql]: the live database against the expected definition. */
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import type { FleetFlags } from '../fleet/command.js';
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import { diff } from '../diff/differ.js';
import { diffJson, renderDiffHuman } from '../render/diff.js';
import { inspect } from './inspect.js';
import { configFor, whereJson, withSession } from './shared.js';

export interface DiffOptions extends FleetFlags {
  sql?: boolean;
  /** Compare with the definition as of this migration (its snapshot). */
  at?: string;
}

/** The planner and the fix script's pieces: a plain `dbkit diff` does not pay for loading them. */
async function loadFixing() {
  const [{ planChange }, { fixScript, refusedCount }, { viewBlockers }] = await Promise.all([
    import('../plan/plan.js'),
    import('../plan/fix-script.js'),
    import('../plan/view-blockers.js'),
  ]);
  return { planChange, fixScript, refusedCount, viewBlockers };
}

export async function diffCommand(opts: DiffOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.targets) return (await import('../fleet/command.js')).fleetCommand('diff', opts, globals, io, diffCommand);
  const config = await configFor(globals, io);
  return withSession(config, io, async (conn) => {
    const { actual, expected, pendingMigrations, unread } = await inspect(conn, io, { constraints: 'required', at: opts.at });
    const changes = diff(actual, expected);
    // The fix is planned for --sql, or to name the views that stand in its way (loaded only then).
    const needed = changes.length > 0 && (opts.sql || !!actual.views?.length);
    const fixing = needed ? await loadFixing() : null;
    const sqlDialect = dialects[config.dialect];
    const planner = fixing ? await sqlDialect.planner() : null;
    const plan = fixing && planner ? fixing.planChange(actual, expected, { purpose: 'fix', dialect: planner }) : null;
    const views = fixing && plan && planner ? fixing.viewBlockers(plan, actual, planner.views) : [];
    const result = { dialect: config.dialect, schema: config.schemaName, changes, views };
    // The script names tables unqualified: it starts by making the namespace the target.
    const target = sqlDialect.ddl.targetNamespace(conn.namespace);
    const fix = opts.sql && fixing && plan ? fixing.fixScript(plan, { target, views }) : null;
    if (io.json) {
      io.emitJson({ ...whereJson(conn), ...diffJson(result), pendingMigrations, ...(unread.length ? { unread } : {}), ...(opts.sql ? { sql: fix ?? [] } : {}) });
    } else if (opts.sql) {
      io.log(renderDiffHuman(result, { color: false }));
      const refused = fixing && plan ? fixing.refusedCount(plan) : 0;
      io.out(
        `-- dbkit diff --sql: ${config.schemaName} on ${config.target.display}, namespace ${conn.namespace}\n` +
          `-- review before running. Statements that lose data, and drops of what a DBA may have added, are\n` +
          `-- commented out, each with the reason (${refused} here); uncomment any of them to run it.\n` +
          (sqlDialect.scriptsInTransaction ? '-- PostgreSQL: one transaction (labels added to enum types go first, outside it).\n' : '') +
          '\n' +
          (fix ? `${fix.join('\n\n')}\n` : '-- nothing to change\n'),
      );
    } else {
      io.out(renderDiffHuman(result, { color: io.color }));
    }
    return changes.length ? 1 : 0;
  });
}
