/**
 * DBK601: a PostgreSQL migration that turns off the bounds dbkit puts on its
 * waits. dbkit sets lock_timeout itself for every migration statement
 * (src/migrate/apply/execute.ts; 3 s, retried), so a migration needs no SET of its
 * own (what squawk's require-timeout-settings asks for is done at run time);
 * but `SET lock_timeout = 0`, `RESET lock_timeout` or the same for
 * statement_timeout in a migration lifts the bound for what follows.
 */
import type { Rule } from './rule.js';

const BOUNDS = new Set(['lock_timeout', 'statement_timeout']);
const OFF = /^'?0+(\.0+)?\s*(ms|s|min|h|d)?'?$/i;

export const timeouts: Rule = {
  codes: ['DBK601'],
  dialects: ['postgres'],
  check(f) {
    if (f.kind !== 'set' || !BOUNDS.has(f.name)) return [];
    if (f.value !== null && !OFF.test(f.value)) return [];
    return [
      {
        code: 'DBK601',
        message: `${f.value === null ? `RESET ${f.name} / SET ${f.name} TO DEFAULT` : `SET ${f.name} = ${f.value}`} lifts the bound dbkit sets on every migration statement: a statement that waits for a lock then waits without limit, and queues every query behind it: remove it`,
      },
    ];
  },
};
