/**
 * Writing the documents, or checking the committed ones: a document is
 * stale when the file's bytes differ from what dbkit renders now.
 */
import fs from 'node:fs';
import path from 'node:path';

export type WriteStatus = 'created' | 'updated' | 'unchanged';
export type CheckStatus = 'fresh' | 'stale' | 'missing';

export interface Rendered {
  /** File name inside the output directory. */
  file: string;
  content: string;
}

const read = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

export function checkDoc(dir: string, doc: Rendered): CheckStatus {
  const now = read(path.join(dir, doc.file));
  return now === null ? 'missing' : now === doc.content ? 'fresh' : 'stale';
}

/** Writes only what changed, so that an unchanged document keeps its modification time. */
export function writeDoc(dir: string, doc: Rendered): WriteStatus {
  const file = path.join(dir, doc.file);
  const now = read(file);
  if (now === doc.content) return 'unchanged';
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, doc.content);
  return now === null ? 'created' : 'updated';
}
