/**
 * The image of an empty PGlite data directory, made once at build time
 * (scripts/pglite-image.ts, part of `npm run build`) so that opening a new
 * embedded database copies files instead of running initdb in WebAssembly
 * (about 5 s on 2 cores). Two files in dist/pglite/: `datadir.json` (the
 * manifest: versions, directories, files) and `datadir.bin` (the files'
 * bytes one after another, each without its run of trailing zero bytes; the
 * zeros come back as a sparse tail when the file is written).
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/shared/paths.js';

export const IMAGE_FORMAT = 1;
export const imageDir = path.join(packageRoot, 'dist', 'pglite');
const MANIFEST = 'datadir.json';
const BLOB = 'datadir.bin';

export interface ImageFile {
  /** Relative to the data directory, with `/`. */
  path: string;
  /** Full size in bytes. */
  size: number;
  /** Where its stored bytes start in datadir.bin, and how many there are (the rest up to `size` is zeros). */
  offset: number;
  stored: number;
}

export interface ImageManifest {
  format: typeof IMAGE_FORMAT;
  /** The @electric-sql/pglite version that made it. */
  pglite: string;
  /** What the data directory says about itself (see datadir.ts): PG_VERSION and pg_control's versions. */
  pgVersion: string;
  controlVersion: number;
  catalogVersion: number;
  /** Relative directories, parents first. */
  dirs: string[];
  files: ImageFile[];
}

export interface Image {
  manifest: ImageManifest;
  blob: Buffer;
}

/** The manifest only (cheap: a version check needs no file data), or null when the build made no image. */
export function readManifest(dir = imageDir): ImageManifest | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as ImageManifest;
    return m.format === IMAGE_FORMAT ? m : null;
  } catch {
    return null;
  }
}

export function readImage(manifest: ImageManifest, dir = imageDir): Image {
  return { manifest, blob: fs.readFileSync(path.join(dir, BLOB)) };
}

/** Length of `data` without its trailing zero bytes. */
function storedLength(data: Uint8Array): number {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  return end;
}

/** Pack a data directory's files (as a list, relative paths) into an image. */
export function packImage(
  entries: { path: string; dir: boolean; data?: Uint8Array }[],
  versions: Pick<ImageManifest, 'pglite' | 'pgVersion' | 'controlVersion' | 'catalogVersion'>,
): Image {
  const dirs = entries.filter((e) => e.dir).map((e) => e.path).sort();
  const files: ImageFile[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries.filter((x) => !x.dir).sort((a, b) => a.path.localeCompare(b.path))) {
    const data = e.data ?? new Uint8Array(0);
    const stored = storedLength(data);
    files.push({ path: e.path, size: data.length, offset, stored });
    chunks.push(data.subarray(0, stored));
    offset += stored;
  }
  return { manifest: { format: IMAGE_FORMAT, ...versions, dirs, files }, blob: Buffer.concat(chunks) };
}

export function writeImageFiles(image: Image, dir = imageDir): void {
  fs.mkdirSync(dir, { recursive: true });
  // The blob first, the manifest last: a manifest always describes a complete blob.
  fs.writeFileSync(path.join(dir, BLOB), image.blob);
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(image.manifest));
}

/**
 * Write the image's files under `root` (which must exist); zero tails become
 * sparse. Asynchronous, several files at a time: the file system calls run on
 * libuv's threads while the main thread loads PGlite and Knex.
 */
async function writeTree(image: Image, root: string): Promise<void> {
  for (const d of image.manifest.dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
  const files = image.manifest.files;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++]!;
      const fh = await fs.promises.open(path.join(root, f.path), 'w');
      try {
        if (f.stored) await fh.write(image.blob, f.offset, f.stored, 0);
        if (f.size > f.stored) await fh.truncate(f.size);
      } finally {
        await fh.close();
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/**
 * Make `target` a new data directory from the image, all or nothing: the
 * files are written into `<target>.init` and renamed into place, so an
 * interrupted run leaves no half-made database (the next run starts over).
 * `target` must not exist, or be an empty directory.
 */
export async function materialize(image: Image, target: string): Promise<void> {
  const scratch = `${target}.init`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    await writeTree(image, scratch);
    if (fs.existsSync(target)) fs.rmdirSync(target); // empty (checked by the caller); rmdir refuses anything else
    fs.renameSync(scratch, target);
  } catch (err) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

/** The part of Emscripten's file system API that filling an in-memory data directory needs. */
export interface EmscriptenFs {
  mkdirTree(path: string, mode?: number): void;
  writeFile(path: string, data: Uint8Array): void;
}

/** Write the image into PGlite's in-memory file system under `root`. */
export function materializeInMemory(image: Image, fsApi: EmscriptenFs, root: string): void {
  fsApi.mkdirTree(root);
  for (const d of image.manifest.dirs) fsApi.mkdirTree(`${root}/${d}`);
  for (const f of image.manifest.files) {
    const data = new Uint8Array(f.size);
    data.set(image.blob.subarray(f.offset, f.offset + f.stored));
    fsApi.writeFile(`${root}/${f.path}`, data);
  }
}
