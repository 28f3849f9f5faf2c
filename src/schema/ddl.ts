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
  /** Statements that create `namespace` if needed and make it the target of a script (`dbkit sql --namespace`). */
  useNamespace(namespace: string): string[];
  /** The statement that makes an existing `namespace` the target of a script (`dbkit diff --sql`). */
  targetNamespace(namespace: string): string;
  /** Identifier quoting of the dialect. */
  ident(name: string): string;
}

export function variantSteps(schema: DbSchema, ddl: DdlEmitter): Step[] {
  const prelude = ddl.prelude(schema);
  const tables = schema.tables.map((t) => ddl.table(t, schema));
  return prelude.up.length ? [prelude, ...tables] : tables;
}

/** A script, each statement ended by `;` (comment-only lines stay as they are). */
export function renderScript(statements: string[]): string {
  return statements.map((s) => (s.split('\n').every((l) => l.startsWith('--')) ? `${s}\n` : `${s};\n`)).join('\n');
}
