/**
 * The definition the runtime compares with and builds: the snapshot, i.e.
 * the definition as of the newest migration (migrations/<schema>/), or as
 * of migration `at`. It is data (no build), and always exactly what the
 * migrations produce; `dbkit check` keeps it equal to src/schema/ in CI.
 */
import { dialectFor } from '../../engines/sql-dialects.js';
import type { SchemaDef } from '../../schema/definition.js';
import type { DbSchema, Dialect } from '../../schema/model.js';
import { schemas } from '../../schema/registry.js';
import { resolveSchema } from '../../schema/resolve.js';
import { migrationsRoot } from '../../shared/paths.js';
import { readSnapshot } from './folder.js';

export function runtimeDefinition(schemaName: string, at?: string): SchemaDef {
  const def = schemas[schemaName];
  if (!def) throw new Error(`unknown schema ${schemaName}`);
  // Keyed by the migrations folder too: one process (an in-process test) may work on several checkouts.
  const root = migrationsRoot();
  const key = `${root}\0${schemaName}@${at ?? ''}`;
  let found = snapshots.get(key);
  if (!found) snapshots.set(key, (found = readSnapshot(schemaName, { name: def.name, native: def.native }, at, root)));
  return found;
}
const snapshots = new Map<string, SchemaDef>();

/** The expected physical variant of a schema on a dialect (of the snapshot; see runtimeDefinition). */
export function expectedVariant(schemaName: string, dialect: Dialect, at?: string): DbSchema {
  return resolveSchema(runtimeDefinition(schemaName, at), dialectFor(dialect).rules);
}
