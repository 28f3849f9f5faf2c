/**
 * How the embedded database starts (issue 14): a new directory is copied
 * from the image made at build time (dist/pglite), an existing one is opened
 * as it is, `pglite:memory` starts from the image too, and a directory PGlite
 * must not open (another PostgreSQL version, not a database at all) is
 * refused with one line, exit 3, and not touched. No speed is asserted here:
 * bench/embedded measures that.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminQuery } from '../support/databases.js';
import { dbkit, json, repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-pglite-start-');
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'pglite', 'datadir.json'), 'utf8')) as {
  pglite: string;
  pgVersion: string;
  catalogVersion: number;
  files: { path: string }[];
};
const AGENTS = ['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery'];

/** Every file under `dir` with the SHA-256 of its bytes: equal snapshots mean nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ent of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!ent.isFile()) continue;
    const p = path.join(ent.parentPath, ent.name);
    out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  }
  return out;
}

async function publicTables(url: string): Promise<string[]> {
  const rows = await adminQuery<{ t: string }>(url, "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
  return rows.map((r) => r.t);
}

describe('a new embedded database', () => {
  it('is copied from the build-time image, not made by initdb, and PGlite itself opens it', async () => {
    const cwd = tmp();
    const r = await dbkit(['migrate', '--verbose'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^pglite: new data directory from the image/m);
    const dir = path.join(cwd, '.dbkit', 'pglite');
    expect(fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim()).toBe(manifest.pgVersion);
    // Every file of the image is there, and nothing is left beside it but the .gitignore.
    for (const f of manifest.files) expect(fs.existsSync(path.join(dir, f.path)), f.path).toBe(true);
    expect(fs.readdirSync(path.join(cwd, '.dbkit')).sort()).toEqual(['.gitignore', 'pglite']);
    // A plain PGlite (no dbkit settings) opens it and sees the schema.
    const tables = await publicTables(`pglite:${dir}`);
    for (const t of AGENTS) expect(tables).toContain(t);
    expect(tables).toContain('dbkit_migrations');
  }, 180_000);

  it('pglite:memory starts from the image too and leaves nothing behind', async () => {
    const cwd = tmp();
    const r = await dbkit(['migrate', '--url', 'pglite:memory', '--json', '--verbose'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ migrations: unknown[] }>(r).migrations).toHaveLength(7);
    expect(r.stderr).not.toMatch(/no data directory image/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 180_000);

  it('a half-made directory of an interrupted first run is thrown away and made again', async () => {
    const cwd = tmp();
    const dir = path.join(cwd, 'db');
    fs.mkdirSync(`${dir}.init/base`, { recursive: true });
    fs.writeFileSync(`${dir}.init/base/junk`, 'half written');
    const r = await dbkit(['migrate', '--url', `pglite:${dir}`], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(`${dir}.init`)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'base', 'junk'))).toBe(false);
    expect((await dbkit(['status', '--check', '--url', `pglite:${dir}`], { cwd })).code).toBe(0);
  }, 180_000);
});

describe('an existing embedded database', () => {
  it('one made by PGlite itself (as dbkit v0.1.0 made them, or without an image) opens and migrates', async () => {
    // A copy of the package without dist/pglite: dbkit falls back to PGlite's own initdb.
    const pkg = path.join(tmp(), 'dbkit');
    fs.mkdirSync(pkg);
    fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(pkg, 'package.json'));
    fs.cpSync(path.join(repoRoot, 'dist'), path.join(pkg, 'dist'), { recursive: true, filter: (src) => !src.includes(`${path.sep}dist${path.sep}pglite`) });
    fs.cpSync(path.join(repoRoot, 'migrations'), path.join(pkg, 'migrations'), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkg, 'node_modules'));
    const cwd = tmp();
    const url = `pglite:${path.join(cwd, 'db')}`;
    const made = await dbkit(['migrate', '--to', 'create_sessions', '--url', url, '--verbose'], { cwd, bin: path.join(pkg, 'dist', 'cli', 'dbkit.cjs') });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toMatch(/no data directory image in dist\/pglite/);

    // This build opens it as it is and carries on.
    const status = await dbkit(['status', '--json', '--url', url], { cwd });
    expect(status.code, status.stderr).toBe(0);
    expect(json<{ counts: Record<string, number> }>(status).counts).toMatchObject({ applied: 2, pending: 5 });
    const rest = await dbkit(['migrate', '--url', url], { cwd });
    expect(rest.code, rest.stderr).toBe(0);
    expect((await dbkit(['diff', '--url', url], { cwd })).code).toBe(0);
  }, 300_000);
});

describe('a directory PGlite must not open', () => {
  /** A migrated database to tamper with. */
  async function migrated(): Promise<{ cwd: string; dir: string }> {
    const cwd = tmp();
    const r = await dbkit(['migrate'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    return { cwd, dir: path.join(cwd, '.dbkit', 'pglite') };
  }

  it('from an older PostgreSQL (an older PGlite): exit 3, one line saying what to do, nothing touched', async () => {
    const { cwd, dir } = await migrated();
    const older = String(Number(manifest.pgVersion) - 1);
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${older}\n`);
    const before = snapshot(path.join(cwd, '.dbkit'));
    for (const args of [['status'], ['migrate'], ['diff', '--json']]) {
      const r = await dbkit(args, { cwd });
      expect(r.code, args.join(' ')).toBe(3);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `dbkit: cannot open the embedded database pglite:.dbkit/pglite: it was made by PostgreSQL ${older} (an older PGlite) and this dbkit's PGlite ${manifest.pglite} runs PostgreSQL ${manifest.pgVersion}; ` +
          `nothing was changed: move it aside (mv .dbkit/pglite .dbkit/pglite-pg${older}) and run dbkit migrate to make a new one (the dbkit version that made the old one can still open it)`,
      );
      if (args.includes('--json')) expect(json(r)).toMatchObject({ error: { exitCode: 3 } });
    }
    expect(snapshot(path.join(cwd, '.dbkit'))).toEqual(before);

    // Doing what it says works, and the old directory is still there.
    fs.renameSync(dir, `${dir}-pg${older}`);
    expect((await dbkit(['migrate'], { cwd })).code).toBe(0);
    expect(snapshot(`${dir}-pg${older}`)).toEqual(Object.fromEntries(Object.entries(before).filter(([k]) => k.startsWith('pglite/')).map(([k, v]) => [k.slice('pglite/'.length), v])));
  }, 180_000);

  it('from another build of the same PostgreSQL (catalog version): exit 3, nothing touched', async () => {
    const { cwd, dir } = await migrated();
    const control = path.join(dir, 'global', 'pg_control');
    const bytes = fs.readFileSync(control);
    bytes.writeUInt32LE(manifest.catalogVersion - 1, 12);
    fs.writeFileSync(control, bytes);
    const before = snapshot(dir);
    const r = await dbkit(['status'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`it was made by another build of PostgreSQL ${manifest.pgVersion} (catalog version ${manifest.catalogVersion - 1}`);
    expect(snapshot(dir)).toEqual(before);
  }, 180_000);

  it('a directory with files but no database in it: exit 3, nothing touched', async () => {
    const cwd = tmp();
    const dir = path.join(cwd, 'notes');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'todo.txt'), 'keep me\n');
    const r = await dbkit(['migrate', '--url', `pglite:${dir}`], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(
      `dbkit: cannot open the embedded database pglite:${dir}: it is a directory with files in it but no PostgreSQL data directory (no PG_VERSION); nothing was changed`,
    );
    expect(fs.readdirSync(dir)).toEqual(['todo.txt']);
    expect(fs.readFileSync(path.join(dir, 'todo.txt'), 'utf8')).toBe('keep me\n');
  }, 60_000);
});
