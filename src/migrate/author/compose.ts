/**
 * What `dbkit make` writes, composed from the snapshot and the definition
 * (pure): the planner's up and down plans for both dialects, the renames they
 * were made with, the data-loss warnings, and the snapshot to store.
 */
import { engineFor } from '../../engines/index.js';
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import { describeOperation } from '../../plan/describe.js';
import { inverseRenames, noRenames, planChange, renameCandidates, type DialectPlan, type PlanDialect, type RenameCandidate, type Renames } from '../../plan/plan.js';
import type { SchemaDef } from '../../schema/definition.js';
import type { Dialect } from '../../schema/model.js';
import { resolveSchema } from '../../schema/resolve.js';
import { validateDefinition } from '../../schema/validate.js';
import { snapshotOf } from './definition-source.js';
import type { NewMigration } from '../folder/folder.js';
import { DIALECTS, FORMAT_VERSION, type DialectMeta, type DirectionMeta } from '../folder/format.js';

export const DBKIT_VERSION = '0.1.0';

/**
 * The renames the definition declares (`renamedFrom`) that fit the snapshot:
 * a table renamed from a name the snapshot has (and the new name it has
 * not), a column renamed from one its table had there.
 */
export function declaredRenames(def: SchemaDef, snapshot: SchemaDef): Renames {
  const out = noRenames();
  const snapTable = (name: string) => snapshot.tables.find((t) => t.name === name);
  for (const t of def.tables) {
    if (t.renamedFrom && snapTable(t.renamedFrom) && !snapTable(t.name)) out.tables[t.renamedFrom] = t.name;
    const source = snapTable(t.renamedFrom && out.tables[t.renamedFrom] === t.name ? t.renamedFrom : t.name);
    if (!source) continue;
    for (const c of t.columns) {
      const had = (n: string) => source.columns.some((x) => x.name === n);
      if (c.renamedFrom && had(c.renamedFrom) && !had(c.name)) (out.columns[t.name] ??= {})[c.renamedFrom] = c.name;
    }
  }
  return out;
}

/** `--rename users.name=full_name` (a column, by its table's new name) or `--rename old_table=new_table`. */
export function parseRename(flag: string, into: Renames): void {
  const m = /^([A-Za-z_][A-Za-z0-9_$]*)(?:\.([A-Za-z_][A-Za-z0-9_$]*))?=([A-Za-z_][A-Za-z0-9_$]*)$/.exec(flag.trim());
  if (!m) throw new Error(`--rename ${flag}: expected table.old_column=new_column or old_table=new_table`);
  const [, a, b, to] = m;
  if (b) (into.columns[a!] ??= {})[b] = to!;
  else into.tables[a!] = to!;
}

export const mergeRenames = (a: Renames, b: Renames): Renames => {
  const columns: Renames['columns'] = { ...a.columns };
  for (const [t, cols] of Object.entries(b.columns)) columns[t] = { ...(columns[t] ?? {}), ...cols };
  return { tables: { ...a.tables, ...b.tables }, columns };
};

export interface Plans {
  up: Record<Dialect, DialectPlan>;
  down: Record<Dialect, DialectPlan>;
}

const variants = (def: SchemaDef, d: Dialect) => resolveSchema(def, dialects[d].rules);

/** What is wrong with a definition, on either variant (src/schema/validate.ts): [] when a migration can be planned from it. */
export const definitionProblems = (def: SchemaDef): string[] => validateDefinition(def, DIALECTS.map((d) => dialects[d].rules));

/** Drops plus adds that could be renames, on either dialect, once each. */
export function candidates(snapshot: SchemaDef, def: SchemaDef, renames: Renames): RenameCandidate[] {
  const seen = new Map<string, RenameCandidate>();
  for (const d of DIALECTS) for (const c of renameCandidates(variants(snapshot, d), variants(def, d), renames)) seen.set(c.flag, c);
  return [...seen.values()];
}

/** Each dialect as the planner sees it (loaded once: the renderers are not needed until a migration is planned). */
export async function planners(): Promise<Readonly<Record<Dialect, PlanDialect>>> {
  const out = {} as Record<Dialect, PlanDialect>;
  for (const d of DIALECTS) out[d] = await dialects[d].planner();
  return out;
}

export function plan(snapshot: SchemaDef, def: SchemaDef, renames: Renames, by: Readonly<Record<Dialect, PlanDialect>>): Plans {
  const up = {} as Plans['up'];
  const down = {} as Plans['down'];
  for (const d of DIALECTS) {
    up[d] = planChange(variants(snapshot, d), variants(def, d), { dialect: by[d], renames, purpose: 'migration' });
    down[d] = planChange(variants(def, d), variants(snapshot, d), { dialect: by[d], renames: inverseRenames(renames), purpose: 'migration' });
  }
  return { up, down };
}

export const isEmpty = (plans: Plans): boolean => DIALECTS.every((d) => !plans.up[d].operations.length && !plans.down[d].operations.length);

/** Warnings that need --allow-data-loss (or a yes): data loss, and what can fail on existing rows. Once per message. */
export const gatedWarnings = (plans: Plans): string[] => [...new Set(DIALECTS.flatMap((d) => plans.up[d].warnings.map((w) => w.message)))];

const ENGINE: Record<Dialect, string> = { postgres: 'PostgreSQL', mysql: 'MySQL/MariaDB' };

/**
 * What blocks writes, once per message, with the engine. Of the up: `make`
 * refuses it unless --allow-blocking. Of the down (`'down'`): make lists it
 * ("the rollback of this change blocks writes") and does not refuse it; a
 * rollback is run on purpose, and gating it would refuse every enum label
 * added (its down rewrites or copies the table). MySQL's copies are left out
 * when they will run through pt-online-schema-change (config `online: "pt-osc"`).
 */
export function blockingChanges(plans: Plans, online: 'pt-osc' | 'none' = 'none', dir: 'up' | 'down' = 'up'): string[] {
  // A blocking statement is allowed where `online` names a runner the dialect's engine has (MySQL: pt-osc).
  const out = DIALECTS.flatMap((d) => (online === 'pt-osc' && engineFor(d).migration.onlineRunner ? [] : plans[dir][d].blocking.map((b) => `${ENGINE[d]}: ${b.message}`)));
  return [...new Set(out)];
}

function direction(p: DialectPlan): DirectionMeta {
  return {
    operations: p.operations,
    statementOperations: p.statements.map((s) => s.operations),
    warnings: [
      // Only where a migration could run in one transaction is running outside it worth a word.
      ...(p.nonTransactionalReason && dialects[p.dialect].scriptsInTransaction ? [`not in a transaction: ${p.nonTransactionalReason}`] : []),
      ...p.warnings.filter((w) => w.level !== 'data-loss').map((w) => w.message),
      ...p.blocking.map((b) => `BLOCKS WRITES: statement ${b.statement + 1} ${b.message}`),
    ],
    dataLoss: p.warnings.filter((w) => w.level === 'data-loss').map((w) => w.message),
    ...(p.blocking.length ? { blocking: p.blocking.map((b) => b.statement) } : {}),
  };
}

export function composeMigration(name: string, plans: Plans, def: SchemaDef): NewMigration {
  const dialectsMeta = {} as Record<Dialect, DialectMeta>;
  const sql = {} as NewMigration['sql'];
  for (const d of DIALECTS) {
    const up = plans.up[d];
    const down = plans.down[d];
    dialectsMeta[d] = {
      transactional: up.transactional && down.transactional && dialects[d].scriptsInTransaction,
      up: direction(up),
      down: { ...direction(down), restoresData: !up.warnings.some((w) => w.level === 'data-loss') },
    };
    sql[d] = { up: up.statements.map((s) => s.sql), down: down.statements.map((s) => s.sql) };
  }
  return {
    meta: { format: FORMAT_VERSION, name, createdBy: `dbkit ${DBKIT_VERSION}`, handWritten: false, dialects: dialectsMeta },
    sql,
    snapshot: snapshotOf(def),
    headerExtra: (d, dir) => (dir === 'up' ? plans.up[d] : plans.down[d]).operations.map((o) => `does: ${describeOperation(o)}`),
  };
}

const HAND_WRITTEN = [
  'hand-written: put the statements below, one per part, parts separated by a line "--> statement-breakpoint";',
  'then record the edit with dbkit hash. PostgreSQL runs them in one transaction; MySQL one by one, and a run that',
  'stops resumes at the statement it was running, so write statements that may safely run again (UPDATE ... WHERE).',
];

/** `make --empty`: SQL files with instructions and no statements; the snapshot stays what it was. */
export function composeHandWritten(name: string, snapshot: SchemaDef): NewMigration {
  const empty = (): DirectionMeta => ({ operations: [], statementOperations: [], warnings: [], dataLoss: [] });
  const meta = (d: Dialect): DialectMeta => ({ transactional: dialects[d].scriptsInTransaction, up: empty(), down: { ...empty(), restoresData: true } });
  return {
    meta: { format: FORMAT_VERSION, name, createdBy: `dbkit ${DBKIT_VERSION}`, handWritten: true, dialects: { postgres: meta('postgres'), mysql: meta('mysql') } },
    sql: { postgres: { up: [], down: [] }, mysql: { up: [], down: [] } },
    snapshot: snapshotOf(snapshot),
    headerExtra: (_d, dir) => [...HAND_WRITTEN, ...(dir === 'down' ? ['this is the down migration: undo what up does'] : [])],
  };
}
