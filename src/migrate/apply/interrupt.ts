/**
 * Ctrl-C / SIGTERM during `migrate` or `rollback`: no new migration starts,
 * and the statement running when the signal came is cancelled from the
 * lock's own connection (pg_cancel_backend / KILL QUERY), so a migration
 * blocked on a lock stops at once. A migration in a transaction then rolls
 * back; one that runs statement by statement keeps its progress row, and the
 * next run resumes it at the statement that was cancelled.
 */
import type { HeldLock } from '../../port/lock.js';
import type { Exec } from './statements.js';

const SESSION_ID: Record<string, string> = {
  postgres: 'SELECT pg_backend_pid() AS id',
  mysql: 'SELECT CONNECTION_ID() AS id',
};

export class MigrationInterrupt {
  private session: number | null = null;
  /** The migration that was running when the signal came (for the message). */
  current: string | null = null;

  constructor(
    readonly signal: AbortSignal,
    private readonly engine: string,
  ) {}

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /** Throws the interrupt once the signal came. */
  check(): void {
    if (this.signal.aborted) throw this.signal.reason;
  }

  /** Note which migration runs, and on which server session (the one to cancel). */
  async track(name: string, exec: Exec): Promise<void> {
    this.current = name;
    const sql = SESSION_ID[this.engine];
    if (sql) this.session = Number((await exec(sql)).rows[0]?.id);
    // A signal that came while the session was being looked up found nothing to cancel: stop here.
    this.check();
  }

  /** From now until the returned function is called, the signal cancels the tracked session's statement. */
  arm(lock: HeldLock): () => void {
    const cancel = () => {
      if (this.session !== null && lock.cancelQuery) void lock.cancelQuery(this.session).catch(() => undefined);
    };
    this.signal.addEventListener('abort', cancel, { once: true });
    return () => this.signal.removeEventListener('abort', cancel);
  }
}
