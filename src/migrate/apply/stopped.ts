/**
 * Where a run stopped (a statement failed, a signal came), told truthfully:
 * what of the running migration is in the database is read from the live
 * catalog (the operations of its statements against the catalog, as a
 * resumed run decides: recovery.ts), never assumed from how far the run got.
 * A migration in a transaction was rolled back by the server; one that runs
 * statement by statement is checked: the statements before the stopped one's
 * group, and that group.
 */
import { decideAt, statementGroups, type ExecutionContext, type Running } from './execute.js';
import type { Decision } from './recovery.js';
import type { LoadedMigration } from '../folder/source.js';

/** How long the check may take before the message goes without it. */
const CHECK_MS = 15_000;

const range = (from: number, to: number): string => (from === to ? `statement ${from}` : `statements ${from}-${to}`);
const is = (from: number, to: number): string => `${range(from, to)} ${from === to ? 'is' : 'are'}`;
/** `statement 1 of it is in the database`, `statements 1-2 of it are in the database`. */
const inDatabase = (from: number, to: number): string => `${range(from, to)} of it ${from === to ? 'is' : 'are'} in the database`;

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms).unref())]);

/** The sentence after "stopped at statement N of M", checked against the catalog. */
async function checked(m: LoadedMigration, r: Running, ctx: ExecutionContext): Promise<string> {
  const meta = m.meta[r.direction];
  const runs = `${r.direction === 'up' ? 'it' : 'its rollback'} runs statement by statement, DDL commits as it goes`;
  const groups = statementGroups(meta.statementOperations, r.of);
  const g = groups.find((x) => x.start <= r.statement && r.statement < x.end) ?? { start: r.statement, end: r.statement + 1 };
  const hasOps = (start: number, end: number) => meta.statementOperations.slice(start, end).some((ops) => ops.length > 0);
  if (!hasOps(0, g.end)) {
    const ran = r.statement ? `${range(1, r.statement)} of it ran without error before it; ` : '';
    return `${ran}its statements have no operations dbkit can check against the catalog (a hand-written migration) (${runs}) and a re-run runs statement ${g.start + 1} again`;
  }
  let before: Decision = { kind: 'done' };
  let now: Decision;
  try {
    if (g.start > 0 && hasOps(0, g.start)) before = await within(decideAt(m, r.direction, 0, g.start, ctx), CHECK_MS);
    now = await within(decideAt(m, r.direction, g.start, g.end, ctx), CHECK_MS);
  } catch (err) {
    return `whether statement ${r.statement + 1} took effect could not be checked against the catalog (${(err as Error).message}) (${runs}); a re-run checks it before it goes on`;
  }
  const prefix = g.start === 0 ? '' : before.kind === 'done' ? `${inDatabase(1, g.start)}, ` : null;
  if (prefix === null) {
    const found = before.kind === 'unknown' ? `: ${before.found}` : '';
    return `the catalog does not show all of statements 1-${g.start}, which ran before it${found} (${runs}); a re-run stops there and says what it finds`;
  }
  const note = ` (checked against the catalog; ${runs})`;
  switch (now.kind) {
    case 'run':
      return g.start === 0
        ? `none of its statements had taken effect${note} and a re-run resumes at statement 1`
        : `${prefix}${is(g.start + 1, g.end)} not${note} and a re-run resumes at statement ${g.start + 1}`;
    case 'done':
      return `${inDatabase(1, g.end)}${note}${g.end < r.of ? ` and a re-run resumes at statement ${g.end + 1}` : ' and a re-run records it'}`;
    case 'partly': {
      const upTo = g.start + now.next;
      return `${inDatabase(1, upTo)} (index ${now.index} is built)${note} and a re-run resumes at statement ${upTo + 1}`;
    }
    case 'rebuild_index':
      return `${prefix}statement ${g.start + 1} left the index ${now.index} INVALID${note}; a re-run drops it and builds it again`;
    case 'unknown':
      return `${prefix}the catalog shows neither the state before statement ${g.start + 1} nor after it (${now.found})${note}; a re-run stops there and says so`;
  }
}

/** "migration X stopped at statement N of M; <what is in the database>", for the run's error. */
export async function stoppedState(r: Running, migrations: readonly LoadedMigration[], ctx: ExecutionContext): Promise<string> {
  const verb = r.direction === 'up' ? 'migration' : 'the rollback of';
  const at = `${verb} ${r.name} stopped at statement ${r.statement + 1} of ${r.of}`;
  if (r.transactional) return `${at}; it was rolled back (each migration runs in its own transaction)`;
  const m = migrations.find((x) => x.name === r.name);
  if (!m) return at;
  return `${at}; ${await checked(m, r, ctx)}`;
}
