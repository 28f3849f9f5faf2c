/**
 * Where dbkit's own files are, wherever the running module sits: in dist/src
 * (tsc), in the bundled CLI (dist/cli), or as TypeScript under vitest.
 *
 * The migrations (`migrations/<schema>/`) and, for `dbkit make` and `dbkit
 * check`, the schema sources (`src/schema/*.ts`) are read from the project
 * root: the package's own folder (a checkout, or the installed package), or
 * the folder named by DBKIT_ROOT (another checkout; the tests' temporary
 * copies).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The checkout or package dbkit works on: DBKIT_ROOT, else the package itself. */
export function projectRoot(): string {
  const root = process.env.DBKIT_ROOT;
  if (root === undefined) return packageRoot;
  // Empty is a variable meant to be set: not the package itself.
  if (root.trim() === '') throw new UsageError('DBKIT_ROOT is empty (a variable that is not set?): give it the checkout to work on, or unset it');
  return path.resolve(root);
}
/** The frozen migrations, `<root>/migrations/<schema>/`. */
export const migrationsRoot = (): string => path.join(projectRoot(), 'migrations');
/** The schema definitions as TypeScript sources (what `make` and `check` compare with the snapshot). */
export const schemaSourceRoot = (): string => path.join(projectRoot(), 'src', 'schema');
