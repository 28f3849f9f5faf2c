/**
 * The content of a directory tree, file by file (SHA-256 of each file, by its
 * path relative to the root), and what differs between two such readings:
 * "no file under dist/ changed" checked by content, not by time stamps.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Every file under `root` (links followed as files, directories walked), path -> SHA-256. */
export function treeHashes(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else out.set(child, createHash('sha256').update(fs.readFileSync(path.join(root, child))).digest('hex'));
    }
  };
  walk('');
  return out;
}

/** The files added, removed or changed from `before` to `after` ("+ a", "- b", "~ c"), sorted; empty when none. */
export function treeChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [f, h] of after) {
    if (!before.has(f)) changes.push(`+ ${f}`);
    else if (before.get(f) !== h) changes.push(`~ ${f}`);
  }
  for (const f of before.keys()) if (!after.has(f)) changes.push(`- ${f}`);
  return changes.sort((a, b) => a.slice(2).localeCompare(b.slice(2)));
}
