/**
 * dbkit init: set a project up. Asks (on a terminal) for the engine, host,
 * port, user, password (hidden), database and schema, or takes them from
 * flags (no terminal needed); tests the connection; writes `.env`
 * (DATABASE_URL) and `dbkit.config.json` (the schema). A file that would
 * change is replaced only after a yes at the prompt, or with --force.
 */
import { engineFor } from '../engines/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { ConnectError, UsageError } from '../shared/errors.js';
import { invocation } from '../shared/invocation.js';
import type { Io } from '../shared/io.js';
import { envValue } from '../config/env.js';
import { findConfigFile } from '../config/file.js';
import { loadConfig, type GlobalOptions } from '../config/load.js';
import { registerPassword, registerUrl, registerUser } from '../shared/secrets.js';
import { dialectOf, parseUrl } from '../config/url.js';
import { pingDatabase } from '../db/connect.js';
import { readRegularFile } from '../shared/regular-file.js';
import { defaultSchemaFor, schemaNames } from '../schema/registry.js';
import { wholeNumber } from './shared.js';
import {
  CONFIG_FILE,
  ENV_FILE,
  INIT_ENGINES,
  checkAnswers,
  checkEnvValue,
  configContent,
  defaultsFor,
  envWith,
  urlOf,
  type InitAnswers,
  type InitEngine,
} from '../init/answers.js';

export interface InitOptions {
  engine?: string;
  host?: string;
  port?: string;
  user?: string;
  password?: string;
  database?: string;
  dir?: string;
  force?: boolean;
  /** false with --no-test */
  test?: boolean;
}

type FileState = 'created' | 'updated' | 'unchanged' | 'kept';

/** Flags first, then (on a terminal) questions for what they left open, then defaults. */
async function answers(opts: InitOptions, globals: GlobalOptions, io: Io): Promise<InitAnswers> {
  const ask = io.interactive && !io.yes;
  let engine = opts.engine as InitEngine | undefined;
  if (!engine && ask) {
    engine = (
      await io.ask<{ engine: InitEngine }>([
        { type: 'select', name: 'engine', message: 'Database engine', choices: INIT_ENGINES.map((e) => ({ name: e, value: e })), default: 'postgres' },
      ])
    ).engine;
  }
  const d = defaultsFor(engine ?? 'postgres');
  const dbkitPassword = opts.password === undefined ? envValue(process.env, 'DBKIT_PASSWORD', 'give the password, or unset it (for no password, leave out both DBKIT_PASSWORD and --password)') : undefined;
  const given: Partial<InitAnswers> = {
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: wholeNumber(opts.port, '--port', 1, 65535) } : {}),
    ...(opts.user !== undefined ? { user: opts.user } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : dbkitPassword !== undefined ? { password: dbkitPassword } : {}),
    ...(opts.database !== undefined ? { database: opts.database } : {}),
    ...(globals.schema !== undefined ? { schema: globals.schema } : {}),
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
  };
  const a: InitAnswers = { ...d, ...given };
  registerPassword(a.password);
  registerUser(a.user);
  if (!ask) return a;
  const open = (k: keyof InitAnswers) => !(k in given);
  const server = !engineFor(a.engine).connect.embedded;
  const questions = [
    !server && open('dir') && { type: 'input', name: 'dir', message: 'Data directory', default: a.dir },
    server && open('host') && { type: 'input', name: 'host', message: 'Host', default: a.host },
    server && open('port') && { type: 'number', name: 'port', message: 'Port', default: a.port },
    server && open('user') && { type: 'input', name: 'user', message: 'User', default: a.user },
    server && open('password') && { type: 'password', name: 'password', message: 'Password', mask: '*' },
    server && open('database') && { type: 'input', name: 'database', message: 'Database', default: a.database },
    open('schema') && {
      type: 'select',
      name: 'schema',
      message: 'Schema',
      choices: schemaNames.map((s) => ({ name: s, value: s })),
      default: a.schema,
    },
  ].filter(Boolean) as object[];
  const typed = { ...a, ...(await io.ask<Partial<InitAnswers>>(questions)) };
  registerPassword(typed.password);
  registerUser(typed.user);
  return typed;
}

/** Whether a file may be replaced: it is new or the same, the user said yes, or --force. */
async function mayWrite(file: string, replaces: boolean, opts: InitOptions, io: Io): Promise<boolean> {
  if (!replaces || opts.force) return true;
  if (io.interactive && !io.yes) {
    // io.ask, not io.confirm: Ctrl-C here is an interrupt (nothing written), not a "no".
    const { ok } = await io.ask<{ ok: boolean }>([{ type: 'confirm', name: 'ok', message: `${path.basename(file)} exists and would change: replace it?`, default: false }]);
    return ok;
  }
  throw new UsageError(`${path.basename(file)} exists and would change: pass --force to replace it (nothing was written)`);
}

const WRITE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** Why `dir` cannot take dbkit's files, in words, or null when it can. */
function unwritable(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return WRITE_ERRORS[code] ? `${WRITE_ERRORS[code]} (${code})` : null;
}

/** The directory must take new files before anything is asked or tested (a temp file is how .env is replaced). */
function checkWritable(dir: string): void {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const why = unwritable(err);
    if (why) throw new UsageError(`cannot write in ${dir}: ${why}; run dbkit init in a directory you can write (nothing was written)`, { cause: err });
    throw err;
  }
}

function writeAtomically(file: string, content: string, written: string[], mode?: number): void {
  const tmp = `${file}.dbkit-${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, content, mode ? { mode } : {});
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const why = unwritable(err);
    if (!why) throw err;
    const done = written.length ? `${written.join(' and ')} ${written.length === 1 ? 'was' : 'were'} written` : 'nothing was written';
    throw new UsageError(`cannot write ${path.basename(file)} in ${path.dirname(file)}: ${why} (${done})`, { cause: err });
  }
  written.push(path.basename(file));
}

export async function initCommand(opts: InitOptions, globals: GlobalOptions, io: Io): Promise<number> {
  const cwd = process.cwd();
  if (opts.engine !== undefined && !INIT_ENGINES.includes(opts.engine as InitEngine)) {
    throw new UsageError(`--engine must be one of ${INIT_ENGINES.join(', ')}, got "${opts.engine}"`);
  }
  checkWritable(cwd);
  let url: string;
  let schema: string;
  if (globals.url !== undefined) {
    url = globals.url;
    const target = parseUrl(url, cwd, '--url');
    schema = globals.schema ?? defaultSchemaFor(dialectOf(target.engine));
  } else {
    const a = await answers(opts, globals, io);
    checkAnswers(a);
    url = urlOf(a);
    schema = a.schema;
  }
  registerUrl(url);
  checkEnvValue(url);
  const { engine, display } = parseUrl(url, cwd, globals.url !== undefined ? '--url' : undefined);

  // The connection first: nothing is written for a database that does not answer, unless asked to.
  let tested = false;
  if (opts.test !== false && !engineFor(engine).connect.embedded) {
    const config = await loadConfig({ url, schema }, { ...process.env, DATABASE_URL: undefined }, cwd);
    try {
      await pingDatabase(config, (t) => io.debug(t));
      tested = true;
      io.log(`connected to ${display}`);
    } catch (err) {
      const why = (err as Error).message;
      if (!(io.interactive && !io.yes) || !(await io.confirm(`${why}. Write the files anyway?`))) {
        throw err instanceof ConnectError ? err : new ConnectError(why, { cause: err });
      }
    }
  }

  const files: Record<string, FileState> = {};
  const envFile = path.join(cwd, ENV_FILE);
  // A FIFO, socket or device in the way is refused (exit 2), never opened: it could block for ever.
  const existingEnv = readRegularFile(envFile, ENV_FILE, ': init writes .env only as a regular file; remove it');
  const env = envWith(existingEnv, url);
  const other = findConfigFile(cwd);
  const configFile = path.join(cwd, CONFIG_FILE);
  const existingConfig = readRegularFile(configFile, CONFIG_FILE, ': init writes it only as a regular file; remove it');
  const config = configContent({ ...defaultsFor('postgres'), schema }, existingConfig);

  // Ask (or refuse) for both before writing either: a refusal leaves everything as it was.
  const writeEnv = env.content === existingEnv ? false : await mayWrite(envFile, env.replaces, opts, io);
  const ownConfig = !other || path.resolve(other) === configFile;
  const writeConfig = !ownConfig || config === existingConfig ? false : await mayWrite(configFile, existingConfig !== null, opts, io);

  const written: string[] = [];
  if (writeEnv) writeAtomically(envFile, env.content, written, 0o600);
  files[ENV_FILE] = env.content === existingEnv ? 'unchanged' : !writeEnv ? 'kept' : existingEnv === null ? 'created' : 'updated';
  if (writeConfig) writeAtomically(configFile, config, written);
  files[CONFIG_FILE] = !ownConfig || config === existingConfig ? (ownConfig ? 'unchanged' : 'kept') : !writeConfig ? 'kept' : existingConfig === null ? 'created' : 'updated';
  if (!ownConfig) io.warn(`${path.basename(other!)} exists and is read instead of ${CONFIG_FILE}: set "schema": "${schema}" there`);

  if (io.json) {
    io.emitJson({ url: display, engine, schema, tested, files });
  } else {
    const list = Object.entries(files).map(([f, state]) => `  ${f}: ${state}`);
    io.out(
      [
        `dbkit is set up for ${schema} on ${display}${tested ? ' (connection tested)' : ''}:`,
        ...list,
        `keep ${ENV_FILE} out of version control (it holds the password); next: ${invocation()} migrate`,
      ].join('\n'),
    );
  }
  return 0;
}
