/**
 * Open the embedded database (PGlite: PostgreSQL compiled to WebAssembly),
 * as fast as a one-shot command allows. Where the time went in v0.1.0 (see
 * bench/embedded.ts and docs/benchmarks.md): initdb in WebAssembly on a new
 * directory; zeroing 145 MB of shared memory at every start (shared_buffers
 * 128MB, zeroed by a byte loop inside the module); V8 compiling hot
 * functions a second time with its optimising compiler on the second core.
 * So: a new directory is copied from an image made at build time
 * (image.ts), shared_buffers is 16MB, and V8 keeps its baseline code. (Even
 * `dbkit seed --users 1000` ran no slower that way, and 16MB of buffers no
 * slower than 128MB.)
 */
import fs from 'node:fs';
import nodeModule from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import { incompatibility, inspectDataDir } from './datadir.js';
import { materialize, materializeInMemory, readImage, readManifest, type Image, type ImageManifest } from './image.js';

/** Where PGlite keeps its data directory inside its own file system. */
const PGDATA = '/pglite/data';

/** Enough for a development database; PGlite's default (128MB) costs ~0.5 s of zeroing at every start. */
export const SHARED_BUFFERS = '16MB';

export class DataDirError extends Error {}

export interface OpenOptions {
  /** The data directory, or null for an in-memory database. */
  dir: string | null;
  /** Shown in messages (the URL as the user gave it). */
  display: string;
  debug?: (text: string) => void;
}

// (Not `createRequire` by name: the bundle's banner declares that identifier itself.)
const pgliteDist = () => path.dirname(nodeModule.createRequire(import.meta.url).resolve('@electric-sql/pglite'));

let compiled: Promise<WebAssembly.Module> | null = null;
/** Start compiling pglite.wasm (9 MB) now; it overlaps with loading Knex and copying the data directory. */
export function compilePglite(): Promise<WebAssembly.Module> {
  if (!compiled) {
    // V8 reads these when it compiles the module. Validate function bodies when first compiled, not all 9 MB up
    // front; never tier up: optimising compiles of hot functions would run on the second core, and a command is
    // over before they pay off.
    v8.setFlagsFromString('--wasm-lazy-validation');
    v8.setFlagsFromString('--wasm-tiering-budget=2000000000');
  }
  compiled ??= fs.promises.readFile(path.join(pgliteDist(), 'pglite.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

function dataDirMessage(display: string, what: string): string {
  return `cannot open the embedded database ${display}: ${what}`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/**
 * Check the directory, and make it from the image if it is new. Throws
 * DataDirError (with a message for the user) for a directory PGlite must not
 * touch. Returns whether the directory was just made.
 */
export async function prepareDataDir(dir: string, display: string, manifest: ImageManifest | null, debug: (t: string) => void): Promise<boolean> {
  const state = inspectDataDir(dir);
  if (state.kind === 'other') throw new DataDirError(dataDirMessage(display, `${state.reason}; nothing was changed`));
  if (state.kind === 'database') {
    const why = incompatibility(state.versions, manifest);
    if (why) {
      const aside = `${shown(dir)}-pg${state.versions.pgVersion}`;
      throw new DataDirError(
        dataDirMessage(
          display,
          `${why}; nothing was changed: move it aside (mv ${shown(dir)} ${aside}) and run dbkit migrate to make a new one (the dbkit version that made the old one can still open it)`,
        ),
      );
    }
    return false;
  }
  if (!manifest) {
    debug('pglite: no data directory image in dist/pglite (run npm run build): PGlite runs initdb');
    return false;
  }
  const t = performance.now();
  await materialize(readImage(manifest), dir);
  debug(`pglite: new data directory from the image (${(performance.now() - t).toFixed(0)} ms)`);
  return true;
}

/** An in-memory file system that starts with the image's data directory instead of running initdb. */
async function imageMemoryFs(image: Image): Promise<import('@electric-sql/pglite').MemoryFS> {
  const { MemoryFS } = await import('@electric-sql/pglite');
  class ImageMemoryFs extends MemoryFS {
    override async initialSyncFs(): Promise<void> {
      materializeInMemory(image, this.pg!.Module.FS, PGDATA);
    }
  }
  return new ImageMemoryFs();
}

export async function openPglite(opts: OpenOptions): Promise<PGlite> {
  const debug = opts.debug ?? (() => undefined);
  const wasm = compilePglite();
  const manifest = readManifest();
  const loading = import('@electric-sql/pglite'); // (loads while a new directory's files are written)
  loading.catch(() => undefined);
  if (opts.dir) await prepareDataDir(opts.dir, opts.display, manifest, debug);
  const { PGlite } = await loading;
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  const where = opts.dir ? { dataDir: opts.dir } : manifest ? { fs: await imageMemoryFs(readImage(manifest)) } : {};
  const t = performance.now();
  const db = await PGlite.create({ ...where, pgliteWasmModule: await wasm, startParams });
  debug(`pglite: started in ${(performance.now() - t).toFixed(0)} ms`);
  return db;
}
