/**
 * dbkit reads (and writes over) regular files only: `.env`, a config file,
 * a targets file, a document of `docs`. Opening a FIFO blocks until another
 * process opens its other end (for ever, when none does), and a device or a
 * socket is no file of settings either: what is at the path is looked at
 * first (stat, following symbolic links) and never opened unless it is a
 * regular file. Each caller says what it was looking for (exit 2).
 */
import fs from 'node:fs';
import { UsageError } from './errors.js';

/** What is at a path, in words: `a directory`, `a FIFO (named pipe)`, ...; null when it is a regular file. */
export function notRegular(stat: fs.Stats): string | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The file's stat, or null when nothing is there (a dangling link: nothing either). */
export function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * A usage error (exit 2) when something other than a regular file is at
 * `file`: `<shown> is a FIFO (named pipe), not a regular file<hint>`. False
 * when nothing is there, true for a regular file.
 */
export function checkRegularFile(file: string, shown: string, hint = ': dbkit reads only regular files; remove it or put a file there'): boolean {
  const stat = statOrNull(file);
  if (!stat) return false;
  const kind = notRegular(stat);
  if (kind) throw new UsageError(`${shown} is ${kind}, not a regular file${hint}`);
  return true;
}

/** The text of a regular file; null when there is none; a usage error naming it when something else is there (never opened). */
export function readRegularFile(file: string, shown: string, hint?: string): string | null {
  return checkRegularFile(file, shown, hint) ? fs.readFileSync(file, 'utf8') : null;
}
