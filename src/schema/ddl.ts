/**
 * What a dialect's DDL emitter offers, and the ordered steps that build a
 * variant: an optional prelude (PostgreSQL trigger functions), then one step
 * per table in definition order. Migrations, `dbkit sql` and dry runs all
 * use these steps, so they cannot disagree.
 */
import type { DbSchema, Table } from './model.js';

export interface Step {
  /** `prelude` or `table:<name>`. */
  id: string;
  up: string[];
  down: string[];
}

export interface DdlEmitter {
  /** Objects several tables share (PostgreSQL trigger functions); empty where the variant needs none. */
  prelude(schema: DbSchema): Step;
  /** Everything one table owns: its enum types, the table, indexes, comments, triggers. */
  table(table: Table, schema: DbSchema): Step;
  /** Statements that make `namespace` the target of the script (printed by `dbkit sql --namespace`). */
  useNamespace(namespace: string): string[];
  /** Identifier quoting of the dialect. */
  ident(name: string): string;
}

export function variantSteps(schema: DbSchema, ddl: DdlEmitter): Step[] {
  const prelude = ddl.prelude(schema);
  const tables = schema.tables.map((t) => ddl.table(t, schema));
  return prelude.up.length ? [prelude, ...tables] : tables;
}

/** The full DDL of a variant as one script, each statement ended by `;`. */
export function renderScript(statements: string[]): string {
  return statements.map((s) => `${s};\n`).join('\n');
}
