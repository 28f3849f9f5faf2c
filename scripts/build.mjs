// @ts-check
/**
 * The build: `npm run build`, and `prepare` (what `npm ci` and `npm install`
 * run, and what npx runs again when it links this checkout into its cache):
 *
 *   1. tsc -p tsconfig.json                  -> dist/
 *   2. node dist/scripts/bundle.js           -> dist/cli/ (the bundled CLI)
 *   3. node dist/scripts/pglite-image.js     -> dist/pglite/ (an empty PGlite data directory)
 *   4. the stamp, dist/.build-stamp.json: a SHA-256 of the build's inputs.
 *
 * The inputs: every file tsc compiles (the `<dir>/**\/*.ts` patterns of
 * tsconfig.json's "include"), tsconfig.json, package.json (the scripts, the
 * dependencies' ranges), package-lock.json (the exact TypeScript, esbuild and
 * PGlite) and this file. When the stamp matches them and the outputs are
 * there, the build does nothing: a second `prepare` after `npm ci` is a
 * no-op instead of 10 to 35 s of CPU rewriting dist/. Any change to an
 * input builds again. `--force` builds whatever the stamp says.
 *
 * Plain JavaScript: it runs before anything is compiled.
 *
 *   node scripts/build.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The stamp, in dist/ (relative to the checkout). */
export const STAMP = 'dist/.build-stamp.json';
/** Inputs outside tsconfig's "include" (paths relative to the checkout). */
const EXTRA_INPUTS = ['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/build.mjs'];
/** What a complete build leaves (checked with the stamp: a dist/ emptied by hand builds again). */
export const OUTPUTS = ['dist/cli/dbkit.cjs', 'dist/cli/commands-index.js', 'dist/pglite/datadir.bin', 'dist/pglite/datadir.json'];

/**
 * The files tsc compiles: tsconfig.json's "include" patterns, each of the
 * form `<dir>/**\/*.<ext>` (any other form is refused rather than guessed).
 * Directories starting with a dot (bench/.work) and node_modules are skipped.
 * @param {string} root the checkout
 * @returns {string[]} paths relative to the checkout, `/`-separated, sorted
 */
export function inputFiles(root) {
  /** @type {{ include?: string[] }} */
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const files = new Set(EXTRA_INPUTS.filter((f) => fs.existsSync(path.join(root, f))));
  for (const pattern of tsconfig.include ?? []) {
    const m = /^([\w.-]+(?:\/[\w.-]+)*)\/\*\*\/\*(\.[\w.]+)$/.exec(pattern);
    if (!m) throw new Error(`tsconfig.json: include pattern "${pattern}" is not of the form <dir>/**/*.<ext>, which scripts/build.mjs hashes`);
    const dir = /** @type {string} */ (m[1]);
    const ext = /** @type {string} */ (m[2]);
    walk(root, dir, (rel) => rel.endsWith(ext) && files.add(rel));
  }
  return [...files].sort();
}

/**
 * @param {string} root the checkout
 * @param {string} rel a directory relative to it
 * @param {(rel: string) => void} visit called with each file's relative path
 */
function walk(root, rel, visit) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const child = `${rel}/${e.name}`;
    if (e.isDirectory()) walk(root, child, visit);
    else if (e.isFile()) visit(child);
  }
}

/**
 * @param {string} root the checkout
 * @returns {{ hash: string, files: number }} the SHA-256 of the inputs' paths and contents
 */
export function inputsHash(root) {
  const files = inputFiles(root);
  const h = createHash('sha256');
  for (const f of files) {
    const data = fs.readFileSync(path.join(root, f));
    h.update(`${f}\0${data.length}\0`).update(data);
  }
  return { hash: h.digest('hex'), files: files.length };
}

/**
 * @param {string} root the checkout
 * @param {string} hash its inputs' hash
 * @returns {boolean} whether dist/ was built from these inputs and is complete
 */
export function isCurrent(root, hash) {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8'));
    return stamp.inputs === hash && OUTPUTS.every((f) => fs.existsSync(path.join(root, f)));
  } catch {
    return false;
  }
}

/** @param {string} what @param {string[]} args node's arguments */
function step(what, args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: ${what} failed (${r.signal ?? `exit ${r.status}`}); dist/ is incomplete and the next build starts over`);
    process.exit(r.status || 1);
  }
}

function main() {
  const force = process.argv.includes('--force');
  const started = performance.now();
  const inputs = inputsHash(ROOT);
  if (!force && isCurrent(ROOT, inputs.hash)) {
    console.log(`build: dist/ is current (${inputs.files} input files, sha256 ${inputs.hash.slice(0, 12)}): nothing to build (npm run build -- --force builds anyway)`);
    return;
  }
  // No stamp while dist/ is being rewritten: a build stopped half-way is not taken for a complete one.
  fs.rmSync(path.join(ROOT, STAMP), { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  step('tsc', [tsc, '-p', 'tsconfig.json']);
  step('the bundles', ['dist/scripts/bundle.js']);
  step('the PGlite image', ['dist/scripts/pglite-image.js']);
  const after = inputsHash(ROOT);
  if (after.hash !== inputs.hash) {
    console.error('build: the sources changed while building: no stamp written, the next build runs again');
    return;
  }
  const stamp = { inputs: inputs.hash, files: inputs.files, node: process.version, builtAt: new Date().toISOString() };
  fs.writeFileSync(path.join(ROOT, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  console.log(`build: dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s (${inputs.files} input files, sha256 ${inputs.hash.slice(0, 12)})`);
}

// Run as a script (not when a test imports it for inputsHash).
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) main();
