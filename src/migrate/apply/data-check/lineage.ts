/**
 * Tables and columns through a run (pure): by the names they have at a point
 * of the run, each with its name in the live database before the run, or
 * that the run creates it (a table: no rows yet; a column: NULL or its
 * default in every row); and whether a hand-written migration earlier in the
 * run names the table (its data may differ by the time a later migration runs).
 */
import type { Operation } from '../../../plan/operations.js';
import type { Column, DbSchema } from '../../../schema/model.js';

/** A column's live name, or how a column this run adds is filled. */
export type ColumnLine = { live: string } | { added: 'null' | 'value' };
export interface TableLine {
  /** Its live name; null: created by this run. */
  live: string | null;
  columns: Map<string, ColumnLine>;
  /** Named by a hand-written migration earlier in the run: its data may differ by the time a later migration runs. */
  touched: boolean;
}

/** Tables and columns by their names at a point of the run, each with its live name. */
export class Lineage {
  private readonly tables = new Map<string, TableLine>();

  constructor(model: DbSchema) {
    for (const t of model.tables) this.tables.set(t.name, { live: t.name, columns: new Map(t.columns.map((c) => [c.name, { live: c.name }])), touched: false });
  }

  table = (name: string): TableLine | undefined => this.tables.get(name);

  /** Touch the tables the SQL of a hand-written migration names (as a word, quoted or not, any case). */
  touch(statements: readonly string[]): void {
    const text = statements.join('\n');
    for (const [name, line] of this.tables) {
      const word = new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_$])`, 'i');
      if (word.test(text)) line.touched = true;
    }
  }

  /** Follow an operation: creations, renames, drops. */
  apply(o: Operation): void {
    switch (o.op) {
      case 'create_table':
        this.tables.set(o.table.name, { live: null, columns: new Map(o.table.columns.map((c) => [c.name, { added: 'null' }])), touched: false });
        return;
      case 'drop_table':
        this.tables.delete(o.table.name);
        return;
      case 'rename_table': {
        const line = this.tables.get(o.from);
        this.tables.delete(o.from);
        if (line) this.tables.set(o.to, line);
        return;
      }
      case 'add_column':
        this.tables.get(o.table)?.columns.set(o.column.name, { added: emptyFill(o.column) ? 'null' : 'value' });
        return;
      case 'drop_column':
        this.tables.get(o.table)?.columns.delete(o.column.name);
        return;
      case 'rename_column': {
        const cols = this.tables.get(o.table)?.columns;
        const line = cols?.get(o.from);
        cols?.delete(o.from);
        if (cols && line) cols.set(o.to, line);
        return;
      }
      default:
        return;
    }
  }
}

/** A column added holding NULL in every row. */
const emptyFill = (c: Column): boolean => c.nullable && c.default === null && !c.autoIncrement;
