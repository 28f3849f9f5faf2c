/**
 * What a schema document is made of: one or more variants of one schema,
 * shown side by side (the definition's PostgreSQL and MySQL variants, or the
 * definition and a live database), and, for a live database, the differ's
 * changes to mark.
 */
import type { Change } from '../diff/changes.js';
import type { Advisory } from '../indexes/types.js';
import type { DbSchema, Dialect } from '../schema/model.js';

export interface DocVariant {
  /** The column heading and the tag of per-variant values: `PostgreSQL`, `MySQL`, `definition`, `live`. */
  label: string;
  dialect: Dialect;
  /** Normalized. */
  schema: DbSchema;
  /** `check-indexes` advisories on this variant's tables. */
  advisories: Advisory[];
}

export interface SchemaDoc {
  /** The schema definition's name: `agents`, `chat`. */
  schema: string;
  /** The document's file name inside the output directory. */
  file: string;
  /** The paragraph under the title (Markdown). */
  intro: string;
  /**
   * The command that writes this document again, for its header. It must not
   * depend on how the document was asked for (`--schema`, `--out`), or
   * `--check` would find a document written another way stale.
   */
  command: string;
  variants: DocVariant[];
  /** The variant the diagram is drawn from. */
  diagramVariant: number;
  /** The definition's table order; tables it does not have follow, by name. */
  tableOrder: string[];
  /** Live documents: the differences between the database and the definition (marked where they are). */
  changes: Change[] | null;
}

export const DIALECT_LABELS: Record<Dialect, string> = { postgres: 'PostgreSQL', mysql: 'MySQL' };
