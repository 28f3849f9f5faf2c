/**
 * Commands load only what they use (issue 6): no database driver, Knex,
 * faker or inquirer for `--help` or `sql`, and no MySQL code for a
 * PGlite-only run. Every module file the real binary loads is recorded by a
 * preloaded hook (test/support/module-trace.cjs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-modules-');
const HEAVY = ['pg', 'pg-copy-streams', 'mysql2', 'knex', 'knex-pglite', '@electric-sql/pglite', '@faker-js/faker', 'inquirer', 'esbuild', 'dotenv', 'libpg-query'];

function loadedPackages(args: string[]): string[] {
  const dir = tmp();
  const trace = path.join(dir, 'modules.txt');
  fs.writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--require', path.join(repoRoot, 'test/support/module-trace.cjs'), bin, ...args], {
    cwd: dir,
    env: { ...process.env, DBKIT_MODULE_TRACE: trace, NO_COLOR: '1', DATABASE_URL: '' },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const files = fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  expect(files.length).toBeGreaterThan(0);
  const pkgs = files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p);
  // The drivers bundled into dbkit's own files (pg, mysql2: loaded with the chunk that opens a connection):
  // esbuild marks each module it took in with a `// node_modules/<package>/...` line.
  for (const f of files.filter((x) => x.startsWith(path.join(repoRoot, 'dist')) && /\.(c|m)?js$/.test(x))) {
    for (const m of fs.readFileSync(f, 'utf8').matchAll(/^\/\/ node_modules\/(pg|pg-copy-streams|mysql2)\//gm)) pkgs.push(m[1]!);
  }
  return [...new Set(pkgs)].sort();
}

describe('start-up loads only what a command uses', () => {
  // (commander is bundled into dist/cli/dbkit.cjs: these load nothing from node_modules at all.)
  it('--help and sql: no driver, Knex, faker, inquirer, esbuild, dotenv or the lint parser', () => {
    for (const args of [['--help'], ['sql', '--dialect', 'mysql', '--schema', 'chat']]) {
      const pkgs = loadedPackages(args);
      for (const heavy of HEAVY) expect(pkgs, `${args.join(' ')} loaded ${heavy}`).not.toContain(heavy);
    }
  });

  // Also the control that the trace sees packages at all.
  it('a PGlite-only run loads PGlite but no MySQL or PostgreSQL driver code; only migrating loads Knex', () => {
    const status = loadedPackages(['status', '--url', 'pglite:memory']);
    expect(status).toContain('@electric-sql/pglite');
    for (const other of ['knex', 'knex-pglite', 'mysql2', 'pg', '@faker-js/faker']) expect(status, `status loaded ${other}`).not.toContain(other);
    const migrate = loadedPackages(['migrate', '--url', 'pglite:memory']);
    expect(migrate).toContain('@electric-sql/pglite');
    expect(migrate).toContain('knex');
    // dbkit's own Knex client on the open instance: no second (CommonJS) copy of PGlite through knex-pglite, no pg.
    expect(migrate).not.toContain('knex-pglite');
    expect(migrate).not.toContain('pg');
  });

  // A deploy with nothing to do (issue 22): the state read on the driver's own session, no Knex, no lock.
  it('migrate with nothing pending loads no Knex', () => {
    const url = `pglite:${path.join(tmp(), 'db')}`;
    expect(loadedPackages(['migrate', '--url', url])).toContain('knex');
    const again = loadedPackages(['migrate', '--url', url]);
    expect(again).toContain('@electric-sql/pglite');
    expect(again).not.toContain('knex');
  });

  // The lint's PostgreSQL parser (WebAssembly) loads for lint alone, from node_modules beside its .wasm file.
  it('lint loads libpg-query and no driver; --dialect mysql does not load it', () => {
    const lint = loadedPackages(['lint']);
    expect(lint).toContain('libpg-query');
    for (const other of ['knex', 'pg', 'mysql2', '@electric-sql/pglite']) expect(lint, `lint loaded ${other}`).not.toContain(other);
    expect(loadedPackages(['lint', '--dialect', 'mysql'])).not.toContain('libpg-query');
  });
});
