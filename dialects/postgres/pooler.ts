/**
 * Is there a transaction (or statement) pooler such as PgBouncer between
 * dbkit and PostgreSQL? Such a pooler gives a client connection a server
 * connection only for one transaction at a time, so session state (a
 * session-level advisory lock, SET search_path) lands on a server
 * connection that then serves other clients.
 *
 * The probe: ask for the backend pid on one client connection, then on a
 * second one, then on the first again. Without a pooler (or with session
 * pooling) each client keeps its own backend: the first and third answers
 * are equal and the second differs. A transaction pooler shows itself by
 * two clients getting the same backend (PgBouncer hands out the most recently
 * used server connection) or one client getting two. A pooler that happened
 * to look like sessions in every round goes unnoticed; dbkit's lock does not
 * depend on this answer (see lock.ts), only its refusals and its cancels do.
 */
import type pg from 'pg';

const BACKEND_PID = 'SELECT pg_backend_pid() AS pid';

export interface PoolerProbe {
  pooled: boolean;
  /** What was seen, for --verbose: `backend 101 served two client connections`. */
  evidence: string;
}

const pidOf = async (client: pg.Client): Promise<number> => Number((await client.query<{ pid: number }>(BACKEND_PID)).rows[0]?.pid);

/**
 * Probe with `a` (an open client, left open and outside a transaction) and a
 * second client opened by `openOther` (closed here). Three rounds at most.
 */
export async function probePooler(a: pg.Client, openOther: () => Promise<pg.Client>, rounds = 3): Promise<PoolerProbe> {
  const b = await openOther();
  try {
    for (let i = 0; i < rounds; i++) {
      const a1 = await pidOf(a);
      const b1 = await pidOf(b);
      if (b1 === a1) return { pooled: true, evidence: `backend ${a1} served two client connections` };
      const a2 = await pidOf(a);
      if (a2 !== a1) return { pooled: true, evidence: `one client connection was served by backends ${a1} and ${a2}` };
    }
    return { pooled: false, evidence: 'each client connection kept its own backend' };
  } finally {
    await b.end().catch(() => undefined);
  }
}
