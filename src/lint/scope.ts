/**
 * What the rules know at a statement of a file: the context dbkit gave
 * (tables before the file, transactional or not, recorded operations, what
 * the up added) and what the statements before it did (tables created,
 * constraints added NOT VALID and validated, session settings, prepared
 * statements). Pure.
 */
import type { Fact } from './facts.js';
import type { AddedByUp, LintFile } from './types.js';

const key = (table: string, column: string): string => `${table}.${column}`;

export class Scope {
  /** 1-based index of the statement being read. */
  statement = 0;
  /** Tables created earlier in this file: new and empty, most rules do not apply. */
  readonly created = new Set<string>();
  /** `table.column`s added earlier in this file. */
  readonly addedColumns = new Set<string>();
  /** Indexes created earlier in this file. */
  readonly createdIndexes = new Set<string>();
  /** Constraints added NOT VALID earlier in this file, by name. */
  readonly notValid = new Map<string, { table: string; notNullColumn: string | null }>();
  /** `table.column`s with a validated CHECK (col IS NOT NULL) made earlier in this file. */
  readonly validatedNotNull = new Set<string>();
  /** MySQL session: foreign_key_checks (a foreign key added while it is 0 is not checked, and may run INPLACE). */
  foreignKeyChecks = true;
  /** MySQL: user variables and prepared statements, as far as the statement text they hold is known. */
  readonly userVariables = new Map<string, string | null>();
  readonly prepared = new Map<string, string | null>();
  /** New name -> name in the snapshot, for tables renamed earlier in this file. */
  private readonly renamedFrom = new Map<string, string>();

  constructor(
    readonly file: LintFile,
    private readonly up?: AddedByUp,
  ) {}

  /** Created in this file (or renamed from one that was): empty, nobody uses it yet. */
  isNew(table: string): boolean {
    return this.created.has(table);
  }

  /** A table that exists and may hold rows: everything not created in this file. */
  existing(table: string): boolean {
    return !this.isNew(table);
  }

  /** The column as the snapshot has it, or null when not known. */
  column(table: string, column: string): { type: string; nullable: boolean } | null {
    const t = this.file.tables?.get(this.renamedFrom.get(table) ?? table);
    return t?.columns.get(column) ?? null;
  }

  /** A validated CHECK (col IS NOT NULL) exists: in the snapshot, or made earlier in this file. */
  hasNotNullCheck(table: string, column: string): boolean {
    if (this.validatedNotNull.has(key(table, column))) return true;
    return this.file.tables?.get(this.renamedFrom.get(table) ?? table)?.notNullChecks.has(column) ?? false;
  }

  /** The table of a PostgreSQL index, when the snapshot or this file knows it. */
  indexTable(index: string): string | null {
    return this.file.indexTables?.get(index) ?? null;
  }

  /** migration.json records the operations of this statement: a resumed run decides from the catalog instead of running it again. */
  recorded(): boolean {
    return this.file.recorded?.[this.statement - 1] ?? false;
  }

  /** The down undoes what the up added: dropping or renaming back `name` (a table or `table.column`) is the rollback itself. */
  undoesUp(name: string): boolean {
    const up = this.up;
    if (this.file.direction !== 'down' || !up) return false;
    return up.tables.has(name) || up.columns.has(name) || up.renamed.has(name);
  }

  /** Record what a fact did, after the rules have seen it. */
  apply(f: Fact): void {
    switch (f.kind) {
      case 'create_table':
        this.created.add(f.table);
        break;
      case 'rename_table':
        this.rename(f.from, f.to);
        break;
      case 'create_index':
        if (f.name) this.createdIndexes.add(f.name);
        break;
      case 'alter_table':
        for (const a of f.actions) {
          if (a.kind === 'add_column') this.addedColumns.add(key(f.table, a.column));
          if (a.kind === 'rename_table') this.rename(f.table, a.to);
          if (a.kind === 'add_constraint' && a.type === 'check' && a.notNullColumn) {
            if (a.notValid && a.name) this.notValid.set(a.name, { table: f.table, notNullColumn: a.notNullColumn });
            if (!a.notValid) this.validatedNotNull.add(key(f.table, a.notNullColumn));
          } else if (a.kind === 'add_constraint' && a.notValid && a.name) this.notValid.set(a.name, { table: f.table, notNullColumn: null });
          if (a.kind === 'validate_constraint') {
            const c = this.notValid.get(a.name);
            if (c?.notNullColumn) this.validatedNotNull.add(key(c.table, c.notNullColumn));
          }
        }
        break;
      case 'set':
        if (f.name === 'foreign_key_checks') this.foreignKeyChecks = !/^(0|OFF|FALSE)$/i.test(f.value ?? '1');
        break;
      case 'set_user_variable':
        this.userVariables.set(f.variable, f.statement);
        break;
      case 'prepare':
        this.prepared.set(f.name, 'variable' in f.from ? (this.userVariables.get(f.from.variable) ?? null) : f.from.statement);
        break;
      default:
        break;
    }
  }

  private rename(from: string, to: string): void {
    if (this.created.has(from)) this.created.add(to);
    this.renamedFrom.set(to, this.renamedFrom.get(from) ?? from);
  }
}
