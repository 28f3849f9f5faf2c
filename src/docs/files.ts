/**
 * Writing the documents, or checking the committed ones: a document is
 * stale when the file's bytes differ from what dbkit renders now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OutputError, UsageError } from '../shared/errors.js';
import { makeDirectories } from '../shared/dirs.js';
import { notRegular, statOrNull } from '../shared/regular-file.js';

export type WriteStatus = 'created' | 'updated' | 'unchanged';
export type CheckStatus = 'fresh' | 'stale' | 'missing';

export interface Rendered {
  /** File name inside the output directory. */
  file: string;
  content: string;
}

/** What went wrong with a path, in words: `no such file or directory (ENOENT)`. */
const WHY: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EEXIST: 'a file is in the way',
};

/** An fs error as dbkit's error: a file where a directory must be is a usage error (exit 2), anything else output (exit 8). */
function fsError(err: unknown, doing: string): Error {
  const e = err as NodeJS.ErrnoException;
  if (!e.code) return err as Error;
  const why = `${WHY[e.code] ?? e.message.split('\n')[0]} (${e.code})`;
  const at = e.path ? ` ${e.path}` : '';
  if (e.code === 'ENOTDIR' || e.code === 'EISDIR' || e.code === 'EEXIST') {
    return new UsageError(`--out: cannot ${doing}${at}: ${e.message.includes(' is a file, not a directory') ? e.message : why}`, { cause: err });
  }
  return new OutputError(`cannot ${doing}${at} (--out): ${why}`, { cause: err });
}

/** The nearest existing folder of `dir` (itself included) must be a directory: else --out is a usage error (exit 2). */
export function checkOutDirectory(dir: string, shown: string): void {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fsError(err, 'use the directory');
    }
    if (stat && !stat.isDirectory()) {
      throw new UsageError(`--out ${shown}: ${at === path.resolve(dir) ? 'it' : at} is ${notRegular(stat) ?? 'a file'}, not a directory; give a directory for the documents`);
    }
    if (stat || path.dirname(at) === at) return;
  }
}

/**
 * A document as it is on disk, or null when there is none. Something other
 * than a regular file at its path (a FIFO, which would block the read or the
 * write for ever; a socket, a device, a directory) is a usage error (exit 2)
 * naming it, found before anything is written, and never opened.
 */
const read = (file: string): string | null => {
  let stat: fs.Stats | null;
  try {
    stat = statOrNull(file);
  } catch (err) {
    throw fsError(err, 'read the document');
  }
  if (!stat) return null;
  const kind = notRegular(stat);
  if (kind) throw new UsageError(`--out: ${file} is ${kind}, not a regular file: dbkit writes a document only as a regular file; remove it or give another --out`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw fsError(err, 'read the document');
  }
};

/** Before writing any: every document's path holds a regular file or nothing (see read()). */
export function checkDocPaths(dir: string, docs: readonly Rendered[]): void {
  for (const doc of docs) {
    const file = path.join(dir, doc.file);
    let kind: string | null = null;
    try {
      const stat = statOrNull(file);
      kind = stat && notRegular(stat);
    } catch {
      // unreadable: writeDoc says why
    }
    if (kind) read(file); // throws, naming it
  }
}

export function checkDoc(dir: string, doc: Rendered): CheckStatus {
  const now = read(path.join(dir, doc.file));
  return now === null ? 'missing' : now === doc.content ? 'fresh' : 'stale';
}

/** Writes only what changed, so that an unchanged document keeps its modification time. */
export function writeDoc(dir: string, doc: Rendered): WriteStatus {
  const file = path.join(dir, doc.file);
  const now = read(file);
  if (now === doc.content) return 'unchanged';
  try {
    makeDirectories(dir);
  } catch (err) {
    throw fsError(err, 'create the directory');
  }
  try {
    fs.writeFileSync(file, doc.content);
  } catch (err) {
    throw fsError(err, 'write the document');
  }
  return now === null ? 'created' : 'updated';
}
