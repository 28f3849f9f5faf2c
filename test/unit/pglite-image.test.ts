/**
 * The data-directory image (dialects/pglite/image.ts) and the checks on a
 * directory before PGlite opens it (dialects/pglite/datadir.ts), on files
 * in temporary directories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { incompatibility, inspectDataDir, readControlVersions } from '../../dialects/pglite/datadir.js';
import { materialize, materializeInMemory, packImage, readImage, readManifest, writeImageFiles, type ImageManifest } from '../../dialects/pglite/image.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-image-');
const VERSIONS = { pglite: '0.5.16', pgVersion: '18', controlVersion: 1800, catalogVersion: 202506291 };
const bytes = (...xs: number[]) => Uint8Array.from(xs);
/** Byte equality (toEqual walks a 1 MB array element by element). */
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => !!a && !!b && Buffer.from(a).equals(Buffer.from(b));

const entries = [
  { path: 'base', dir: true },
  { path: 'base/5', dir: true },
  { path: 'PG_VERSION', dir: false, data: new TextEncoder().encode('18\n') },
  { path: 'base/5/1259', dir: false, data: bytes(1, 2, 3, 0, 0, 0, 0, 0) },
  { path: 'pg_wal', dir: true },
  { path: 'pg_wal/000000010000000000000001', dir: false, data: new Uint8Array(1 << 20).fill(7, 0, 100) },
  { path: 'base/5/empty', dir: false, data: new Uint8Array(0) },
  { path: 'base/5/zeros', dir: false, data: new Uint8Array(8192) },
];

describe('packImage', () => {
  it('stores each file without its trailing zeros, and remembers its size', () => {
    const { manifest, blob } = packImage(entries, VERSIONS);
    expect(manifest).toMatchObject({ format: 1, ...VERSIONS, dirs: ['base', 'base/5', 'pg_wal'] });
    const byPath = Object.fromEntries(manifest.files.map((f) => [f.path, f]));
    expect(byPath['base/5/1259']).toMatchObject({ size: 8, stored: 3 });
    expect(byPath['pg_wal/000000010000000000000001']).toMatchObject({ size: 1 << 20, stored: 100 });
    expect(byPath['base/5/zeros']).toMatchObject({ size: 8192, stored: 0 });
    expect(byPath['base/5/empty']).toMatchObject({ size: 0, stored: 0 });
    expect(blob.length).toBe(3 + 3 + 100);
  });
});

describe('materialize', () => {
  it('writes every file with its full contents (zero tails sparse), through a scratch directory', async () => {
    const image = packImage(entries, VERSIONS);
    const target = path.join(tmp(), 'db');
    await materialize(image, target);
    for (const e of entries) {
      const p = path.join(target, e.path);
      if (e.dir) expect(fs.statSync(p).isDirectory(), e.path).toBe(true);
      else expect(same(fs.readFileSync(p), e.data), e.path).toBe(true);
    }
    expect(fs.existsSync(`${target}.init`)).toBe(false);
    // The 1 MB WAL segment takes a block or so on disk, not 1 MB (where the file system has sparse files).
    const wal = fs.statSync(path.join(target, 'pg_wal/000000010000000000000001'));
    expect(wal.size).toBe(1 << 20);
    expect(wal.blocks * 512).toBeLessThan(1 << 20);
  });

  it('fills an empty directory, and refuses one with files in it', async () => {
    const image = packImage(entries, VERSIONS);
    const empty = tmp();
    await materialize(image, empty);
    expect(fs.readFileSync(path.join(empty, 'PG_VERSION'), 'utf8')).toBe('18\n');
    const full = tmp();
    fs.writeFileSync(path.join(full, 'mine'), 'x');
    await expect(materialize(image, full)).rejects.toThrow(/ENOTEMPTY|EEXIST/);
    expect(fs.readdirSync(full)).toEqual(['mine']);
    expect(fs.existsSync(`${full}.init`)).toBe(false);
  });

  it('writes the same files into an in-memory file system', () => {
    const image = packImage(entries, VERSIONS);
    const dirs: string[] = [];
    const files = new Map<string, Uint8Array>();
    materializeInMemory(image, { mkdirTree: (p) => void dirs.push(p), writeFile: (p, d) => void files.set(p, d) }, '/pglite/data');
    expect(dirs).toEqual(['/pglite/data', '/pglite/data/base', '/pglite/data/base/5', '/pglite/data/pg_wal']);
    for (const e of entries.filter((x) => !x.dir)) expect(same(files.get(`/pglite/data/${e.path}`), e.data), e.path).toBe(true);
  });

  it('round-trips through datadir.json and datadir.bin', () => {
    const dir = tmp();
    const image = packImage(entries, VERSIONS);
    writeImageFiles(image, dir);
    const manifest = readManifest(dir)!;
    expect(manifest).toEqual(image.manifest);
    expect(readImage(manifest, dir).blob.equals(image.blob)).toBe(true);
    expect(readManifest(tmp())).toBeNull();
  });
});

describe('inspectDataDir and incompatibility', () => {
  const ours: ImageManifest = { format: 1, ...VERSIONS, dirs: [], files: [] };

  function dataDir(pgVersion: string, control?: [number, number]): string {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'PG_VERSION'), `${pgVersion}\n`);
    if (control) {
      fs.mkdirSync(path.join(dir, 'global'));
      const b = Buffer.alloc(296);
      b.writeUInt32LE(control[0], 8);
      b.writeUInt32LE(control[1], 12);
      fs.writeFileSync(path.join(dir, 'global', 'pg_control'), b);
    }
    return dir;
  }

  it('tells new, database and other apart', () => {
    expect(inspectDataDir(path.join(tmp(), 'absent'))).toEqual({ kind: 'new' });
    expect(inspectDataDir(tmp())).toEqual({ kind: 'new' });
    const file = path.join(tmp(), 'f');
    fs.writeFileSync(file, '');
    expect(inspectDataDir(file)).toMatchObject({ kind: 'other', reason: 'it is a file, not a directory' });
    const notes = tmp();
    fs.writeFileSync(path.join(notes, 'a'), '');
    expect(inspectDataDir(notes)).toMatchObject({ kind: 'other' });
    expect(inspectDataDir(dataDir('18', [1800, 202506291]))).toEqual({
      kind: 'database',
      versions: { pgVersion: '18', controlVersion: 1800, catalogVersion: 202506291 },
    });
    expect(readControlVersions(path.join(tmp(), 'missing'))).toEqual({ controlVersion: null, catalogVersion: null });
  });

  it('names what differs: major version, pg_control version, catalog version', () => {
    expect(incompatibility({ pgVersion: '18', controlVersion: 1800, catalogVersion: 202506291 }, ours)).toBeNull();
    expect(incompatibility({ pgVersion: '17', controlVersion: 1700, catalogVersion: 202406281 }, ours)).toBe(
      "it was made by PostgreSQL 17 (an older PGlite) and this dbkit's PGlite 0.5.16 runs PostgreSQL 18",
    );
    expect(incompatibility({ pgVersion: '19', controlVersion: null, catalogVersion: null }, ours)).toMatch(/PostgreSQL 19 \(a newer PGlite\)/);
    expect(incompatibility({ pgVersion: '18', controlVersion: 1300, catalogVersion: 202506291 }, ours)).toMatch(/pg_control version is 1300/);
    expect(incompatibility({ pgVersion: '18', controlVersion: 1800, catalogVersion: 202501011 }, ours)).toMatch(/another build of PostgreSQL 18 \(catalog version 202501011/);
    // No image (no build): nothing to compare with, PGlite decides.
    expect(incompatibility({ pgVersion: '17', controlVersion: null, catalogVersion: null }, null)).toBeNull();
  });
});
