/**
 * The files of a directory tree (SHA-256 and modification time of each, by
 * its path relative to the root), and what differs between two such
 * readings: "no file under dist/ changed", checked by content, and "none was
 * rewritten", by time (a rebuild writes byte-identical files: tsc and
 * esbuild are deterministic).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface FileState {
  sha256: string;
  mtimeMs: number;
}

/** Every file under `root` (directories walked, links read through), path -> its state. */
export function treeHashes(root: string): Map<string, FileState> {
  const out = new Map<string, FileState>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      const file = path.join(root, child);
      if (e.isDirectory()) walk(child);
      else out.set(child, { sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), mtimeMs: fs.statSync(file).mtimeMs });
    }
  };
  walk('');
  return out;
}

/**
 * The files added, removed, changed or rewritten with the same content from
 * `before` to `after` ("+ a", "- b", "~ c", "= d"), sorted by path; empty when none.
 */
export function treeChanges(before: Map<string, FileState>, after: Map<string, FileState>): string[] {
  const changes: string[] = [];
  for (const [f, s] of after) {
    const was = before.get(f);
    if (!was) changes.push(`+ ${f}`);
    else if (was.sha256 !== s.sha256) changes.push(`~ ${f}`);
    else if (was.mtimeMs !== s.mtimeMs) changes.push(`= ${f}`);
  }
  for (const f of before.keys()) if (!after.has(f)) changes.push(`- ${f}`);
  return changes.sort((a, b) => a.slice(2).localeCompare(b.slice(2)));
}
