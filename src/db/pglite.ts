/**
 * The embedded database: take its lock file, open PGlite (dialects/pglite/
 * open.ts), and give SQL through PGlite itself, with Knex on top only for
 * the commands that migrate. Failures become ConnectError (exit 3) or
 * LockError (exit 4), each one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import { ConnectError, LockError } from '../shared/errors.js';
import type { Config } from '../config/load.js';
import type { Releasable } from '../port/lock.js';
import { acquireFileLock, fileLockHolder, LockPathError } from '../../dialects/pglite/file-lock.js';
import { loadKnexModules, pgliteKnex } from '../../dialects/pglite/knex-client.js';
import { compilePglite, DataDirError, openPglite } from '../../dialects/pglite/open.js';
import { makeDirectories } from '../shared/dirs.js';
import { annotate } from './driver-errors.js';
import { numbered, type Sql } from './sql.js';

type Debug = (t: string) => void;

/** An open embedded database. */
export interface Embedded {
  db: PGlite;
  sql: Sql;
  close(): Promise<void>;
}

/** PGlite's file system (Emscripten) throws ErrnoError objects with a number and no message. */
const EMSCRIPTEN_ERRNO: Record<number, string> = {
  2: 'permission denied (EACCES)',
  20: 'a file is in the way (EEXIST)',
  31: 'is a directory (EISDIR)',
  44: 'no such file or directory (ENOENT)',
  54: 'not a directory (ENOTDIR)',
  69: 'read-only file system (EROFS)',
};

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errno?: number; name?: string };
  if (!e.message && e.name === 'ErrnoError') return EMSCRIPTEN_ERRNO[e.errno ?? -1] ?? `file system error ${e.errno}`;
  const msg = e.message || String(err);
  return e.code && !msg.includes(e.code) ? `${msg} (${e.code})` : msg;
}

const openError = (config: Config, err: unknown) =>
  err instanceof DataDirError
    ? new ConnectError(err.message, { cause: err })
    : new ConnectError(`cannot open the embedded database ${config.target.display}: ${describe(err)}`, { cause: err });

/**
 * The default `.dbkit/` folder gets a .gitignore of its own, so the embedded
 * database never shows as untracked. A directory named by --url is the
 * user's to place: nothing is written beside it but its lock file.
 */
function ignoreEmbeddedDir(dir: string): void {
  const parent = path.dirname(dir);
  if (path.basename(parent) !== '.dbkit') return;
  const ignore = path.join(parent, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

/** Why a directory or file cannot be made where the embedded database is to be: by errno, in words. */
const CANNOT_MAKE: Record<string, string> = {
  ENOENT: 'the file system there takes no new files or directories',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/**
 * The embedded database's directory (and its lock file beside it) cannot
 * be made there: one line saying where and why (`pglite:/proc/x` gave
 * Node's raw `ENOENT ... '/proc/x.lock.4177'`). Exit 3.
 */
function placeError(config: Config, dir: string, err: unknown): ConnectError {
  const e = err as NodeJS.ErrnoException;
  if (!e.code || e instanceof LockPathError) return openError(config, err);
  const why = CANNOT_MAKE[e.code] ? `${CANNOT_MAKE[e.code]} (${e.code})` : describe(err);
  return new ConnectError(
    `cannot open the embedded database ${config.target.display}: its directory ${dir} and lock file cannot be made in ${path.dirname(dir)}: ${why}; give a directory dbkit can create and write in`,
    { cause: err },
  );
}

/** PGlite is one process's database: take its lock file before opening it. */
async function lockEmbedded(config: Config): Promise<Releasable | null> {
  const dir = config.target.pgliteDir;
  if (!dir) return null;
  let lock: Releasable | null;
  try {
    makeDirectories(path.dirname(dir));
    ignoreEmbeddedDir(dir);
    lock = await acquireFileLock(`${dir}.lock`, config.lockTimeoutMs);
  } catch (err) {
    // Not a directory dbkit can create and write in (a file in the way, a read-only place, no permission).
    throw placeError(config, dir, err);
  }
  if (!lock) {
    const pid = fileLockHolder(`${dir}.lock`);
    throw new LockError(
      `the embedded database ${config.target.display} is in use by another dbkit process${pid ? ` (pid ${pid})` : ''}; gave up after ${config.lockTimeoutMs / 1000}s (--lock-timeout)`,
    );
  }
  return lock;
}

/** SQL on PGlite itself, `?` placeholders as everywhere else. */
function pgliteSql(db: PGlite, debug: Debug): Sql {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      debug(`sql: ${sql}`);
      try {
        return (await db.query<T>(numbered(sql), params as unknown[])).rows;
      } catch (err) {
        throw annotate(err, sql);
      }
    },
    native: { engine: 'pglite', db },
  };
}

export interface EmbeddedOptions {
  debug?: Debug;
  /** Knex will be wanted (migrations): load it while the database opens. */
  knex?: boolean;
}

/** Open the configured embedded database (the caller closes it). */
export async function openEmbedded(config: Config, opts: EmbeddedOptions = {}): Promise<Embedded> {
  const debug = opts.debug ?? (() => undefined);
  const { target } = config;
  void compilePglite().catch(() => undefined); // starts now; openPglite reports its failure
  if (opts.knex) void loadKnexModules().catch(() => undefined); // embeddedKnex reports its failure
  const fileLock = await lockEmbedded(config);
  let db: PGlite;
  try {
    db = await openPglite({ dir: target.pgliteDir ?? null, display: target.display, debug });
  } catch (err) {
    await fileLock?.release();
    throw openError(config, err);
  }
  return {
    db,
    sql: pgliteSql(db, debug),
    async close() {
      try {
        await db.close();
      } finally {
        await fileLock?.release();
      }
    },
  };
}

/** Knex on an open embedded database (for migrations), searching `namespace` first when one is configured. */
export function embeddedKnex(e: Embedded, config: Config, debug: Debug = () => undefined): Promise<Knex> {
  const say = (m: unknown) => debug(`knex: ${m instanceof Error ? m.message : String(m)}`);
  return pgliteKnex(e.db, {
    compileSqlOnError: false,
    log: { warn: say, error: say, deprecate: say, debug: () => undefined },
    ...(config.namespace ? { searchPath: [config.namespace] } : {}),
  });
}
