/**
 * Typed errors that carry their exit code (the table of README.md, "Exit codes"). Commands
 * throw them; only the entry point (src/cli/run.ts) turns them into an exit.
 */
export const ExitCode = {
  ok: 0,
  found: 1,
  usage: 2,
  connect: 3,
  lock: 4,
  sql: 5,
  /** The server is read-only (a hot standby, MySQL/MariaDB read_only): nothing was written. */
  readOnly: 6,
  /** The role lacks a privilege the command needs, or cannot see what it must read: nothing was written. */
  privilege: 7,
  /** Writing the output failed (a full disk, an I/O error): one line on stderr when it still works. */
  output: 8,
  /** `migrate` refused before any statement: the live data would make a pending migration fail or lose rows (the live pre-flight). */
  data: 9,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM: 128 + SIGINT, as shells report it. */
  interrupted: 130,
  /** The reader of stdout went away (`dbkit sql | head -1`): quietly, 128 + SIGPIPE, as a Unix tool killed by SIGPIPE. */
  closedPipe: 141,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class DbkitError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags, bad configuration, or a confirmation that cannot be asked. Exit 2. */
export class UsageError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.usage, options);
  }
}

/**
 * A usage error with several findings (a definition's problems): the
 * message is its one line, then each finding is printed on a line of its own
 * (and listed as `details` in the --json error document). Exit 2.
 */
export class UsageErrors extends UsageError {
  constructor(
    message: string,
    readonly details: readonly string[],
  ) {
    super(message);
  }
}

/** Cannot connect, authenticate or find the database. Exit 3. */
export class ConnectError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.connect, options);
  }
}

/** The migration lock was not acquired in time. Exit 4. */
export class LockError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.lock, options);
  }
}

/** SQL failed while migrating or seeding; the message says what state the database is in. Exit 5. */
export class SqlError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.sql, options);
  }
}

/**
 * The live pre-flight refused the run: rows of the live database would make
 * a pending migration fail (duplicates, orphans, NULLs, values too long) or
 * be lost without --allow-data-loss; counted before its first statement.
 * `json` is what --json adds beside the error (the counts). Exit 9.
 */
export class DataCheckError extends DbkitError {
  constructor(
    message: string,
    readonly json: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.data, options);
  }
}

/** A file dbkit was asked to write (docs --out) could not be written: an I/O error, a place that takes no files. Exit 8. */
export class OutputError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.output, options);
  }
}

/** Stopped by SIGINT or SIGTERM; the message says what was undone. Exit 130. */
export class InterruptedError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.interrupted, options);
  }
}

/** The server is read-only (hot standby, read_only, a read-only default transaction); found before anything was written. Exit 6. */
export class ReadOnlyError extends DbkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.readOnly, options);
  }
}

/** One privilege a role lacks on one object. */
export interface MissingPrivilege {
  /** SELECT, INSERT, CREATE, ..., or "ownership". */
  privilege: string;
  /** The object, qualified as the engine names it: public.dbkit_migrations, schema public, database app, app.*. */
  object: string;
  /** The role (PostgreSQL) or account ('user'@'host', MySQL) the command runs as. */
  role: string;
}

/** The role lacks a privilege, or cannot see what the command must read; found before anything was written. Exit 7. */
export class PrivilegeError extends DbkitError {
  constructor(
    message: string,
    readonly missing: MissingPrivilege[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, ExitCode.privilege, options);
  }
}
