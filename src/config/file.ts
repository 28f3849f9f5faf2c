/** dbkit.config.ts | .js | .json, found in the working directory or named by --config. */
import fs from 'node:fs';
import path from 'node:path';
// A namespace import: the ES module bundle's banner declares `createRequire` itself.
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../shared/errors.js';
import { checkRegularFile } from '../shared/regular-file.js';
import { jsonFault } from './json-error.js';
import { readSeconds } from './seconds.js';
import { registerText, registerUrl } from '../shared/secrets.js';

export interface FileConfig {
  url?: string;
  schema?: string;
  namespace?: string;
  lockTimeout?: number;
  /** Direct server URL for migrations when `url` goes through a pooler (see --direct-url). */
  directUrl?: string;
  /** `production` makes `seed` refuse without --force (as DBKIT_ENV=production does). */
  env?: string;
  /** Seeding defaults: `{ users: 50, agents: { runsPerSession: 8 }, chat: {...} }`. */
  seed?: SeedFileConfig;
  /** migrate / rollback: seconds a statement may run (0: no bound), see src/config/online.ts. */
  statementTimeout?: number;
  /** migrate / rollback: seconds a statement waits for its table's lock before it is tried again. */
  ddlLockTimeout?: number;
  /** migrate / rollback: how many times such a statement is tried. */
  ddlLockAttempts?: number;
  /** `pt-osc`: MySQL table copies run through pt-online-schema-change; `none` (default). */
  online?: string;
}

export interface SeedFileConfig {
  users?: number;
  /** Per-parent counts by schema name (see `dbkit seed --help`). */
  [schema: string]: number | Record<string, number> | undefined;
}

const NAMES = ['dbkit.config.ts', 'dbkit.config.js', 'dbkit.config.mjs', 'dbkit.config.json'];
/** A config file is one of these, by its name's ending: anything else is never read, let alone run as code. */
export const CONFIG_EXTENSIONS = ['.ts', '.js', '.mjs', '.json'];
const KEYS: Record<keyof FileConfig, 'string' | 'number' | 'object'> = {
  url: 'string',
  schema: 'string',
  namespace: 'string',
  lockTimeout: 'number',
  directUrl: 'string',
  env: 'string',
  seed: 'object',
  statementTimeout: 'number',
  ddlLockTimeout: 'number',
  ddlLockAttempts: 'number',
  online: 'string',
};

/** The most users one `dbkit seed` loads (about 300 million rows): more is no test data set, and a typo (`1e9`). */
export const SEED_USERS_MAX = 1_000_000;

/** `seed`: `users` is a number; every other key is an object of non-negative numbers. */
function checkSeed(name: string, seed: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(seed)) {
    if (key === 'users') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > SEED_USERS_MAX) {
        throw new UsageError(`config file ${name}: "seed.users" must be a whole number from 1 to ${SEED_USERS_MAX.toLocaleString('en-US')}`);
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) throw new UsageError(`config file ${name}: "seed.${key}" must be an object of counts`);
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new UsageError(`config file ${name}: "seed.${key}.${k}" must be a non-negative number`);
      }
    }
  }
}

/**
 * The config file: --config's (its name must end in a config extension: a
 * file of another kind, `db_password`, was imported as JavaScript and its
 * text came back in the error), else the first of NAMES in the working
 * directory. A directory, FIFO, socket or device there is a usage error
 * naming it, never opened (a FIFO would block for ever).
 */
export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!CONFIG_EXTENSIONS.includes(path.extname(file))) {
      throw new UsageError(`--config ${explicit}: a config file's name ends in ${CONFIG_EXTENSIONS.join(', ')} (dbkit.config.ts); it was not read`);
    }
    if (!checkRegularFile(file, `--config ${explicit}`, ': a config file must be a regular file')) throw new UsageError(`config file not found: ${explicit}`);
    return file;
  }
  for (const name of NAMES) {
    if (checkRegularFile(path.join(cwd, name), name, ': a config file must be a regular file; remove or rename it')) return path.join(cwd, name);
  }
  return null;
}

/**
 * A `.ts` config, compiled on the fly (the published CLI runs plain
 * JavaScript, no TypeScript loader): bundled with the files it imports, its
 * packages left as imports, resolved from the config's own directory (the
 * bundle runs from memory, where a bare name would not resolve).
 */
async function bundleTs(file: string): Promise<string> {
  const { build } = await import('esbuild');
  const require = nodeModule.createRequire(file);
  const out = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    plugins: [
      {
        name: 'dbkit-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:') || nodeModule.builtinModules.includes(args.path)) return { path: args.path, external: true };
            try {
              return { path: pathToFileURL(require.resolve(args.path)).href, external: true };
            } catch {
              return { errors: [{ text: `cannot find package "${args.path}" (imported by ${path.relative(path.dirname(file), args.importer) || path.basename(file)})` }] };
            }
          });
        },
      },
    ],
  });
  return out.outputFiles[0]!.text;
}

async function importModule(file: string): Promise<unknown> {
  if (file.endsWith('.ts')) {
    const url = 'data:text/javascript;base64,' + Buffer.from(await bundleTs(file)).toString('base64');
    return ((await import(url)) as { default?: unknown }).default;
  }
  return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
}

/**
 * Text quoted from the file in a parser's message (`Expected ";" but found
 * "hunter2"`, `Unexpected identifier 'hunter2'`): a config file holds
 * passwords, so none of it is shown, only what kind of thing was there.
 */
const withoutQuotes = (message: string): string =>
  message.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`/g, (q) => (q.length <= 3 ? q : '(text not shown)'));

/** The file's text is never shown: it may hold a password. */
const NOT_SHOWN = "the file's text is not shown, it may hold a password";

/** One line about why a config file did not load: where (line, column) and what is wrong, never the file's text. */
function readError(err: unknown, file: string, text: string): string {
  if (file.endsWith('.json')) {
    const fault = jsonFault(text);
    if (fault) return `line ${fault.line}, column ${fault.column}: ${fault.what} (${NOT_SHOWN})`;
  }
  const first = (err as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
  if (first) {
    const where = first.location;
    const other = where && path.resolve(where.file) !== path.resolve(file) ? `${path.relative(path.dirname(file), path.resolve(where.file))}, ` : '';
    return `${where ? `${other}line ${where.line}, column ${where.column + 1}: ` : ''}${withoutQuotes(first.text)}`;
  }
  const message = ((err as Error).message ?? String(err)).split('\n')[0]!;
  return err instanceof SyntaxError ? `${withoutQuotes(message)} (${NOT_SHOWN})` : thrownError(err, file, message, text);
}

/**
 * The engine's messages that quote the file: `hunter2 is not defined` (a
 * password pasted on a line of its own), `x is not a function`, `Cannot read
 * properties of undefined (reading 'x')`: the name is not shown.
 */
const QUOTES_A_NAME = /^(?:\S+) (is not defined|is not a function|is not a constructor|is not iterable)\b/;

/**
 * An error the config's code threw while it ran: its kind, where (line and
 * column of a .js or .mjs file; a .ts file runs compiled, so its lines are
 * not the file's), and its message without the names or quoted text the
 * engine took from the file. The registered secrets of the file's text (its
 * URLs, `password: '...'`) are masked in any case, as in everything printed.
 */
function thrownError(err: unknown, file: string, message: string, text: string): string {
  const kind = err instanceof Error && err.name && err.name !== 'Error' ? `${err.name}: ` : '';
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  // A frame in the file, as an ES module (file:///...) or a CommonJS one (its path) names it.
  const at = file.endsWith('.ts') ? null : new RegExp(`(?:${esc(pathToFileURL(file).href)}|${esc(file)}):(\\d+):(\\d+)`).exec(stack);
  const where = at ? `line ${at[1]}, column ${at[2]}: ` : '';
  const named = QUOTES_A_NAME.exec(message);
  const said = named ? `a name used in the file ${named[1]} (${NOT_SHOWN})` : withoutLiterals(withoutQuotes(message), text);
  return `${where}${kind}${said}`;
}

/**
 * `message` with each quoted value of the file's text that could be a secret
 * (4 characters or more, no space: not a sentence) masked where it appears
 * (`throw new Error(pw)` of `const pw = 'hunter22'`).
 */
function withoutLiterals(message: string, text: string): string {
  const values = [...text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)].map((m) => m[2]!).filter((v) => v.length >= 4 && !/\s/.test(v));
  return values.sort((a, b) => b.length - a.length).reduce((out, v) => out.split(v).join('****'), message);
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export async function loadConfigFile(file: string): Promise<FileConfig> {
  let raw: unknown;
  let text = '';
  try {
    // Its URLs are secrets before it is even parsed (a message never quotes the file, but a stack might).
    text = fs.readFileSync(file, 'utf8');
    registerText(text);
    raw = file.endsWith('.json') ? JSON.parse(text) : await importModule(file);
  } catch (err) {
    // Node's JSON and syntax errors quote the file around the fault, and an error its code throws may name
    // what it read there (`hunter2 is not defined`): never kept as the cause, which --verbose prints.
    throw new UsageError(`cannot read config file ${path.basename(file)}: ${readError(err, file, text)}`);
  }
  if (typeof raw !== 'object' || raw === null) {
    throw new UsageError(`config file ${path.basename(file)} must export an object`);
  }
  for (const [key, value] of Object.entries(raw)) {
    const want = KEYS[key as keyof FileConfig];
    if (!want) throw new UsageError(`config file ${path.basename(file)}: unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    if (typeof value !== want || value === null) {
      throw new UsageError(`config file ${path.basename(file)}: "${key}" must be ${want === 'object' ? 'an' : 'a'} ${want}`);
    }
    // An empty value (`url: process.env.DB_URL ?? ''`, a template left blank) is not "unset": it would fall back silently.
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(`config file ${path.basename(file)}: "${key}" is empty: give it a value, or leave the key out`);
    }
    if (key === 'seed') checkSeed(path.basename(file), value as Record<string, unknown>);
    if (key === 'lockTimeout' && readSeconds(value as number) === null) {
      throw new UsageError(`config file ${path.basename(file)}: "lockTimeout" must be a number of seconds, 0 or more, got ${String(value)}`);
    }
  }
  registerUrl((raw as FileConfig).url);
  return raw as FileConfig;
}
