/**
 * PostgreSQL's bounds on a migration's statements (src/migrate/limits.ts):
 * `lock_timeout` (how long a statement queues for its table's lock, and so
 * how long every query queued behind it waits) and `statement_timeout`.
 * In a transaction they are SET LOCAL (gone at its end); statement by
 * statement, session settings, reset after.
 */
import type { EngineBounds } from '../../src/migrate/bounds.js';

const scope = (inTransaction: boolean): string => (inTransaction ? 'SET LOCAL' : 'SET');

/** Statements that let reads and writes go on however long they run. */
const ONLINE = /^(CREATE (UNIQUE )?INDEX CONCURRENTLY |DROP INDEX CONCURRENTLY |ALTER TABLE .+ VALIDATE CONSTRAINT )/s;

export const postgresBounds: EngineBounds = {
  lockSetting: 'lock_timeout',
  lockWaitMs: (ms) => ms,
  setLock: (ms, tx) => [{ sql: `${scope(tx)} lock_timeout = '${Math.round(ms)}ms'` }],
  setStatement: (ms, tx) => [{ sql: `${scope(tx)} statement_timeout = '${Math.round(ms)}ms'` }],
  reset: () => [{ sql: 'RESET lock_timeout' }, { sql: 'RESET statement_timeout' }],
  unknownSetting: (err) => code(err) === '42704',
  runsOnline: (sql) => ONLINE.test(sql),
  lockTimedOut: (err) => code(err) === '55P03',
  // 57014 is also a cancel on request (Ctrl-C): only the timeout says so.
  statementTimedOut: (err) => code(err) === '57014' && /statement timeout/i.test((err as Error).message ?? ''),
};

function code(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}
