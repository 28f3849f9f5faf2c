/** dbkit sql [--dialect postgres|mysql]: the full DDL of a variant, offline. */
import { UsageError } from '../cli/errors.js';
import type { Io } from '../cli/io.js';
import type { GlobalOptions } from '../config/load.js';
import { dialects, expectedVariant } from '../dialects.js';
import { renderScript, variantSteps } from '../schema/ddl.js';
import type { Dialect } from '../schema/model.js';
import { offlineDialect, schemaFor } from './shared.js';

export interface SqlOptions {
  dialect?: string;
}

export function variantStatements(schemaName: string, dialect: Dialect, namespace?: string): string[] {
  const { ddl } = dialects[dialect];
  const steps = variantSteps(expectedVariant(schemaName, dialect), ddl);
  return [...(namespace ? ddl.useNamespace(namespace) : []), ...steps.flatMap((s) => s.up)];
}

export function sqlCommand(opts: SqlOptions, globals: GlobalOptions, io: Io): number {
  let dialect: Dialect;
  if (opts.dialect !== undefined) {
    if (opts.dialect !== 'postgres' && opts.dialect !== 'mysql') {
      throw new UsageError(`--dialect must be postgres or mysql, got "${opts.dialect}"`);
    }
    dialect = opts.dialect;
  } else {
    dialect = offlineDialect(globals);
  }
  const schema = schemaFor(globals, dialect);
  const statements = variantStatements(schema, dialect, globals.namespace);
  if (io.json) io.emitJson({ dialect, schema, namespace: globals.namespace ?? null, statements });
  else io.out(`-- dbkit sql: schema ${schema}, ${dialect} variant\n\n` + renderScript(statements));
  return 0;
}
