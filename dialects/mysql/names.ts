/**
 * Names as MySQL / MariaDB take them: what a definition's names may not be
 * (src/schema/validate.ts asks through the variant rules), and the system
 * databases dbkit never works in (src/config/namespace.ts).
 */

/**
 * Why MySQL would take `name` (a table, column, index) other than as
 * written, or null. MySQL refuses names that end with a space ("Database,
 * table, and column names cannot end with space characters") and allows in
 * quoted identifiers only characters of the Basic Multilingual Plane
 * (U+0001 to U+FFFF).
 */
export function mysqlNameProblem(name: string): string | null {
  if (/\s$/u.test(name)) return 'MySQL refuses a name that ends with a space';
  const beyond = [...name].find((ch) => ch.codePointAt(0)! > 0xffff);
  if (beyond !== undefined) return `MySQL allows only characters up to U+FFFF in names (it holds U+${beyond.codePointAt(0)!.toString(16).toUpperCase()})`;
  return null;
}

/** The server's own databases: its accounts and grants, the catalog views, the instrumentation, the sys views. */
const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];

/**
 * Why `name` is a database of the server itself and no place for dbkit's
 * tables, or null. Compared without case (information_schema answers to any
 * case, and with lower_case_table_names the others do too).
 */
export function mysqlSystemNamespace(name: string): string | null {
  const lower = name.toLowerCase();
  return SYSTEM_DATABASES.includes(lower) ? `${lower} is a system database of MySQL/MariaDB (${SYSTEM_DATABASES.join(', ')})` : null;
}
