/**
 * Open the embedded database (PGlite: PostgreSQL compiled to WebAssembly),
 * as fast as a one-shot command allows. Where the time went in v0.1.0 (see
 * bench/embedded.ts and the README): initdb in WebAssembly on a new
 * directory; zeroing 145 MB of shared memory at every start (shared_buffers
 * 128MB, zeroed by a byte loop inside the module); V8 compiling hot
 * functions a second time with its optimising compiler on the second core.
 * So: a new directory is copied from an image made at build time
 * (image.ts), shared_buffers is 16MB, and V8 keeps its baseline code unless
 * the command runs long (seeding).
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
  /**
   * Work that runs for seconds (seeding): let V8 optimise hot WebAssembly
   * functions. A short command is done before that pays off.
   */
  longRunning?: boolean;
}

// (Not `createRequire` by name: the bundle's banner declares that identifier itself.)
const pgliteDist = () => path.dirname(nodeModule.createRequire(import.meta.url).resolve('@electric-sql/pglite'));

let flagsSet = false;
/** V8 reads these when it compiles the module, so they must be set before the first open. */
function setWasmFlags(longRunning: boolean): void {
  if (flagsSet) return;
  flagsSet = true;
  // Validate function bodies when they are first compiled, not all 9 MB up front.
  v8.setFlagsFromString('--wasm-lazy-validation');
  // Never tier up: optimising compiles of hot functions run on the second core and finish after a short command has.
  if (!longRunning) v8.setFlagsFromString('--wasm-tiering-budget=2000000000');
}

let compiled: Promise<WebAssembly.Module> | null = null;
/** Start compiling pglite.wasm (9 MB) now; it overlaps with loading Knex and copying the data directory. */
export function compilePglite(longRunning = false): Promise<WebAssembly.Module> {
  setWasmFlags(longRunning);
  compiled ??= fs.promises.readFile(path.join(pgliteDist(), 'pglite.wasm')).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

function dataDirMessage(display: string, what: string): string {
  return `the embedded database ${display} cannot be opened: ${what}`;
}

/**
 * Check the directory, and make it from the image if it is new. Throws
 * DataDirError (with a message for the user) for a directory PGlite must not
 * touch. Returns whether the directory was just made.
 */
export function prepareDataDir(dir: string, display: string, manifest: ImageManifest | null, debug: (t: string) => void): boolean {
  const state = inspectDataDir(dir);
  if (state.kind === 'other') throw new DataDirError(dataDirMessage(display, `${state.reason}; nothing was changed`));
  if (state.kind === 'database') {
    const why = incompatibility(state.versions, manifest);
    if (why) {
      const aside = `${dir}-pg${state.versions.pgVersion}`;
      throw new DataDirError(
        dataDirMessage(display, `${why}; nothing was changed: move it aside (mv ${dir} ${aside}) and run dbkit migrate for a new one, or open it with the dbkit that made it`),
      );
    }
    return false;
  }
  if (!manifest) {
    debug('pglite: no data directory image in dist/pglite (run npm run build): PGlite runs initdb');
    return false;
  }
  const t = performance.now();
  materialize(readImage(manifest), dir);
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
  const wasm = compilePglite(opts.longRunning);
  const manifest = readManifest();
  if (opts.dir) prepareDataDir(opts.dir, opts.display, manifest, debug);
  const { PGlite } = await import('@electric-sql/pglite');
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
  const where = opts.dir ? { dataDir: opts.dir } : manifest ? { fs: await imageMemoryFs(readImage(manifest)) } : {};
  const t = performance.now();
  const db = await PGlite.create({ ...where, pgliteWasmModule: await wasm, startParams });
  debug(`pglite: started in ${(performance.now() - t).toFixed(0)} ms`);
  return db;
}
