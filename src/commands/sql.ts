/** dbkit sql [--dialect postgres|mysql]: the full DDL of a variant, offline. */
import { UsageError } from '../shared/errors.js';
import type { Io } from '../shared/io.js';
import type { GlobalOptions } from '../config/load.js';
import { expectedVariant } from '../migrate/folder/snapshots.js';
import { SQL_DIALECTS as dialects } from '../engines/sql-dialects.js';
import { renderScript, variantSteps } from '../schema/ddl.js';
import type { Dialect } from '../schema/model.js';
import { loadSettings } from '../config/load.js';

export interface SqlOptions {
  dialect?: string;
}

export function variantStatements(schemaName: string, dialect: Dialect, namespace?: string): string[] {
  const { ddl } = dialects[dialect];
  const steps = variantSteps(expectedVariant(schemaName, dialect), ddl);
  return [...(namespace ? ddl.useNamespace(namespace) : []), ...steps.flatMap((s) => s.up)];
}

export async function sqlCommand(opts: SqlOptions, globals: GlobalOptions, io: Io): Promise<number> {
  if (opts.dialect !== undefined && !Object.hasOwn(dialects, opts.dialect)) {
    throw new UsageError(`--dialect must be postgres or mysql, got "${opts.dialect}"`);
  }
  // --dialect picks the variant; the schema's default follows it unless --schema or the config names one.
  const settings = await loadSettings(opts.dialect ? { ...globals, url: `${opts.dialect}://offline` } : globals);
  const { dialect, schemaName: schema, namespace } = settings;
  const statements = variantStatements(schema, dialect, namespace ?? undefined);
  if (io.json) io.emitJson({ dialect, schema, namespace, statements });
  else io.out(`-- dbkit sql: schema ${schema}, ${dialect} variant\n\n` + renderScript(statements));
  return 0;
}
