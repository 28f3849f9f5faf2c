/**
 * Replaying a schema's migrations to prove they do what their snapshots say
 * (`dbkit check`): every up in order, then every down in reverse; after each,
 * the schema must be exactly the variant of the snapshot it leads to (the
 * migration's own, or its predecessor's after a down). A replayer applies a
 * migration somewhere and reads the result back: PostgreSQL in an in-memory
 * PGlite, the typed operations folded over the model, or a real scratch
 * namespace on a server (the runner itself).
 */
import { SQL_DIALECTS as dialects } from '../../engines/sql-dialects.js';
import { numbered, type Sql } from '../../db/sql.js';
import { diff } from '../../diff/differ.js';
import { foldOperations } from '../../plan/fold.js';
import { resolveSchema } from '../../schema/resolve.js';
import type { SchemaDef } from '../../schema/definition.js';
import { emptySchema, type DbSchema, type Dialect } from '../../schema/model.js';
import { normalize } from '../../schema/normalize.js';
import { engineMessage } from '../apply/errors.js';
import { readSnapshotOf } from '../folder/folder.js';
import type { Direction } from '../folder/format.js';
import type { LoadedMigration } from '../folder/source.js';

export interface Replayer {
  /** What it replays on, for messages: `PostgreSQL in PGlite`, `MySQL operations`. */
  label: string;
  apply(m: LoadedMigration, direction: Direction): Promise<void>;
  read(): Promise<DbSchema>;
  close(): Promise<void>;
}

/** The first difference between a schema and the variant of a definition, or null. */
export function firstDifference(actual: DbSchema, def: SchemaDef, dialect: Dialect): string | null {
  const d = dialects[dialect];
  const changes = diff(normalize(actual, d.normalizer), normalize(resolveSchema(def, d.rules), d.normalizer));
  return changes.length ? changes.map((c) => c.message).slice(0, 2).join(' ') + (changes.length > 2 ? ` (and ${changes.length - 2} more)` : '') : null;
}

/** Replay (the replayer stays open: one PGlite serves every schema); the one-line reason of the first failure, or null. */
export async function replay(migrations: readonly LoadedMigration[], empty: Omit<SchemaDef, 'tables'>, r: Replayer): Promise<string | null> {
  const snapshots = migrations.map((m) => readSnapshotOf(m));
  const before = (i: number): SchemaDef => (i > 0 ? snapshots[i - 1]! : { ...empty, tables: [] });
  const step = async (i: number, direction: Direction): Promise<string | null> => {
    const m = migrations[i]!;
    try {
      await r.apply(m, direction);
    } catch (err) {
      return `${r.label}: ${m.name} (${direction}) failed: ${engineMessage(err)}`;
    }
    const expected = direction === 'up' ? snapshots[i]! : before(i);
    const found = firstDifference(await r.read(), expected, m.dialect);
    if (!found) return null;
    const which = direction === 'up' ? `its snapshot` : `the snapshot before it`;
    return `${r.label}: after ${m.name} (${direction}) the schema is not ${which}: ${found}`;
  };
  for (let i = 0; i < migrations.length; i++) {
    const failed = await step(i, 'up');
    if (failed) return failed;
  }
  for (let i = migrations.length - 1; i >= 0; i--) {
    const failed = await step(i, 'down');
    if (failed) return failed;
  }
  return null;
}

/** PostgreSQL migrations run for real, in an in-memory PGlite. */
export async function pgliteReplayer(): Promise<Replayer> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const sql: Sql = {
    query: async <T>(q: string, params: readonly unknown[] = []) => (await db.query<T>(numbered(q), [...params])).rows,
  };
  return {
    label: 'PostgreSQL replay (PGlite)',
    apply: async (m, direction) => {
      for (const s of direction === 'up' ? m.up : m.down) await db.exec(s);
    },
    read: () => dialects.postgres.introspect(sql, 'public'),
    close: () => db.close(),
  };
}

/** The typed operations folded over the model (what crash recovery and the ownership check rely on). */
export function foldReplayer(dialect: Dialect): Replayer {
  let model = emptySchema(dialect);
  return {
    label: `${dialects[dialect].label} operations`,
    apply: async (m, direction) => {
      model = foldOperations(model, m.meta[direction].operations);
    },
    read: async () => model,
    close: async () => undefined,
  };
}
