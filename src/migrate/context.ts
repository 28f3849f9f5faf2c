/**
 * What a dbkit migration receives besides Knex: the dialect and the steps of
 * the expected variant, so that a migration file names a step and never
 * repeats DDL that the schema definition already states.
 */
import type { Knex } from 'knex';
import { dialects, expectedVariant } from '../dialects.js';
import { variantSteps, type Step } from '../schema/ddl.js';
import type { Dialect } from '../schema/model.js';

export interface MigrationContext {
  dialect: Dialect;
  schemaName: string;
  step(id: string): Step;
}

export function migrationContext(schemaName: string, dialect: Dialect): MigrationContext {
  const steps = new Map(variantSteps(expectedVariant(schemaName, dialect), dialects[dialect].ddl).map((s) => [s.id, s]));
  return {
    dialect,
    schemaName,
    step(id) {
      // A step a variant does not need (the prelude of a variant without triggers) is empty.
      return steps.get(id) ?? { id, up: [], down: [] };
    },
  };
}

/** A migration module as dbkit loads it. `plan` is known for step migrations (dry runs, checksums). */
export interface DbkitMigration {
  up(knex: Knex, ctx: MigrationContext): Promise<void>;
  down(knex: Knex, ctx: MigrationContext): Promise<void>;
  plan?(ctx: MigrationContext): { up: string[]; down: string[] };
  /** Undo what an interrupted earlier run of this migration left behind (called before `up`). */
  recover?(knex: Knex, ctx: MigrationContext): Promise<void>;
}

async function runAll(knex: Knex, statements: string[]): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

/** A migration that applies one step of the variant (`prelude` or `table:<name>`). */
export function stepMigration(id: string): DbkitMigration {
  return {
    up: (knex, ctx) => runAll(knex, ctx.step(id).up),
    down: (knex, ctx) => runAll(knex, ctx.step(id).down),
    plan: (ctx) => ({ up: ctx.step(id).up, down: ctx.step(id).down }),
    // A table step is one CREATE TABLE on MySQL (PostgreSQL rolls back a
    // failed migration itself): an empty table left by a killed run is dropped.
    async recover(knex, ctx) {
      const table = id.startsWith('table:') ? id.slice('table:'.length) : null;
      if (!table || !(await knex.schema.hasTable(table))) return;
      const [row] = (await knex(table).count({ n: '*' })) as { n: number | string }[];
      if (Number(row?.n) > 0) {
        throw new Error(`table ${table}, left by an interrupted run of this migration, has rows: check it and drop it by hand`);
      }
      await runAll(knex, ctx.step(id).down);
    },
  };
}
