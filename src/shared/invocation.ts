/**
 * How to type dbkit in the user's shell, for the commands dbkit suggests
 * (`init`'s next step, the `--help` examples): the checkout's launcher
 * (`./dbkit`, no package manager per call; docs/pipelines.md) when the
 * running CLI is a checkout's build, else `dbkit` (an installed package).
 *
 * Read from the running script (process.argv[1], links followed), not from
 * this module's location: the same code is in the CommonJS entry bundle and
 * in the command bundles.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The launcher's name, at the root of a checkout, beside dist/. */
export const LAUNCHER = 'dbkit';

/** The checkout's launcher when `script` is a checkout's dist/cli/dbkit.cjs, else null. */
export function launcherOf(script: string | undefined): string | null {
  if (!script) return null;
  let real: string;
  try {
    real = fs.realpathSync(script);
  } catch {
    return null;
  }
  const cli = path.dirname(real);
  if (path.basename(real) !== 'dbkit.cjs' || path.basename(cli) !== 'cli' || path.basename(path.dirname(cli)) !== 'dist') return null;
  const launcher = path.join(path.dirname(path.dirname(cli)), LAUNCHER);
  try {
    return fs.statSync(launcher).isFile() ? launcher : null;
  } catch {
    return null;
  }
}

/** A path as the shell takes it: single-quoted unless it is only safe characters. */
const shellWord = (s: string): string => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * What to type for dbkit from `cwd`: `./dbkit` at the checkout's root, a
 * relative path below it (`../dbkit`), the absolute path outside it; `dbkit`
 * for an installed package.
 */
export function invocation(script: string | undefined = process.argv[1], cwd: string = process.cwd()): string {
  const launcher = launcherOf(script);
  if (!launcher) return 'dbkit';
  const fromRoot = path.relative(path.dirname(launcher), cwd);
  const inside = !fromRoot.startsWith('..') && !path.isAbsolute(fromRoot);
  if (!inside) return shellWord(launcher);
  const rel = path.relative(cwd, launcher);
  return shellWord(rel.startsWith('..') ? rel : `./${rel}`);
}
