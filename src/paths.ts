/**
 * Where dbkit's own files are, wherever the running module sits: in dist/src
 * (tsc), in the bundled CLI (dist/cli), or as TypeScript under vitest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
/** Compiled migrations, as dbkit runs them. */
export const compiledMigrationsRoot = path.join(packageRoot, 'dist', 'migrations');
/** The TypeScript migrations of a checkout (where `dbkit make` writes). */
export const sourceMigrationsRoot = path.join(packageRoot, 'migrations');
