/**
 * Acceptance 1 of the foundation: in a fresh clone, after the install's build,
 * `npx dbkit migrate` works with no server and no configuration, `npx dbkit
 * status --check` exits 0, and the run leaves no untracked file. (The clone
 * shares this checkout's node_modules instead of downloading them again.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { run } from '../support/run.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-clone-');
const isCheckout = fs.existsSync(path.join(repoRoot, '.git'));

describe.runIf(isCheckout)('a fresh clone', () => {
  it('npx dbkit migrate, then npx dbkit status --check; nothing untracked', async () => {
    const clone = path.join(tmp(), 'dbkit');
    expect((await run('git', ['clone', '--quiet', repoRoot, clone])).status).toBe(0);
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'));
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'true' };
    delete env.DATABASE_URL;
    const sh = (cmd: string, args: string[]) => run(cmd, args, { cwd: clone, env });

    const build = await sh('npm', ['run', 'build', '--silent']); // what `npm ci` runs as `prepare`
    expect(build.status, build.stderr).toBe(0);
    const migrate = await sh('npx', ['dbkit', 'migrate']);
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('applied 7 migration(s)');
    const status = await sh('npx', ['dbkit', 'status', '--check']);
    expect(status.status, status.stderr).toBe(0);
    expect((await sh('git', ['status', '--porcelain'])).stdout).toBe('');
  }, 180_000);
});
