/**
 * The pre-flight on MySQL/MariaDB: whether the server takes writes, what the
 * account lacks, and what information_schema hides from it.
 *
 * - Read-only: read_only, super_read_only (MySQL), innodb_read_only, or a
 *   read-only session (transaction_read_only / tx_read_only). read_only
 *   counts even for an account allowed to write through it (SUPER, READ_ONLY
 *   ADMIN): writing to a replica is the mistake to prevent.
 * - Table privileges on existing tables are probed: SELECT ... LIMIT 0, and
 *   EXPLAIN of an INSERT, UPDATE or DELETE, which checks privileges like the
 *   statement and executes nothing. What cannot be probed without doing it
 *   (CREATE, DROP, rights on tables not created yet) is read from SHOW GRANTS
 *   (grants.ts), and only a certain "no" counts.
 * - information_schema lists only tables the account has some privilege on,
 *   and MariaDB shows a table's constraints (TABLE_CONSTRAINTS,
 *   REFERENTIAL_CONSTRAINTS: its foreign keys) only to an account with a
 *   privilege beyond SELECT on it, while KEY_COLUMN_USAGE still lists their
 *   columns: a constraint listed there and not in TABLE_CONSTRAINTS is hidden.
 */
import type { MissingPrivilege } from '../../src/shared/errors.js';
import type { PrivilegeProbe, TableAccess, TablePrivilege } from '../../src/port/privileges.js';
import type { Sql } from '../../src/port/sql.js';
import { holds, parseGrants, type Grants } from './grants.js';
import { ident } from './quote.js';

export const READ_ONLY_SQL =
  "SHOW VARIABLES WHERE Variable_name IN ('read_only', 'super_read_only', 'innodb_read_only', 'transaction_read_only', 'tx_read_only')";

/** Constraints KEY_COLUMN_USAGE lists, and those TABLE_CONSTRAINTS shows: the difference is what is hidden. */
export const KEY_CONSTRAINTS_SQL =
  'SELECT DISTINCT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ?';
export const TABLE_CONSTRAINTS_SQL =
  'SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ?';

const FIRST_COLUMNS_SQL = (count: number) =>
  `SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND ORDINAL_POSITION = 1 AND TABLE_NAME IN (${Array.from({ length: count }, () => '?').join(', ')})`;

/** Server error numbers: no privilege on the table / a column of it; no such table. */
const DENIED = new Set([1142, 1143]);
const NO_SUCH_TABLE = 1146;

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v ?? ''));

const VARIABLE_REASON: Record<string, string> = {
  read_only: 'read_only',
  super_read_only: 'super_read_only',
  innodb_read_only: 'innodb_read_only',
  transaction_read_only: 'transaction_read_only (this session)',
  tx_read_only: 'tx_read_only (this session)',
};

/** Why a MySQL/MariaDB server takes no writes, or null. */
export async function mysqlReadOnly(sql: Sql): Promise<string | null> {
  const rows = await sql.query<{ Variable_name: unknown; Value: unknown }>(READ_ONLY_SQL);
  const on = new Map(rows.map((r) => [text(r.Variable_name).toLowerCase(), text(r.Value).toUpperCase()]));
  for (const name of Object.keys(VARIABLE_REASON)) {
    const value = on.get(name);
    if (value !== undefined && value !== 'OFF' && value !== '0') return `${VARIABLE_REASON[name]}=${value}`;
  }
  return null;
}

/** 'user@host' (CURRENT_USER()) as GRANT spells it: 'user'@'host'. */
export function accountName(currentUser: string): string {
  const at = currentUser.lastIndexOf('@');
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  return at < 0 ? q(currentUser) : `${q(currentUser.slice(0, at))}@${q(currentUser.slice(at + 1))}`;
}

/** Tables of `db` whose constraints the account cannot see (MariaDB, privileges of SELECT only). */
export async function hiddenConstraintTables(sql: Sql, db: string): Promise<string[]> {
  const [keys, shown] = await Promise.all([
    sql.query<{ TABLE_NAME: unknown; CONSTRAINT_NAME: unknown }>(KEY_CONSTRAINTS_SQL, [db]),
    sql.query<{ TABLE_NAME: unknown; CONSTRAINT_NAME: unknown }>(TABLE_CONSTRAINTS_SQL, [db]),
  ]);
  const seen = new Set(shown.map((r) => `${text(r.TABLE_NAME)}\0${text(r.CONSTRAINT_NAME)}`));
  const hidden = new Set(keys.filter((r) => !seen.has(`${text(r.TABLE_NAME)}\0${text(r.CONSTRAINT_NAME)}`)).map((r) => text(r.TABLE_NAME)));
  return [...hidden].sort();
}

type Probe = 'ok' | 'denied' | 'absent' | 'unknown';

/** Unknown column: the table changed under the probe (another run creating it); no answer. */
const BAD_FIELD = 1054;

async function attempt(sql: Sql, statement: string): Promise<Probe> {
  try {
    await sql.query(statement);
    return 'ok';
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if (errno !== undefined && DENIED.has(errno)) return 'denied';
    if (errno === NO_SUCH_TABLE) return 'absent';
    if (errno === BAD_FIELD) return 'unknown';
    throw err;
  }
}

export async function mysqlProbe(sql: Sql, db: string): Promise<PrivilegeProbe> {
  const [who] = await sql.query<{ account: unknown; version: unknown }>('SELECT CURRENT_USER() AS account, VERSION() AS version');
  const role = accountName(text(who?.account));
  const mariadb = /mariadb/i.test(text(who?.version));
  const lack = (privilege: string, object: string): MissingPrivilege => ({ privilege, object, role });
  let grants: Grants | undefined;
  const showGrants = async (): Promise<Grants> => {
    if (!grants) {
      const rows = await sql.query<Record<string, unknown>>('SHOW GRANTS');
      grants = parseGrants(rows.map((r) => text(Object.values(r)[0])));
    }
    return grants;
  };
  // Only a certain "no" is missing; MariaDB lists the active role's grants, MySQL 8 does not.
  const lacks = async (privilege: string, table = '*') => holds(await showGrants(), privilege, db, table, { rolesListed: mariadb }) === 'no';

  async function firstColumns(names: string[]): Promise<Map<string, string>> {
    const rows = await sql.query<{ TABLE_NAME: unknown; COLUMN_NAME: unknown }>(FIRST_COLUMNS_SQL(names.length), [db, ...names]);
    return new Map(rows.map((r) => [text(r.TABLE_NAME), text(r.COLUMN_NAME)]));
  }

  return {
    role,
    who: `user ${role}`,
    readOnly: () => mysqlReadOnly(sql),
    // Connecting with the database selected proved some privilege on it.
    namespaceUsage: async () => [],
    async tables(names, privileges) {
      const columns = privileges.includes('UPDATE') ? await firstColumns(names) : new Map<string, string>();
      const out = new Map<string, TableAccess>();
      for (const name of names) {
        const t = ident(name);
        // UPDATE needs a column to set; a table created since the column query is asked again.
        const column = async () => columns.get(name) ?? (await firstColumns([name])).get(name);
        const statements: Record<Exclude<TablePrivilege, 'TRUNCATE'>, () => Promise<string | undefined>> = {
          SELECT: async () => `SELECT 1 FROM ${t} LIMIT 0`,
          INSERT: async () => `EXPLAIN INSERT INTO ${t} () VALUES ()`,
          UPDATE: async () => {
            const c = await column();
            return c === undefined ? undefined : `EXPLAIN UPDATE ${t} SET ${ident(c)} = NULL`;
          },
          DELETE: async () => `EXPLAIN DELETE FROM ${t}`,
        };
        let exists: boolean | null = null;
        const missing: MissingPrivilege[] = [];
        for (const p of privileges) {
          if (p === 'TRUNCATE') {
            // TRUNCATE TABLE needs DROP on MySQL.
            if (await lacks('DROP', name)) missing.push(lack('DROP', `${db}.${name}`));
            continue;
          }
          const statement = await statements[p]();
          const result = statement === undefined ? 'unknown' : await attempt(sql, statement);
          if (result === 'unknown') continue; // cannot tell: not counted as missing
          if (result === 'absent') {
            exists = false;
            break;
          }
          if (result === 'ok') exists = true;
          else missing.push(lack(p, `${db}.${name}`));
        }
        out.set(name, { exists, missing: exists === false ? [] : missing });
      }
      return out;
    },
    async createTables(names) {
      const missing: MissingPrivilege[] = [];
      if (await lacks('CREATE')) missing.push(lack('CREATE', `${db}.*`));
      // MySQL gives the creator of a table no rights on it: they come from grants on the database.
      for (const name of names) {
        for (const p of ['SELECT', 'INSERT', 'UPDATE', 'DELETE']) if (await lacks(p, name)) missing.push(lack(p, `${db}.${name}`));
      }
      return missing;
    },
    async dropTables(names) {
      const missing: MissingPrivilege[] = [];
      for (const name of names) if (await lacks('DROP', name)) missing.push(lack('DROP', `${db}.${name}`));
      return missing;
    },
  };
}
