/**
 * The embedded database: take its lock file, open PGlite (open.ts), and
 * give SQL through PGlite itself, with Knex on top only for the commands
 * that migrate. Failures become ConnectError (exit 3) or LockError (exit 4),
 * each one line.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { PGlite } from '@electric-sql/pglite';
import { ConnectError, LockError } from '../../src/shared/errors.js';
import type { KnexBase, OpenRequest } from '../../src/port/connect.js';
import type { Releasable } from '../../src/port/lock.js';
import { acquireFileLock, fileLockHolder, LockPathError } from './file-lock.js';
import { loadKnexModules, pgliteKnex } from './knex-client.js';
import { compilePglite, DataDirError, openPglite } from './open.js';
import { makeDirectories } from '../../src/shared/dirs.js';
import { annotate } from '../../src/connection/driver-errors.js';
import { numbered, type ClosableSql, type Sql } from '../../src/port/sql.js';

type Debug = (t: string) => void;

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

const openError = (req: OpenRequest, err: unknown) =>
  err instanceof DataDirError
    ? new ConnectError(err.message, { cause: err })
    : new ConnectError(`cannot open the embedded database ${req.display}: ${describe(err)}`, { cause: err });

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
function placeError(req: OpenRequest, dir: string, err: unknown): ConnectError {
  const e = err as NodeJS.ErrnoException;
  if (!e.code || e instanceof LockPathError) return openError(req, err);
  const why = CANNOT_MAKE[e.code] ? `${CANNOT_MAKE[e.code]} (${e.code})` : describe(err);
  return new ConnectError(
    `cannot open the embedded database ${req.display}: its directory ${dir} and lock file cannot be made in ${path.dirname(dir)}: ${why}; give a directory dbkit can create and write in`,
    { cause: err },
  );
}

/** PGlite is one process's database: take its lock file before opening it. */
async function lockEmbedded(req: OpenRequest): Promise<Releasable | null> {
  const dir = req.pgliteDir;
  if (!dir) return null;
  let lock: Releasable | null;
  try {
    makeDirectories(path.dirname(dir));
    ignoreEmbeddedDir(dir);
    lock = await acquireFileLock(`${dir}.lock`, req.lockTimeoutMs ?? 0);
  } catch (err) {
    // Not a directory dbkit can create and write in (a file in the way, a read-only place, no permission).
    throw placeError(req, dir, err);
  }
  if (!lock) {
    const pid = fileLockHolder(`${dir}.lock`);
    throw new LockError(
      `the embedded database ${req.display} is in use by another dbkit process${pid ? ` (pid ${pid})` : ''}; gave up after ${(req.lockTimeoutMs ?? 0) / 1000}s (--lock-timeout)`,
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

/** Open the embedded database (the caller closes it); `knex`: Knex will be wanted (loaded while the database opens). */
export async function openEmbedded(req: OpenRequest, opts: { knex?: boolean } = {}): Promise<ClosableSql> {
  void compilePglite().catch(() => undefined); // starts now; openPglite reports its failure
  if (opts.knex) void loadKnexModules().catch(() => undefined); // embeddedKnex reports its failure
  const fileLock = await lockEmbedded(req);
  let db: PGlite;
  try {
    db = await openPglite({ dir: req.pgliteDir ?? null, display: req.display, debug: req.debug });
  } catch (err) {
    await fileLock?.release();
    throw openError(req, err);
  }
  return {
    ...pgliteSql(db, req.debug),
    async close() {
      try {
        await db.close();
      } finally {
        await fileLock?.release();
      }
    },
  };
}

/** Knex on an open embedded database (for migrations), searching the configured namespace first. */
export function embeddedKnex(sql: ClosableSql, req: OpenRequest, base: KnexBase): Promise<Knex> {
  if (sql.native?.engine !== 'pglite') throw new Error('Knex on the embedded database needs the PGlite handle openEmbedded gave');
  return pgliteKnex(sql.native.db, { ...base, ...(req.namespace ? { searchPath: [req.namespace] } : {}) });
}
