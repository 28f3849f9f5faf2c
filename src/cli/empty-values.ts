/**
 * An empty value is not a value (issue 20): `--to "$TARGET"` with TARGET
 * unset must not mean "no --to" (apply everything), nor `--seed ""` seed 0.
 * One check, after commander has parsed and before any command runs, over
 * every option that takes a value (the command's and its parents') and every
 * argument: an empty or blank one, or an empty item of a list
 * (`--only a,`), is a usage error naming the flag. The value itself is never
 * quoted: it is empty, and a list's other items are left out.
 */
import type { Command } from 'commander';
import { UsageError } from '../shared/errors.js';

const blank = (v: unknown): boolean => typeof v === 'string' && v.trim() === '';

/** The usage error for the first empty value given on the command line, or null. */
export function emptyValueError(action: Command): UsageError | null {
  for (let cmd: Command | null = action; cmd; cmd = cmd.parent) {
    for (const option of cmd.options) {
      if (!option.required && !option.optional) continue; // a switch takes no value
      const key = option.attributeName();
      if (cmd.getOptionValueSource(key) !== 'cli') continue;
      const value: unknown = cmd.getOptionValue(key);
      const flag = option.long ?? option.short ?? key;
      if (blank(value)) {
        return new UsageError(`${flag} is empty (a variable that is not set?): give it a value, or leave ${flag} out`);
      }
      if (Array.isArray(value) && value.some(blank)) {
        return new UsageError(`${flag} has an empty item (a variable that is not set, or a stray comma?): give each a value`);
      }
    }
  }
  const empty = action.registeredArguments.find((_arg, i) => blank(action.args[i]));
  return empty ? new UsageError(`the argument <${empty.name()}> is empty (a variable that is not set?): give it a value`) : null;
}
