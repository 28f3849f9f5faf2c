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
}

const NAMES = ['dbkit.config.ts', 'dbkit.config.js', 'dbkit.config.mjs', 'dbkit.config.json'];
const KEYS: Record<keyof FileConfig, 'string' | 'number'> = {
  url: 'string',
  schema: 'string',
  namespace: 'string',
  lockTimeout: 'number',
};

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

export async function loadConfigFile(file: string): Promise<FileConfig> {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(fs.readFileSync(file, 'utf8')) : await importModule(file);
  } catch (err) {
    throw new UsageError(`cannot read config file ${path.basename(file)}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof raw !== 'object' || raw === null) {
    throw new UsageError(`config file ${path.basename(file)} must export an object`);
  }
  for (const [key, value] of Object.entries(raw)) {
    const want = KEYS[key as keyof FileConfig];
    if (!want) throw new UsageError(`config file ${path.basename(file)}: unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
    if (typeof value !== want) throw new UsageError(`config file ${path.basename(file)}: "${key}" must be a ${want}`);
  }
  return raw as FileConfig;
}
