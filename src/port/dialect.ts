/**
 * The SQL half of the engine port: what a dialect (PostgreSQL, MySQL) says
 * and how it reads its own catalog. Each dialects/<d>/port-sql.ts fills one;
 * the core receives it (from a session's engine, or from the composition
 * root, src/engines/) and never asks which dialect it is on. Cheap members
 * are plain values; what needs a heavy module loads it on first use.
 */
import type { StatementReader } from '../lint/reader.js';
import type { EngineBounds } from './bounds.js';
import type { DataRules } from './data-check.js';
import type { LockWaits } from './lock-wait.js';
import type { SeedSql } from './seed.js';
import type { TextTypes } from '../plan/type-change.js';
import type { PlanDialect } from '../plan/types.js';
import type { DdlEmitter } from '../schema/ddl.js';
import type { DbSchema, Dialect } from '../schema/model.js';
import type { DialectNormalizer } from '../schema/normalize.js';
import type { VariantRules } from '../schema/variant.js';
import type { Sql } from './sql.js';

/** One query for the names in a namespace a migration could collide with: rows of kind, parent, name; `params` times the namespace bound. */
export interface CatalogNames {
  sql: string;
  params: number;
}

export interface SqlDialect {
  readonly name: Dialect;
  /** Its name in messages: PostgreSQL, MySQL. */
  readonly label: string;
  /** How a neutral definition becomes this dialect's physical variant. */
  readonly rules: VariantRules;
  /** The DDL that builds a variant (dbkit sql, the frozen migrations' first steps). */
  readonly ddl: DdlEmitter;
  /** The dialect's spellings, for the normalizer both sides of a comparison go through. */
  readonly normalizer: DialectNormalizer;
  /** A script of its DDL can run in one transaction (PostgreSQL; MySQL commits each DDL statement). */
  readonly scriptsInTransaction: boolean;
  /** What its text types hold (type-change risks, the data pre-flight). */
  readonly textTypes: TextTypes;
  /** Tables are named with their namespace (PostgreSQL's schemas); MySQL's session is in its database. */
  readonly qualifiesTables: boolean;
  /** How Knex and messages name a table of the namespace: `ns.t` (PostgreSQL), `t` (MySQL). */
  tableRef(namespace: string, table: string): string;
  /** Why dbkit may not work in this namespace (a system schema or database of the engine), or null. */
  systemNamespace(name: string): string | null;
  /** A statement with `?` placeholders as the driver takes it (PostgreSQL: $1, $2, ...). */
  placeholders(sql: string): string;
  /** The names in a namespace a migration could collide with (src/migrate/apply/catalog.ts). */
  readonly catalogNames: CatalogNames;
  /** Its migrations build indexes CONCURRENTLY (PostgreSQL): a build can outlive a killed run, or leave an INVALID index. */
  readonly buildsIndexesConcurrently: boolean;
  /** A table's name is also its row type's (PostgreSQL): a type of that name collides with it. */
  readonly tablesHaveRowTypes: boolean;
  /** Whether a table exists (`?`: the namespace, the table), as `present`. */
  readonly tableExistsSql: string;
  /** An identifier, quoted. */
  quote(name: string): string;
  /** How a migration statement's lock and run time are bounded (SET lock_timeout / innodb_lock_wait_timeout ...). */
  readonly bounds: EngineBounds;
  /** How a transaction's waits for other sessions' table locks are bounded and explained. */
  readonly lockWaits: LockWaits;
  /** The SQL seeding and taking a run back need. */
  readonly seedSql: SeedSql;
  /** What the data pre-flight must know of its types and statements. */
  readonly dataRules: DataRules;
  /** The dialect as the planner sees it (renderers, risks), loaded on first use (make, diff --sql). */
  planner(): Promise<PlanDialect>;
  /** Read the live schema of one namespace (a constant number of catalog queries). */
  introspect(sql: Sql, namespace: string): Promise<DbSchema>;
  /** The lint's statement reader (PostgreSQL: the server's grammar through libpg-query, loaded on first use). */
  lintReader(): Promise<StatementReader>;
}
