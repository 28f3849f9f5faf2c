/**
 * dbkit make NAME [--rename a.b=c]... [--allow-data-loss] [--allow-blocking] [--no-renames] [--empty] [--dry-run]
 *
 * The next migration of a schema, for both dialects, up and down: the
 * definition in src/schema/ (compiled on the fly, no build) against the
 * snapshot of the newest migration. Renames are never guessed; a drop plus
 * an add that could be one is asked about on a terminal, and refused without
 * one (exit 2) with the flags that settle it. Operations that lose data or
 * can fail on existing rows need --allow-data-loss (or a yes); statements
 * that copy or rewrite a table with writes blocked need --allow-blocking (or
 * a yes), except MySQL copies when the config says `online: "pt-osc"`
 * (docs/online-changes.md). No database.
 */
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import path from 'node:path';
import { UsageError, UsageErrors } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import { loadSettings, type GlobalOptions } from '../config/load.js';
import {
  blockingChanges,
  candidates,
  composeHandWritten,
  composeMigration,
  declaredRenames,
  definitionProblems,
  gatedWarnings,
  isEmpty,
  mergeRenames,
  parseRename,
  plan,
  planners,
  type Plans,
} from '../migrate/author/compose.js';
import { loadSourceDefinitions, snapshotOf } from '../migrate/author/definition-source.js';
import { listMigrationDirs, migrationFiles, readSnapshot, schemaDir, shown, writeMigration, type NewMigration } from '../migrate/folder/folder.js';
import { DIALECTS, sqlFileName } from '../migrate/folder/format.js';
import { acquireFolderLock } from '../migrate/author/folder-lock.js';
import { verifySum, writeSum } from '../migrate/folder/sum.js';
import { findingLine } from '../lint/engine.js';
import { migrationsRoot } from '../shared/paths.js';
import { noRenames, PlanError, type Renames } from '../plan/plan.js';
import { describeOperation } from '../plan/describe.js';
import { isDeepStrictEqual } from 'node:util';

export interface MakeOptions {
  rename?: string[];
  allowDataLoss?: boolean;
  /** Make it even when a statement copies or rewrites a table with writes blocked. */
  allowBlocking?: boolean;
  /** --no-renames: every drop plus add that could be a rename is a drop and an add. */
  renames?: boolean;
  empty?: boolean;
  dryRun?: boolean;
}

/** At most this many characters of name (the directory name adds a 15-character timestamp). */
export const MAX_NAME = 100;

export const timestamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

export function migrationSlug(name: string): string {
  const slug = name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  if (!slug) throw new UsageError('make needs a NAME of letters or digits, e.g. dbkit make add_user_locale');
  if (slug.length > MAX_NAME) throw new UsageError(`make: NAME is too long (${slug.length} characters; at most ${MAX_NAME}): say what the migration does in a few words`);
  return slug;
}

/** A timestamp after the newest migration's (two makes in one second, or a clock behind). */
function nextStamp(schema: string, now: Date, root: string): string {
  const last = listMigrationDirs(schema, root).at(-1)?.name.slice(0, 14);
  const stamp = timestamp(now);
  if (!last || stamp > last) return stamp;
  const t = new Date(Date.UTC(+last.slice(0, 4), +last.slice(4, 6) - 1, +last.slice(6, 8), +last.slice(8, 10), +last.slice(10, 12), +last.slice(12, 14) + 1));
  return timestamp(t);
}

async function settleRenames(plansFor: (r: Renames) => Plans, snapshot: Parameters<typeof candidates>[0], def: Parameters<typeof candidates>[1], renames: Renames, opts: MakeOptions, io: Io): Promise<Renames> {
  if (opts.renames === false) return renames;
  const open = candidates(snapshot, def, renames);
  if (!open.length) return renames;
  if (!io.interactive) {
    const list = open.map((c) => `${c.kind === 'table' ? `table ${c.from} -> ${c.to}` : `column ${c.table}.${c.from} -> ${c.to}`} (${c.flag})`).join('; ');
    throw new UsageError(`make: a drop and an add that could be a rename: ${list}. Declare each rename with its flag (or renamedFrom in the definition), or pass --no-renames if they are a drop and an add`);
  }
  let out = renames;
  for (const c of open) {
    // A table rename settles its columns' candidates too: ask again only for what is still open.
    if (!candidates(snapshot, def, out).some((x) => x.flag === c.flag)) continue;
    const what = c.kind === 'table' ? `Was table ${c.from} renamed to ${c.to}?` : `Was column ${c.table}.${c.from} renamed to ${c.to}?`;
    if (await io.confirm(`${what} (no: ${c.from} is dropped with its data and ${c.to} added)`)) {
      const r = noRenames();
      parseRename(c.flag.replace(/^--rename /, ''), r);
      out = mergeRenames(out, r);
    }
  }
  plansFor(out); // a declared rename that does not fit fails here, before anything is asked about data loss
  return out;
}

export async function makeCommand(name: string, opts: MakeOptions, globals: GlobalOptions, io: Io, now = new Date()): Promise<number> {
  const { schemaName: schema, limits, lockTimeoutMs } = await loadSettings(globals);
  const slug = migrationSlug(name);
  const root = migrationsRoot();
  // From reading the snapshot to writing the sum: one make at a time per folder (a dry run writes nothing).
  const lock = opts.dryRun ? null : await acquireFolderLock(root, { timeoutMs: lockTimeoutMs, onWait: (t) => io.log(t), onStale: (t) => io.log(t) });
  try {
    return await makeLocked(schema, slug, root, opts, io, now, limits);
  } finally {
    await lock?.release();
  }
}

async function makeLocked(schema: string, slug: string, root: string, opts: MakeOptions, io: Io, now: Date, limits: { online: 'pt-osc' | 'none' }): Promise<number> {
  verifySum(schema, root);
  const defs = await loadSourceDefinitions();
  const def = defs[schema];
  if (!def) throw new UsageError(`src/schema/registry.ts has no schema ${schema}`);
  const snapshot = readSnapshot(schema, { name: def.name, native: def.native }, undefined, root);
  const migrationName = `${nextStamp(schema, now, root)}_${slug}`;

  let made: NewMigration;
  let plans: Plans | null = null;
  let warnings: string[] = [];
  let blocking: string[] = [];
  let rollbackBlocking: string[] = [];
  if (opts.empty) {
    made = composeHandWritten(migrationName, snapshot);
  } else {
    // A definition neither variant can be built from is refused before anything is planned.
    const problems = definitionProblems(def);
    if (problems.length) {
      throw new UsageErrors(`make: the definition of ${schema} in src/schema/ has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: fix ${problems.length === 1 ? 'it' : 'them'}, then make again (nothing was written)`, problems);
    }
    let renames = declaredRenames(def, snapshot);
    try {
      for (const flag of opts.rename ?? []) parseRename(flag, renames);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const by = await planners();
    const plansFor = (r: Renames) => {
      try {
        return plan(snapshot, def, r, by);
      } catch (err) {
        if (err instanceof PlanError) throw new UsageError(`make: ${err.message}`);
        throw err;
      }
    };
    renames = await settleRenames(plansFor, snapshot, def, renames, opts, io);
    plans = plansFor(renames);
    if (isEmpty(plans) && isDeepStrictEqual(snapshotOf(def), snapshotOf(snapshot))) {
      if (io.json) io.emitJson({ schema, name: null, changes: [], dryRun: !!opts.dryRun });
      else io.out(`${schema}: no change since the last migration (${listMigrationDirs(schema, root).at(-1)?.name ?? 'none yet'}): nothing to make`);
      return 0;
    }
    warnings = gatedWarnings(plans);
    if (warnings.length && !opts.allowDataLoss && !opts.dryRun) {
      const list = warnings.join('; ');
      if (!io.interactive) throw new UsageError(`make: refused: this change ${list}. Pass --allow-data-loss to make it anyway (the warnings go into the migration's header)`);
      if (!(await io.confirm(`This change ${list}. Make the migration anyway?`))) throw new UsageError('make: not confirmed; nothing was written');
    }
    blocking = blockingChanges(plans, limits.online);
    if (blocking.length && !opts.allowBlocking && !opts.dryRun) {
      const list = blocking.join('; ');
      if (!io.interactive) {
        throw new UsageError(
          `make: refused: this change blocks writes to a table with rows for as long as it runs: ${list}. ` +
            "Pass --allow-blocking to make it anyway (the warning goes into the migration's SQL header and migration.json); see docs/online-changes.md",
        );
      }
      if (!(await io.confirm(`This change blocks writes while it runs: ${list}. Make the migration anyway?`))) throw new UsageError('make: not confirmed; nothing was written');
    }
    // Not gated (a rollback is run on purpose), but said: the down's rewrites and copies.
    rollbackBlocking = blockingChanges(plans, limits.online, 'down');
    made = composeMigration(migrationName, plans, def);
  }
  // What the author accepted above is written into the migration for lint; anything else lint finds is said here.
  const linted = await (await import('../migrate/author/allowances.js')).withAllowances(made, schema, snapshot);
  made = linted.migration;
  const lintLines = linted.unexplained.map((f) => `lint: ${findingLine(f)} (dbkit lint and dbkit check will report it: see docs/lint.md)`);

  const dir = path.join(schemaDir(schema, root), migrationName);
  const changes = plans ? plans.up[def.native].operations.map(describeOperation) : [];
  const summary = {
    schema,
    name: migrationName,
    dir: shown(dir, root),
    dryRun: !!opts.dryRun,
    handWritten: !!opts.empty,
    changes,
    warnings,
    blocking,
    rollbackBlocking,
    ...(lintLines.length ? { lint: linted.unexplained } : {}),
    dialects: Object.fromEntries(
      DIALECTS.map((d) => [
        d,
        {
          transactional: made.meta.dialects[d].transactional,
          up: made.sql[d].up,
          down: made.sql[d].down,
          restoresData: made.meta.dialects[d].down.restoresData,
        },
      ]),
    ),
  };
  if (!opts.dryRun) {
    writeMigration(schema, made, root);
    writeSum(schema, root);
  }
  if (io.json) io.emitJson(summary);
  else if (opts.dryRun) {
    const files = migrationFiles(made);
    io.out(
      [`-- dbkit make --dry-run: ${summary.dir}/ (nothing written)`, ...DIALECTS.flatMap((d) => (['up', 'down'] as const).map((dir) => `\n-- ${sqlFileName(d, dir)}\n${files[sqlFileName(d, dir)]}`))].join('\n'),
    );
  } else {
    const lines = [
      `created ${summary.dir}/ (and updated migrations/${schema}/dbkit.sum)`,
      ...changes.map((c) => `  + ${c}`),
      ...warnings.map((w) => `  ! ${w} (allowed)`),
      ...blocking.map((w) => `  ! blocks writes: ${w} (allowed)`),
      ...rollbackBlocking.map((w) => `  ! the rollback of this change blocks writes: ${w}`),
      ...lintLines.map((l) => `  ! ${l}`),
      ...DIALECTS.map((d) => {
        const s = summary.dialects[d];
        const how = s.transactional ? 'in one transaction' : dialects[d].scriptsInTransaction ? 'statement by statement (outside a transaction)' : 'statement by statement';
        return `  ${d}: ${s.up.length} statement(s) up, ${s.down.length} down, ${how}${s.restoresData ? '' : '; its down cannot restore the data (rollback needs --force)'}`;
      }),
      opts.empty ? `write the SQL in the four .sql files, then run dbkit hash` : `review the SQL files, then dbkit migrate`,
    ];
    io.out(lines.join('\n'));
  }
  return 0;
}
