/**
 * Foreign keys are RI triggers in PostgreSQL; `session_replication_role =
 * replica` skips them (and every other ordinary trigger) for a transaction,
 * as pg_restore --disable-triggers does. Only a superuser, or a role granted
 * SET on the parameter, may. The seeder loads (dialects/postgres/bulk.ts)
 * and takes back (src/seed/undo.ts) that way when it may, and checks the
 * foreign keys set-based itself.
 */
export const CAN_SKIP_TRIGGERS =
  "SELECT current_setting('is_superuser') = 'on' OR coalesce(has_parameter_privilege('session_replication_role', 'SET'), false) AS ok";
const CAN_SKIP_TRIGGERS_OLD = "SELECT current_setting('is_superuser') = 'on' AS ok"; // before PostgreSQL 15
export const SKIP_TRIGGERS = 'SET LOCAL session_replication_role = replica';

/** Whether this session may skip RI triggers (asked before the transaction: an error inside would abort it). */
export async function maySkipTriggers(query: (sql: string) => Promise<{ ok: boolean }[]>): Promise<boolean> {
  try {
    return !!(await query(CAN_SKIP_TRIGGERS))[0]?.ok;
  } catch {
    return !!(await query(CAN_SKIP_TRIGGERS_OLD))[0]?.ok;
  }
}
