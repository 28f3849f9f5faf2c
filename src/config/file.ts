/** dbkit.config.ts | .js | .json, found in the working directory or named by --config. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../cli/errors.js';

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
}

export interface SeedFileConfig {
  users?: number;
  /** Per-parent counts by schema name (see `dbkit seed --help`). */
  [schema: string]: number | Record<string, number> | undefined;
}

const NAMES = ['dbkit.config.ts', 'dbkit.config.js', 'dbkit.config.mjs', 'dbkit.config.json'];
const KEYS: Record<keyof FileConfig, 'string' | 'number' | 'object'> = {
  url: 'string',
  schema: 'string',
  namespace: 'string',
  lockTimeout: 'number',
  directUrl: 'string',
  env: 'string',
  seed: 'object',
};

/** `seed`: `users` is a number; every other key is an object of non-negative numbers. */
function checkSeed(name: string, seed: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(seed)) {
    if (key === 'users') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw new UsageError(`config file ${name}: "seed.users" must be a positive whole number`);
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

export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${explicit}`);
    return file;
  }
  for (const name of NAMES) {
    const file = path.join(cwd, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

async function importModule(file: string): Promise<unknown> {
  if (file.endsWith('.ts')) {
    // Compile the config on the fly: the published CLI runs plain JavaScript, no TypeScript loader.
    const { transform } = await import('esbuild');
    const out = await transform(fs.readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm' });
    const url = 'data:text/javascript;base64,' + Buffer.from(out.code).toString('base64');
    return ((await import(url)) as { default?: unknown }).default;
  }
  return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
}

/** One line about why a config file did not load: esbuild's first error with its line and column, else the message. */
function readError(err: unknown): string {
  const first = (err as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors?.[0];
  if (first) return `${first.location ? `line ${first.location.line}, column ${first.location.column + 1}: ` : ''}${first.text}`;
  return ((err as Error).message ?? String(err)).split('\n')[0]!;
}

export async function loadConfigFile(file: string): Promise<FileConfig> {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(fs.readFileSync(file, 'utf8')) : await importModule(file);
  } catch (err) {
    throw new UsageError(`cannot read config file ${path.basename(file)}: ${readError(err)}`, { cause: err });
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
    if (key === 'seed') checkSeed(path.basename(file), value as Record<string, unknown>);
  }
  return raw as FileConfig;
}
