/**
 * The pre-flight on PostgreSQL: whether the server takes writes (a hot
 * standby, a read-only default transaction) and what the role lacks. Every
 * role can read pg_catalog, so existence is never hidden; has_*_privilege
 * and pg_has_role answer for inherited roles and PUBLIC as the server will.
 */
import type { MissingPrivilege } from '../../src/shared/errors.js';
import type { PrivilegeProbe, TableAccess, TablePrivilege } from '../../src/port/privileges.js';
import type { Sql } from '../../src/port/sql.js';

export const READ_ONLY_SQL = `SELECT pg_is_in_recovery() AS recovery,
       current_setting('default_transaction_read_only') AS default_read_only,
       current_setting('transaction_read_only') AS read_only`;

export const ROLE_SQL = `SELECT current_user AS role, current_database() AS database,
       has_database_privilege(current_database(), 'CREATE') AS database_create,
       (SELECT has_schema_privilege(n.oid, 'USAGE') FROM pg_catalog.pg_namespace n WHERE n.nspname = ?) AS schema_usage,
       (SELECT has_schema_privilege(n.oid, 'CREATE') FROM pg_catalog.pg_namespace n WHERE n.nspname = ?) AS schema_create`;

const PRIVILEGES: readonly TablePrivilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'];

/** Tables of a namespace by name, with the role's privileges on each and whether it may act as their owner. */
export const tablesSql = (count: number): string => `SELECT c.relname AS name,
       ${PRIVILEGES.map((p) => `has_table_privilege(c.oid, '${p}') AS "${p}"`).join(',\n       ')},
       pg_has_role(c.relowner, 'USAGE') AS owned, pg_get_userbyid(c.relowner) AS owner
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND c.relname IN (${Array.from({ length: count }, () => '?').join(', ')})`;

interface RoleRow {
  role: string;
  database: string;
  database_create: boolean;
  schema_usage: boolean | null;
  schema_create: boolean | null;
}

type TableRow = { name: string; owned: boolean; owner: string } & Record<TablePrivilege, boolean>;

/** Why a PostgreSQL server takes no writes, or null. */
export async function postgresReadOnly(sql: Sql): Promise<string | null> {
  const [r] = await sql.query<{ recovery: boolean; default_read_only: string; read_only: string }>(READ_ONLY_SQL);
  if (r?.recovery) return 'a hot standby: pg_is_in_recovery() is true';
  if (r?.default_read_only === 'on') return 'default_transaction_read_only is on';
  if (r?.read_only === 'on') return 'transaction_read_only is on';
  return null;
}

export async function postgresProbe(sql: Sql, namespace: string): Promise<PrivilegeProbe> {
  const [who] = await sql.query<RoleRow>(ROLE_SQL, [namespace, namespace]);
  const role = who!.role;
  const lack = (privilege: string, object: string): MissingPrivilege => ({ privilege, object, role });
  const exists = who!.schema_usage !== null;
  const qualified = (t: string) => `${namespace}.${t}`;

  async function rows(names: string[]): Promise<Map<string, TableRow>> {
    if (!names.length || !exists) return new Map();
    const found = await sql.query<TableRow>(tablesSql(names.length), [namespace, ...names]);
    return new Map(found.map((r) => [r.name, r]));
  }

  return {
    role,
    who: `role ${role}`,
    readOnly: () => postgresReadOnly(sql),
    async namespaceUsage() {
      return exists && !who!.schema_usage ? [lack('USAGE', `schema ${namespace}`)] : [];
    },
    async tables(names, privileges) {
      const found = await rows(names);
      const out = new Map<string, TableAccess>();
      for (const name of names) {
        const r = found.get(name);
        out.set(name, {
          exists: !!r,
          missing: r ? privileges.filter((p) => !r[p]).map((p) => lack(p, qualified(name))) : [],
        });
      }
      return out;
    },
    async createTables() {
      // Tables a role creates are its own: creating is the only privilege it needs.
      if (!exists) return who!.database_create ? [] : [lack('CREATE', `database ${who!.database}`)];
      return who!.schema_create ? [] : [lack('CREATE', `schema ${namespace}`)];
    },
    async dropTables(names) {
      const found = await rows(names);
      // DROP TABLE is the owner's (or a member of the owning role's) alone.
      return names
        .map((n) => found.get(n))
        .filter((r): r is TableRow => !!r && !r.owned)
        .map((r) => lack(`ownership (owner: ${r.owner})`, qualified(r.name)));
    },
  };
}
