/**
 * DBK403: a statement a resumed run would repeat, and that fails (or doubles
 * its effect) the second time. A migration outside a transaction (every
 * MySQL migration; a PostgreSQL one with CREATE INDEX CONCURRENTLY) records
 * which statement it is about to run; a run killed after a statement took
 * effect but before the next was recorded resumes at that statement. When
 * migration.json records the statement's operations (generated migrations),
 * dbkit decides from the live catalog whether it took effect and skips it;
 * a statement with none recorded (hand-written with `make --empty`) is run
 * again, so it must be safe to repeat: IF NOT EXISTS / IF EXISTS, OR
 * REPLACE (MariaDB takes them in ALTER TABLE too: ADD COLUMN / INDEX /
 * CONSTRAINT ... IF NOT EXISTS, FOREIGN KEY IF NOT EXISTS, DROP ... IF
 * EXISTS, CHANGE / RENAME COLUMN / RENAME INDEX IF EXISTS). Data changes (INSERT, UPDATE) are not judged: make them
 * repeatable yourself (ON CONFLICT DO NOTHING, WHERE NOT EXISTS).
 */
import type { Action, Fact } from '../facts.js';
import type { Rule } from './rule.js';

function actionProblem(a: Action): string | null {
  switch (a.kind) {
    case 'add_column':
      return a.ifNotExists ? null : `ADD COLUMN ${a.column} without IF NOT EXISTS`;
    case 'drop_column':
      return a.ifExists ? null : `DROP COLUMN ${a.column} without IF EXISTS`;
    case 'drop_constraint':
      return a.ifExists ? null : `DROP ${a.what === 'foreign' ? 'FOREIGN KEY' : a.what === 'primary' ? 'PRIMARY KEY' : 'CONSTRAINT'}${a.name ? ` ${a.name}` : ''} without IF EXISTS`;
    case 'drop_index':
      return a.ifExists ? null : `DROP INDEX ${a.name} without IF EXISTS`;
    case 'add_constraint':
      return a.ifNotExists ? null : `ADD CONSTRAINT${a.name ? ` ${a.name}` : ''} (fails when it exists)`;
    case 'add_index':
      return a.ifNotExists ? null : `ADD INDEX${a.name ? ` ${a.name}` : ''} (fails when it exists)`;
    case 'rename_column':
      return a.ifExists ? null : `RENAME COLUMN ${a.from} (gone after the first run)`;
    case 'rename_index':
      return a.ifExists ? null : `RENAME INDEX ${a.from} (gone after the first run)`;
    case 'rename_table':
      return 'RENAME TO (the old name is gone after the first run)';
    case 'modify_column':
      return a.to !== a.column && !a.ifExists ? `CHANGE ${a.column} ${a.to} (gone after the first run)` : null;
    default:
      return null;
  }
}

function problem(f: Fact): string | null {
  switch (f.kind) {
    case 'create_table':
      return f.ifNotExists || f.temporary ? null : `CREATE TABLE ${f.table} without IF NOT EXISTS`;
    case 'create_index':
      return f.ifNotExists ? null : `CREATE INDEX ${f.name ?? ''} without IF NOT EXISTS`;
    case 'create_object':
      return f.repeatable ? null : `CREATE ${f.object.toUpperCase()} ${f.name} (fails when it exists)`;
    case 'drop_table':
      return f.ifExists ? null : `DROP TABLE ${f.tables.join(', ')} without IF EXISTS`;
    case 'drop_index':
      return f.ifExists ? null : `DROP INDEX ${f.names.join(', ')} without IF EXISTS`;
    case 'drop_object':
      return f.ifExists ? null : `DROP ${f.object.toUpperCase()} ${f.names.join(', ')} without IF EXISTS`;
    case 'rename_table':
    case 'rename_object':
      return `RENAME ${f.from} (gone after the first run)`;
    case 'add_enum_value':
      return f.ifNotExists ? null : `ALTER TYPE ${f.type} ADD VALUE without IF NOT EXISTS`;
    case 'alter_table': {
      // ADD CONSTRAINT x after DROP CONSTRAINT IF EXISTS x in the same ALTER TABLE runs again safely.
      const droppedFirst = new Set<string>();
      for (const a of f.actions) {
        if ((a.kind === 'drop_constraint' || a.kind === 'drop_index') && a.ifExists && a.name) droppedFirst.add(a.name);
        if ((a.kind === 'add_constraint' || a.kind === 'add_index') && a.name && droppedFirst.has(a.name)) continue;
        const p = actionProblem(a);
        if (p !== null) return p;
      }
      return null;
    }
    default:
      return null;
  }
}

export const rerun: Rule = {
  codes: ['DBK403'],
  dialects: ['postgres', 'mysql'],
  check(f, scope) {
    if (scope.file.transactional || scope.recorded()) return [];
    const p = problem(f);
    if (!p) return [];
    return [
      {
        code: 'DBK403',
        message: `${p}: this migration runs outside a transaction and migration.json records no operation for the statement, so a run stopped right after it runs it again when resumed, and it fails: make it safe to repeat (IF NOT EXISTS / IF EXISTS, OR REPLACE)`,
      },
    ];
  },
};
