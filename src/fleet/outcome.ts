/**
 * What became of each target, as plain data for the renderers: its status
 * word, exit code, time, the migrations it applied (migrate) or the
 * command's own result (status, diff, check-indexes), and its error.
 */
export type FleetCommandName = 'migrate' | 'status' | 'diff' | 'check-indexes';

/** Statuses a target can end in; which ones a command uses is STATUSES[command]. */
export type TargetStatus =
  | 'applied'
  | 'up to date'
  | 'behind'
  | 'clean'
  | 'drift'
  | 'ok'
  | 'problems'
  | 'failed'
  | 'skipped'
  | 'not started';

/**
 * Per command: the status of a target whose command ran and found all well,
 * the one where it ran and found something (exit 1; migrate: applied
 * migrations), then the ones every command shares.
 */
export const STATUSES: Record<FleetCommandName, TargetStatus[]> = {
  migrate: ['applied', 'up to date', 'failed', 'skipped', 'not started'],
  status: ['up to date', 'behind', 'failed', 'skipped', 'not started'],
  diff: ['clean', 'drift', 'failed', 'skipped', 'not started'],
  'check-indexes': ['ok', 'problems', 'failed', 'skipped', 'not started'],
};

export interface AppliedMigration {
  name: string;
  /** How long its statements took (its transaction's commit aside), in milliseconds. */
  ms: number | null;
}

export interface TargetError {
  message: string;
  exitCode: number;
}

export interface TargetOutcome {
  name: string;
  tags: string[];
  /** The URL with its password masked; null when it could not be had (an unset environment variable). */
  url: string | null;
  engine: string | null;
  schema: string | null;
  namespace: string | null;
  status: TargetStatus;
  /** The exit code a single run of the command would have had; null when it did not run. */
  exitCode: number | null;
  /** Wall time of the target, connecting included; null when it did not run. */
  ms: number | null;
  /** migrate: the migrations applied, in order. */
  migrations?: AppliedMigration[];
  /** migrate --accept-changed: what was accepted. */
  accepted?: unknown[];
  /** status, diff, check-indexes: the command's own --json document, without the fields hoisted above. */
  result?: Record<string, unknown>;
  warnings: string[];
  error: TargetError | null;
}

/** Fields of a command's JSON document that describe where it ran (hoisted into the outcome). */
export const WHERE_FIELDS = ['dialect', 'engine', 'schema', 'namespace', 'url'] as const;

/** The status of a target whose command returned `exitCode` with document `doc` (it did not throw). */
export function statusOf(command: FleetCommandName, exitCode: number, doc: Record<string, unknown> | null): TargetStatus {
  if (!doc) return 'failed';
  switch (command) {
    case 'migrate':
      if (exitCode !== 0) return 'failed';
      return Array.isArray(doc.migrations) && doc.migrations.length ? 'applied' : 'up to date';
    case 'status':
      return doc.upToDate === true ? 'up to date' : 'behind';
    case 'diff':
      return doc.clean === true ? 'clean' : 'drift';
    case 'check-indexes':
      return doc.ok === true ? 'ok' : 'problems';
  }
}

/** Whether a target counts as a failure for --on-error and --canary: it could not do its work. */
export const isFailure = (o: TargetOutcome): boolean => o.status === 'failed';

/** `up to date` -> `upToDate`, for JSON keys. */
export const statusKey = (s: TargetStatus): string => s.replace(/ ([a-z])/g, (_, c: string) => c.toUpperCase());
