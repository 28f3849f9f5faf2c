/**
 * The targets file of `--targets FILE`: named databases, each with its URL
 * (or the environment variable that holds it), optional schema, namespace
 * and tags. Parsing and validation only (pure apart from reading the file):
 * anything wrong in the file is a usage error (exit 2) before any target
 * runs, and an error message never quotes the file's text (it holds
 * passwords): only the line and column.
 *
 *   targets:
 *     - name: tenant-001
 *       url: postgres://app:…@db1:5432/tenant_001
 *       tags: [eu, canary]
 *     - name: tenant-002
 *       urlEnv: TENANT_002_URL
 *       schema: agents
 *       namespace: t2
 */
import path from 'node:path';
import { UsageError } from '../shared/errors.js';
import { readRegularFile } from '../shared/regular-file.js';
import { maskUrl, urlSecrets } from '../shared/mask.js';
import { checkNamespace, PLAIN_NAMESPACE } from '../config/namespace.js';
import { dialectOf, parseUrl } from '../config/url.js';
import type { Dialect } from '../schema/model.js';
import { registerText, registerUrl } from '../shared/secrets.js';
import { schemaNames } from '../schema/registry.js';

export interface TargetSpec {
  name: string;
  /** The URL as written in the file (never printed), or null when it comes from `urlEnv`. */
  url: string | null;
  /** The environment variable that holds the URL. */
  urlEnv: string | null;
  schema: string | null;
  namespace: string | null;
  tags: string[];
}

/** The file, read and validated: its targets in file order and every password it holds (for masking). */
export interface TargetsFile {
  file: string;
  targets: TargetSpec[];
  secrets: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYS = ['name', 'url', 'urlEnv', 'schema', 'namespace', 'tags'] as const;
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>,\]}]+/gi;

/** Every password written in the text, found by URL shape before anything parses it. */
export function textSecrets(text: string): string[] {
  return [...new Set([...text.matchAll(URL_IN_TEXT)].flatMap((m) => urlSecrets(m[0])))];
}

const lineCol = (text: string, offset: number): string => {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
};

/** JSON.parse, reporting only where it failed (Node's message quotes the text). */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    const where = m ? ` at ${lineCol(text, Number(m[1]))}` : (err as Error).message.includes('end of JSON') ? ' (it ends too early)' : '';
    throw new UsageError(`targets file ${file} is not valid JSON${where}`);
  }
}

async function parseYaml(text: string, file: string): Promise<unknown> {
  // esbuild bundles the package as CommonJS: its functions may sit on `default`.
  const mod = (await import('yaml')) as Partial<typeof import('yaml')> & { default?: typeof import('yaml') };
  const parseDocument = mod.parseDocument ?? mod.default!.parseDocument;
  // Only the position and code of an error are used: its message quotes the text.
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0] ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new UsageError(`targets file ${file} is not valid YAML${where} (${first.code})`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** The file's format by its extension; anything else is tried as JSON, then YAML. */
export async function parseTargetsText(text: string, file: string): Promise<unknown> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') return parseJson(text, file);
  if (ext === '.yaml' || ext === '.yml') return parseYaml(text, file);
  return /^\s*[[{]/.test(text) ? parseJson(text, file) : parseYaml(text, file);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(t: Record<string, unknown>, key: string, where: string): string | null {
  const v = t[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !v) throw new UsageError(`${where}: "${key}" must be a non-empty string`);
  return v;
}

async function target(raw: unknown, index: number, file: string): Promise<TargetSpec> {
  const at = `targets file ${file}, target ${index + 1}`;
  if (!isObject(raw)) throw new UsageError(`${at}: must be an object with a name and a url or urlEnv`);
  const name = raw.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new UsageError(`${at}: "name" must be letters, digits, ".", "_" or "-" (at most 100, starting with a letter or digit)`);
  }
  const where = `targets file ${file}, target ${name}`;
  const unknown = Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new UsageError(`${where}: unknown key "${unknown[0]}" (known: ${KEYS.join(', ')})`);
  const url = optionalString(raw, 'url', where);
  const urlEnv = optionalString(raw, 'urlEnv', where);
  if ((url === null) === (urlEnv === null)) throw new UsageError(`${where}: give exactly one of "url" and "urlEnv"`);
  if (urlEnv !== null && !ENV_NAME.test(urlEnv)) throw new UsageError(`${where}: "urlEnv" must be the name of an environment variable, got "${urlEnv}"`);
  let dialect: Dialect | null = null;
  if (url !== null) {
    try {
      dialect = dialectOf(parseUrl(url).engine);
    } catch (err) {
      throw new UsageError(`${where}: ${(err as Error).message}`); // an unknown scheme or an unparsable URL, masked
    }
  }
  const schema = optionalString(raw, 'schema', where);
  if (schema !== null && !schemaNames.includes(schema)) throw new UsageError(`${where}: unknown schema "${schema}": use one of ${schemaNames.join(', ')}`);
  const namespace = optionalString(raw, 'namespace', where);
  if (namespace !== null && !PLAIN_NAMESPACE.test(namespace)) throw new UsageError(`${where}: "namespace" must be a plain identifier, got "${namespace}"`);
  // A system namespace: refused before any target runs where the URL tells the engine (else by the target's own run).
  if (namespace !== null && dialect !== null) await checkNamespace(namespace, dialect, `${where}: "namespace"`);
  const tags = raw.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || !NAME.test(t))) {
    throw new UsageError(`${where}: "tags" must be a list of names (letters, digits, ".", "_", "-")`);
  }
  return { name, url, urlEnv, schema, namespace, tags: [...new Set(tags as string[])] };
}

/** The parsed document -> targets, or a usage error naming what is wrong. */
export async function validateTargets(doc: unknown, file: string): Promise<TargetSpec[]> {
  if (!isObject(doc)) throw new UsageError(`targets file ${file} must hold an object with a "targets" list`);
  const extra = Object.keys(doc).filter((k) => k !== 'targets');
  if (extra.length) throw new UsageError(`targets file ${file}: unknown key "${extra[0]}" (the file holds one key, "targets")`);
  if (!Array.isArray(doc.targets) || doc.targets.length === 0) throw new UsageError(`targets file ${file}: "targets" must be a non-empty list`);
  const targets: TargetSpec[] = [];
  // One after another: the first target that is wrong is the one named.
  for (const [i, t] of doc.targets.entries()) targets.push(await target(t, i, file));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.name)) throw new UsageError(`targets file ${file}: two targets are named ${t.name}`);
    seen.add(t.name);
  }
  return targets;
}

/** Read, parse and validate a targets file. */
export async function loadTargetsFile(file: string, cwd = process.cwd()): Promise<TargetsFile> {
  let text: string | null;
  try {
    // A FIFO, socket or device is refused (exit 2), never opened: it could block for ever.
    text = readRegularFile(path.resolve(cwd, file), `targets file ${file}`, ': give a JSON or YAML file');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read targets file ${file}: ${code ?? String(err)}`);
  }
  if (text === null) throw new UsageError(`cannot read targets file ${file}: no such file`);
  // Before anything could print it: the file's text, then each URL in it (src/shared/secrets.ts).
  registerText(text);
  const secrets = textSecrets(text);
  const targets = await validateTargets(await parseTargetsText(text, file), file);
  for (const t of targets) {
    if (!t.url) continue;
    registerUrl(t.url);
    secrets.push(...urlSecrets(t.url));
  }
  return { file, targets, secrets: [...new Set(secrets)] };
}

/** A target's URL, from the file or its environment variable; `problem` when the variable is unset or empty. */
export interface ResolvedUrl {
  url: string | null;
  problem: string | null;
}

export function resolveUrl(t: TargetSpec, env: NodeJS.ProcessEnv): ResolvedUrl {
  if (t.url !== null) return { url: t.url, problem: null };
  const value = env[t.urlEnv!];
  if (value) registerUrl(value);
  if (!value) return { url: null, problem: `environment variable ${t.urlEnv} is ${value === undefined ? 'not set' : 'empty'}` };
  try {
    parseUrl(value);
  } catch (err) {
    return { url: null, problem: `environment variable ${t.urlEnv}: ${maskUrl((err as Error).message)}` };
  }
  return { url: value, problem: null };
}
