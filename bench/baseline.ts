/**
 * An earlier dbkit, built for side-by-side runs: `git archive <ref>` into
 * bench/.work/<ref>/, node_modules symlinked to this checkout's, `npm run
 * build`; a later run reuses that build while the ref names the same commit.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The path of the built CLI (dist/cli/dbkit.cjs) of `ref` (a tag, a branch, a commit). */
export function baselineCli(root: string, ref: string): string {
  const commit = execFileSync('git', ['-C', root, 'rev-parse', '--verify', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
  const dir = path.join(root, 'bench', '.work', ref.replace(/[^\w.-]/g, '_'));
  const cli = path.join(dir, 'dist', 'cli', 'dbkit.cjs');
  const stamp = path.join(dir, '.built-from');
  if (fs.existsSync(cli) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === commit) return cli;
  console.error(`building ${ref} (${commit.slice(0, 10)}) in ${path.relative(root, dir)} ...`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['-C', root, 'archive', '--format=tar', commit], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(dir, 'node_modules'));
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  fs.writeFileSync(stamp, commit);
  return cli;
}
