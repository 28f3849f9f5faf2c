/**
 * A fresh clone, as a newcomer or a CI job has it (issue 22, items 1 and 2):
 * `npm ci` installs and builds once, and nothing run afterwards builds again.
 * After `npm ci`, by content hash of every file under dist/: the quick-start
 * command (`./dbkit migrate`, no server, no configuration), `npx dbkit`
 * (which links the checkout into npx's cache and runs its `prepare` again:
 * a no-op with the build stamp) and the launcher from another working
 * directory, directly and through a link, change nothing in dist/; the run
 * leaves no untracked file. One clone and one `npm ci` for all of it (npm's
 * own cache of the packages is used; npx gets a cache of its own here, so
 * nothing is left in the user's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { run } from '../support/run.js';
import { tempDirs } from '../support/tmp.js';
import { treeChanges, treeHashes } from '../support/tree-hash.js';

const tmp = tempDirs('dbkit-clone-');
const isCheckout = fs.existsSync(path.join(repoRoot, '.git'));

describe.runIf(isCheckout)('a fresh clone', () => {
  it('npm ci builds once; ./dbkit migrate, npx dbkit and the launcher from elsewhere build nothing again; nothing untracked', async () => {
    const clone = path.join(tmp(), 'dbkit');
    expect((await run('git', ['clone', '--quiet', repoRoot, clone])).status).toBe(0);
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
    delete env.DATABASE_URL;
    const sh = (cmd: string, args: string[], cwd = clone, extra: NodeJS.ProcessEnv = {}) => run(cmd, args, { cwd, env: { ...env, ...extra } });

    // Before the install: the launcher says what to do, exit 2.
    const unbuilt = await sh('./dbkit', ['status']);
    expect(unbuilt.status).toBe(2);
    const real = fs.realpathSync(clone);
    expect(unbuilt.stderr).toBe(`dbkit: ${real}/dist/cli/dbkit.cjs is missing: run npm ci (or npm run build) in ${real} first\n`);

    const ci = await sh('npm', ['ci', '--prefer-offline']);
    expect(ci.status, ci.stderr).toBe(0);
    expect(ci.stdout).toMatch(/build: dist\/ built in/);
    expect(fs.existsSync(path.join(clone, 'dist', '.build-stamp.json'))).toBe(true);
    const built = treeHashes(path.join(clone, 'dist'));
    expect(built.has('cli/dbkit.cjs')).toBe(true);

    // The quick start.
    const migrate = await sh('./dbkit', ['migrate']);
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('applied 7 migration(s)');

    // npx still works, through its link install, whose prepare finds dist/ current.
    const npx = await sh('npx', ['--loglevel', 'info', 'dbkit', 'status', '--check'], clone, { npm_config_cache: tmp() });
    expect(npx.status, npx.stderr).toBe(0);
    // It ran the checkout's prepare (npm keeps the script's output to itself): dist/ below shows it built nothing.
    expect(npx.stderr).toMatch(/run dbkit@[\d.]+ prepare .* node scripts\/build\.mjs/);

    // The launcher from another working directory, directly and through a link to it.
    const elsewhere = tmp();
    const db = `pglite:${path.join(clone, '.dbkit', 'pglite')}`;
    const direct = await sh(path.join(clone, 'dbkit'), ['status', '--check', '--url', db], elsewhere);
    expect(direct.status, direct.stderr).toBe(0);
    fs.mkdirSync(path.join(elsewhere, 'bin'));
    fs.symlinkSync(path.join(clone, 'dbkit'), path.join(elsewhere, 'bin', 'dbkit'));
    const linked = await sh('bin/dbkit', ['status', '--check', '--json', '--url', db], elsewhere);
    expect(linked.status, linked.stderr).toBe(0);
    expect(JSON.parse(linked.stdout)).toMatchObject({ upToDate: true, counts: { applied: 7, pending: 0 } });
    expect(fs.readdirSync(elsewhere)).toEqual(['bin']); // the database named by --url, none made here

    expect(treeChanges(built, treeHashes(path.join(clone, 'dist')))).toEqual([]);
    expect((await sh('git', ['status', '--porcelain'])).stdout).toBe('');
  }, 900_000);
});
