/**
 * The namespace dbkit works in (--namespace, the config file's `namespace`,
 * a target's): a plain identifier, and never one of the server's own
 * (PostgreSQL's pg_catalog or information_schema, MySQL's mysql database...):
 * dbkit would create and alter its tables among the server's. Which names
 * those are is engine knowledge: the dialect's systemNamespace (dialects/<d>/names.ts).
 */
import { UsageError } from '../shared/errors.js';
import type { Dialect } from '../schema/model.js';

export const PLAIN_NAMESPACE = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/**
 * Throws a usage error (exit 2) naming `source` when `namespace` is not a
 * plain identifier or is a system namespace of `dialect` (the dialect's
 * rule, loaded only when a namespace is given).
 */
export async function checkNamespace(namespace: string, dialect: Dialect, source: string): Promise<void> {
  if (!PLAIN_NAMESPACE.test(namespace)) throw new UsageError(`${source} must be a plain identifier, got "${namespace}"`);
  const { dialectFor } = await import('../engines/sql-dialects.js');
  const system = dialectFor(dialect).systemNamespace(namespace);
  if (system) throw new UsageError(`${source} ${namespace}: ${system}; dbkit creates and changes its tables there, so it refuses: give a namespace of your own`);
}
