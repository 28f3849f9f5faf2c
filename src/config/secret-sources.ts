/**
 * The secrets known before anything is parsed (run.ts registers them first,
 * so that even commander's own messages are scrubbed): the flags that carry
 * URLs and passwords, the variables, and the working directory's `.env`.
 * The config file's URL is registered when it is read (load.ts, file.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SecretSet } from '../shared/secrets.js';

const URL_FLAGS = new Set(['--url', '--direct-url']);
const PASSWORD_FLAGS = new Set(['--password']);
const USER_FLAGS = new Set(['--user']);
const PUBLIC_FLAGS = new Set(['--schema', '--namespace', '--host', '--database', '--port']);
const URL_VARIABLES = ['DATABASE_URL', 'DBKIT_DIRECT_URL'];
const PASSWORD_VARIABLES = ['DBKIT_PASSWORD', 'PGPASSWORD', 'MYSQL_PWD'];
const USER_VARIABLES = ['PGUSER'];
const DB_URL = /^(postgres|postgresql|mysql|mariadb):\/\//i;

function fromArgv(secrets: SecretSet, argv: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, argv[i + 1]];
    if (URL_FLAGS.has(flag)) secrets.addUrl(value);
    else if (PASSWORD_FLAGS.has(flag)) secrets.addPassword(value);
    else if (USER_FLAGS.has(flag)) secrets.addUser(value);
    else if (PUBLIC_FLAGS.has(flag)) secrets.addPublic(value);
    // A URL anywhere else (a forgotten --url): commander may quote it back.
    else if (arg.includes('://')) secrets.addUrl(eq > 0 ? value : arg);
  }
}

function fromEnv(secrets: SecretSet, env: NodeJS.ProcessEnv): void {
  for (const name of URL_VARIABLES) secrets.addUrl(env[name]);
  for (const name of PASSWORD_VARIABLES) secrets.addPassword(env[name]);
  for (const name of USER_VARIABLES) secrets.addUser(env[name]);
  // Any other variable that holds a database URL (a config file may read it: CHAT_DB_URL).
  for (const name of Object.keys(env)) {
    if (URL_VARIABLES.includes(name)) continue;
    const value = env[name];
    if (value && DB_URL.test(value)) secrets.addUrl(value);
  }
}

function fromDotenv(secrets: SecretSet, cwd: string): void {
  let text: string;
  try {
    // Only a regular file: a FIFO would block the start for ever (env.ts refuses one when .env is read for a URL).
    const file = path.join(cwd, '.env');
    if (!fs.statSync(file).isFile()) return;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return; // none, or not readable: nothing of it can be printed either
  }
  secrets.addText(text);
}

export function registerStartupSecrets(secrets: SecretSet, argv: string[], env: NodeJS.ProcessEnv, cwd: string): void {
  fromArgv(secrets, argv);
  fromEnv(secrets, env);
  fromDotenv(secrets, cwd);
}
