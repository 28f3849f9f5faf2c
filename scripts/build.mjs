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
 * tsconfig.json's "include", and the files outside them that those import,
 * such as test/support/servers.ts for the benches: found in dist/ after a
 * build and listed in the stamp), tsconfig.json, package.json (the scripts,
 * the dependencies' ranges), package-lock.json (the exact TypeScript, esbuild
 * and PGlite) and this file. When the stamp matches them and the outputs are
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
 * The build's inputs: the files of tsconfig.json's "include" patterns, each
 * of the form `<dir>/**\/*.<ext>` (any other form is refused rather than
 * guessed; directories starting with a dot, such as bench/.work, and
 * node_modules are skipped), EXTRA_INPUTS, and `also` (those that exist).
 * @param {string} root the checkout
 * @param {string[]} [also] more sources (the stamp's alsoCompiled)
 * @returns {string[]} paths relative to the checkout, `/`-separated, sorted
 */
export function inputFiles(root, also = []) {
  /** @type {{ include?: string[] }} */
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const files = new Set([...EXTRA_INPUTS, ...also].filter((f) => fs.existsSync(path.join(root, f))));
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
 * The sources tsc compiled that no include pattern names (files that the
 * included ones import): each of tsc's dist/**\/*.js (not the bundles in
 * dist/cli) whose .ts is in the checkout but not among inputFiles(root).
 * @param {string} root the checkout, built
 * @returns {string[]} paths relative to the checkout, sorted
 */
export function alsoCompiled(root) {
  const included = new Set(inputFiles(root));
  /** @type {string[]} */
  const out = [];
  walk(root, 'dist', (rel) => {
    if (!rel.endsWith('.js') || rel.startsWith('dist/cli/')) return;
    const src = `${rel.slice('dist/'.length, -'.js'.length)}.ts`;
    if (!included.has(src) && fs.existsSync(path.join(root, src))) out.push(src);
  });
  return out.sort();
}

/**
 * @param {string} root the checkout
 * @param {string[]} [also] more sources (the stamp's alsoCompiled)
 * @returns {{ hash: string, files: number }} the SHA-256 of the inputs' paths and contents
 */
export function inputsHash(root, also = []) {
  const files = inputFiles(root, also);
  const h = createHash('sha256');
  for (const f of files) {
    const data = fs.readFileSync(path.join(root, f));
    h.update(`${f}\0${data.length}\0`).update(data);
  }
  return { hash: h.digest('hex'), files: files.length };
}

/**
 * Whether dist/ was built from the inputs as they are now, and is complete.
 * @param {string} root the checkout
 * @returns {{ current: boolean, hash: string, files: number }} and the inputs' hash
 */
export function check(root) {
  /** @type {{ inputs?: unknown, alsoCompiled?: unknown } | null} */
  let stamp = null;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP), 'utf8'));
  } catch {
    // none, or unreadable: not current
  }
  const also = Array.isArray(stamp?.alsoCompiled) ? stamp.alsoCompiled.filter((f) => typeof f === 'string') : [];
  const inputs = inputsHash(root, also);
  const current = stamp?.inputs === inputs.hash && OUTPUTS.every((f) => fs.existsSync(path.join(root, f)));
  return { current, ...inputs };
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
  const now = check(ROOT);
  if (!force && now.current) {
    console.log(`build: dist/ is current (${now.files} input files, sha256 ${now.hash.slice(0, 12)}): nothing to build (npm run build -- --force builds anyway)`);
    return;
  }
  const before = inputsHash(ROOT).hash;
  // No stamp while dist/ is being rewritten: a build stopped half-way is not taken for a complete one.
  fs.rmSync(path.join(ROOT, STAMP), { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  step('tsc', [tsc, '-p', 'tsconfig.json']);
  step('the bundles', ['dist/scripts/bundle.js']);
  step('the PGlite image', ['dist/scripts/pglite-image.js']);
  if (inputsHash(ROOT).hash !== before) {
    console.error('build: the sources changed while building: no stamp written, the next build runs again');
    return;
  }
  const also = alsoCompiled(ROOT);
  const inputs = inputsHash(ROOT, also);
  const stamp = { inputs: inputs.hash, files: inputs.files, alsoCompiled: also, node: process.version, builtAt: new Date().toISOString() };
  fs.writeFileSync(path.join(ROOT, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
  console.log(`build: dist/ built in ${((performance.now() - started) / 1000).toFixed(1)} s (${inputs.files} input files, sha256 ${inputs.hash.slice(0, 12)})`);
}

// Run as a script (not when a test imports it for inputsHash).
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) main();
