/**
 * dbkit hash: record the migrations folder of each schema (or of --schema)
 * in its sum file, after a merge that added migrations was resolved or a
 * change to a migration was reviewed. No database connection.
 */
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { sumProblem, writeSum } from '../migrate/folder/sum.js';
import { schemaNames } from '../schema/registry.js';

export async function hashCommand(globals: GlobalOptions, io: Io): Promise<number> {
  if (globals.schema !== undefined && !schemaNames.includes(globals.schema)) {
    throw new UsageError(`unknown schema "${globals.schema}": use one of ${schemaNames.join(', ')}`);
  }
  const results = (globals.schema ? [globals.schema] : schemaNames).map((schema) => {
    const problem = sumProblem(schema);
    const migrations = writeSum(schema);
    return { schema, migrations, changed: problem !== null, was: problem };
  });
  if (io.json) io.emitJson({ schemas: results });
  else {
    io.out(
      results
        .map((r) => `migrations/${r.schema}/dbkit.sum: ${r.changed ? `updated (${r.was})` : 'unchanged'}, ${r.migrations} migration(s)`)
        .join('\n'),
    );
  }
  return 0;
}
