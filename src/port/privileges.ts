/**
 * What a pre-flight asks of a dialect (dialects/<engine>/privileges.ts): is
 * the server writable, and what does the role lack on the objects a command
 * is about to read or write. Answers come from the server itself (PostgreSQL:
 * has_*_privilege and pg_catalog, which every role can read; MySQL: probes
 * that check privileges without executing, and SHOW GRANTS), never from a
 * guess: where a dialect cannot tell, it reports nothing missing and the
 * statement itself will say.
 */
import type { MissingPrivilege } from '../shared/errors.js';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';

export interface TableAccess {
  /** false: the table is not there; null: the role cannot tell (MySQL hides tables a role has no privilege on). */
  exists: boolean | null;
  /** What the role lacks of the privileges asked for (nothing for an absent table). */
  missing: MissingPrivilege[];
}

export interface PrivilegeProbe {
  /** The role as the engine names it: `app_ro` (PostgreSQL), `'app'@'%'` (MySQL). */
  role: string;
  /** "role app_ro" / "user 'app'@'%'", for messages. */
  who: string;
  /** Why the server accepts no writes (a hot standby, read_only=ON), or null when it does. */
  readOnly(): Promise<string | null>;
  /** What the role lacks to use the namespace at all (PostgreSQL: USAGE on the schema). */
  namespaceUsage(): Promise<MissingPrivilege[]>;
  /** Each table's existence and what the role lacks of `privileges` on it. */
  tables(names: string[], privileges: TablePrivilege[]): Promise<Map<string, TableAccess>>;
  /** What the role lacks to create the tables `names` in the namespace and then read and write them. */
  createTables(names: string[]): Promise<MissingPrivilege[]>;
  /** What the role lacks to drop the existing tables `names`. */
  dropTables(names: string[]): Promise<MissingPrivilege[]>;
}
