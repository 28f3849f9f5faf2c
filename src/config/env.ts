/**
 * The environment variables dbkit reads, and the working directory's `.env`:
 * an empty value is a variable a pipeline meant to set and did not (a CI
 * secret missing, `DATABASE_URL=` in `.env`), never "unset" and never a
 * value: a usage error naming the variable (or the `.env` line). Variables
 * of other tools' conventions keep theirs (NO_COLOR and FORCE_COLOR, where
 * empty means unset; PGHOST, PGPORT and PGPASSWORD, read by the driver).
 */
import path from 'node:path';
import dotenv from 'dotenv';
import { UsageError } from '../shared/errors.js';
import { readRegularFile } from '../shared/regular-file.js';

/** `name`'s value; undefined when it is not set; a usage error when it is set but empty or blank. */
export function envValue(env: NodeJS.ProcessEnv, name: string, hint = 'give it a value or unset it'): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UsageError(`${name} is empty (a variable that is not set?): ${hint}`);
  return value;
}

/** `DATABASE_URL` of the directory's `.env`: undefined when there is no file or no such line; a usage error naming the line when it is empty. */
export function dotenvValue(cwd: string, name: string, hint: string): string | undefined {
  // A FIFO, socket or device named .env is refused (exit 2), never opened: it could block for ever.
  const text = readRegularFile(path.join(cwd, '.env'), '.env', ': dbkit reads .env only as a regular file; remove it, or pass --url');
  if (text === null) return undefined;
  const value = dotenv.parse(text)[name];
  if (value === undefined) return undefined;
  if (value.trim() !== '') return value;
  // The line dotenv took it from (the last one that sets it); the value is empty, so quoting the line quotes no secret.
  const lines = text.split(/\r?\n/);
  const setter = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*[=:]`);
  let line = 0;
  lines.forEach((l, i) => {
    if (setter.test(l)) line = i + 1;
  });
  throw new UsageError(`.env${line ? ` line ${line}` : ''}: ${name} is empty (a variable that is not set?): ${hint}`);
}
