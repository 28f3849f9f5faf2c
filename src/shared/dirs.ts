/**
 * `mkdir -p` for a directory a user named (docs --out, a pglite: URL).
 * Node's recursive mkdirSync loops forever where mkdir fails with ENOENT
 * under a directory that exists (/proc/x: 100% CPU, never returns); here each
 * missing directory is made once, from the top, and the first failure is
 * thrown as it is. A file in the way is ENOTDIR, naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

const notDirectory = (at: string): Error =>
  Object.assign(new Error(`${at} is a file, not a directory`), { code: 'ENOTDIR', path: at });

export function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; ) {
    let stat: fs.Stats | null = null;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw err;
    }
    if (stat) {
      if (!stat.isDirectory()) throw notDirectory(at);
      break;
    }
    missing.push(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if (code(err) === 'EEXIST' && fs.statSync(d).isDirectory()) continue; // made meanwhile by another process
      throw err;
    }
  }
}
