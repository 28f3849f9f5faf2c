/**
 * Bundles the CLI into dist/cli (run by `npm run build` after tsc):
 *
 * - dbkit.cjs: the entry (commander, the program, CommonJS: `--help` never
 *   starts Node's ES module loader);
 * - <command>/index.js: each command bundled on its own (ES modules), which
 *   the entry reaches through commands-index.js; what a command imports
 *   lazily (the fix-script planner, fleets, PGlite) in chunks beside it.
 *   Not one build with chunks shared by all commands: Node's ES module
 *   loader pays per file (resolve, read, compile, link), and `dbkit sql`
 *   loaded 14 such chunks, about 5 ms more than the same code in 2 files;
 * - seed-worker.cjs: the seed's generating thread (src/seed/seeder.ts looks
 *   for it one folder up from the command bundle it is in).
 */
import { build, type Plugin } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'); // dist/scripts -> checkout
const DIST = path.join(ROOT, 'dist');
const OUT = path.join(DIST, 'cli');
const COMMANDS = path.join(DIST, 'src', 'commands');
/** Packages loaded from node_modules at run time (large, optional or native). */
const EXTERNAL = ['knex', 'knex-pglite', '@electric-sql/pglite', 'inquirer', 'esbuild', 'pg-native', 'libpg-query'];
const ESM_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** commands-index's `import('../commands/x.js')` -> the bundle `./x/index.js` beside it. */
const commandBundles: Plugin = {
  name: 'command-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/commands\/[\w-]+\.js$/ }, (args) => ({ path: `./${path.basename(args.path, '.js')}/index.js`, external: true }));
  },
};

async function main(): Promise<void> {
  fs.rmSync(OUT, { recursive: true, force: true });
  const index = fs.readFileSync(path.join(DIST, 'src', 'cli', 'commands-index.js'), 'utf8');
  const names = [...index.matchAll(/import\('\.\.\/commands\/([\w-]+)\.js'\)/g)].map((m) => m[1]!);
  if (!names.length) throw new Error('no commands found in dist/src/cli/commands-index.js');
  const common = { bundle: true, platform: 'node', logLevel: 'warning' } as const;
  await Promise.all(
    names.map((n) =>
      build({
        ...common,
        entryPoints: { index: path.join(COMMANDS, `${n}.js`) },
        format: 'esm',
        splitting: true,
        outdir: path.join(OUT, n),
        external: EXTERNAL,
        banner: { js: ESM_BANNER },
      }),
    ),
  );
  await build({ ...common, entryPoints: { 'commands-index': path.join(DIST, 'src', 'cli', 'commands-index.js') }, format: 'esm', outdir: OUT, plugins: [commandBundles] });
  await build({
    ...common,
    entryPoints: [path.join(DIST, 'bin', 'dbkit.js')],
    format: 'cjs',
    outfile: path.join(OUT, 'dbkit.cjs'),
    external: ['./commands-index.js', 'inquirer', 'esbuild'],
  });
  await build({ ...common, entryPoints: [path.join(DIST, 'src', 'seed', 'worker.js')], format: 'cjs', outfile: path.join(OUT, 'seed-worker.cjs') });
}

await main();
