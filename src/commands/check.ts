/**
 * dbkit check: the schema repository's own CI, no server needed. Per schema:
 * the migrations folder matches its sum; the snapshot equals the definition
 * in src/schema/ (else: run dbkit make); replaying every PostgreSQL migration,
 * up and then down, in an in-memory PGlite gives each snapshot exactly; the
 * typed operations (PostgreSQL and MySQL) fold to each snapshot. With --url,
 * that dialect is replayed on the real server instead, in a scratch namespace
 * created and dropped for it. Then `dbkit lint` over the same migrations:
 * each finding is a failure. Exit 0, or 1 with one line per failure.
 */
import { embeddedEngineFor } from '../engines/index.js';
import { isDeepStrictEqual } from 'node:util';
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import { loadConfig, type GlobalOptions } from '../config/load.js';
import { definitionProblems } from '../migrate/author/compose.js';
import { loadSourceDefinitions, snapshotOf } from '../migrate/author/definition-source.js';
import { readSnapshot } from '../migrate/folder/folder.js';
import { firstDifference, foldReplayer, pgliteReplayer, replay, type Replayer } from '../migrate/verify/replay.js';
import { scratchName, scratchReplayer } from '../migrate/verify/scratch.js';
import { findingLine } from '../lint/engine.js';
import { lintMigrations, type SchemaLint } from '../migrate/verify/lint-input.js';
import { readMigrations } from '../migrate/folder/source.js';
import { hashCommand, sumProblem } from '../migrate/folder/sum.js';
import type { SchemaDef } from '../schema/definition.js';
import { resolveSchema } from '../schema/resolve.js';
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import type { Dialect } from '../schema/model.js';
import { schemaNames } from '../schema/registry.js';

interface SchemaCheck {
  schema: string;
  migrations: number;
  checked: string[];
  failures: string[];
  /** dbkit lint over the schema's migrations (its findings are among the failures too). */
  lint?: Pick<SchemaLint, 'findings' | 'allowed' | 'notes' | 'statements'>;
}

/** Where the snapshot and the definition part, in one line, or null when they are equal. */
function definitionChange(def: SchemaDef, snapshot: SchemaDef): string | null {
  const wanted = snapshotOf(def);
  if (isDeepStrictEqual(wanted, snapshotOf(snapshot))) return null;
  const found = firstDifference(resolveSchema(snapshot, dialects[def.native].rules), wanted, def.native);
  return `src/schema/ has changed since the last migration's snapshot${found ? ` (${found})` : ''}: run dbkit make NAME --schema ${def.name}`;
}

/** The in-memory PGlite, made once and used for every schema while replays leave it empty. */
class SharedPglite {
  private current: Replayer | null = null;
  async get(): Promise<Replayer> {
    return (this.current ??= await pgliteReplayer());
  }
  /** After a failed replay the database is not empty: the next schema gets a new one. */
  async discard(): Promise<void> {
    await this.current?.close();
    this.current = null;
  }
}

async function checkSchema(schema: string, def: SchemaDef, real: (d: Dialect) => Promise<Replayer | null>, pglite: SharedPglite): Promise<SchemaCheck> {
  const failures: string[] = [];
  const checked: string[] = [];
  const sum = sumProblem(schema);
  if (sum) failures.push(`${sum}: once that is intended, record it with ${hashCommand(schema)}`);
  const empty = { name: def.name, native: def.native };
  for (const problem of definitionProblems(def)) failures.push(`src/schema/: ${problem}`);
  const changed = definitionChange(def, readSnapshot(schema, empty));
  if (changed) failures.push(changed);
  let count = 0;
  for (const dialect of ['postgres', 'mysql'] as const) {
    const migrations = readMigrations(schema, dialect);
    count = migrations.length;
    const server = await real(dialect);
    // Without a server, the dialect's in-process engine (PGlite for PostgreSQL) replays, where it has one.
    const live = server ?? (embeddedEngineFor(dialect) ? await pglite.get() : null);
    for (const r of [live, foldReplayer(dialect)]) {
      if (!r) continue;
      checked.push(r.label);
      try {
        const failed = await replay(migrations, empty, r);
        if (failed) failures.push(failed);
        if (failed && r === live && !server) await pglite.discard();
      } finally {
        if (r !== live || server) await r.close();
      }
    }
  }
  return { schema, migrations: count, checked, failures };
}

export async function checkCommand(globals: GlobalOptions, io: Io): Promise<number> {
  if (globals.schema !== undefined && !schemaNames.includes(globals.schema)) {
    throw new UsageError(`unknown schema "${globals.schema}": use one of ${schemaNames.join(', ')}`);
  }
  const defs = await loadSourceDefinitions();
  const results: SchemaCheck[] = [];
  const pglite = new SharedPglite();
  try {
    for (const schema of globals.schema ? [globals.schema] : schemaNames) {
      const def = defs[schema];
      if (!def) throw new UsageError(`src/schema/registry.ts has no schema ${schema}`);
      // Only an explicit --url replays on a server (never DATABASE_URL: CI may point it at a real database).
      const real = async (dialect: Dialect): Promise<Replayer | null> => {
        if (globals.url === undefined) return null;
        const config = await loadConfig({ ...globals, schema, namespace: scratchName() });
        if (config.dialect !== dialect) return null;
        io.addSecrets([config.target.url]);
        return scratchReplayer(config, (t) => io.debug(t));
      };
      results.push(await checkSchema(schema, def, real, pglite));
    }
  } finally {
    await pglite.discard();
  }
  for (const [i, l] of (await lintMigrations(results.map((r) => defs[r.schema]!))).entries()) {
    const r = results[i]!;
    r.lint = { findings: l.findings, allowed: l.allowed, notes: l.notes, statements: l.statements };
    r.failures.push(...l.findings.map((f) => `lint: ${findingLine(f)}`));
    r.checked.push('lint');
  }
  const ok = results.every((r) => !r.failures.length);
  if (io.json) io.emitJson({ ok, schemas: results });
  else {
    io.out(
      results
        .flatMap((r) =>
          r.failures.length
            ? r.failures.map((f) => `${r.schema}: ${f}`)
            : [`${r.schema}: ok (${r.migrations} migrations; sum, snapshot = src/schema/, ${r.checked.join(', ')}, up and down)`],
        )
        .join('\n'),
    );
  }
  return ok ? 0 : 1;
}
