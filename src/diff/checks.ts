/** CHECK constraints of a table: matched by name, compared by condition. */
import type { CheckConstraint, Table } from '../schema/model.js';
import type { Change } from './changes.js';

export function diffChecks(actual: Table, expected: Table): Change[] {
  const table = expected.name;
  const out: Change[] = [];
  const have = new Map((actual.checks ?? []).map((k) => [k.name, k]));
  const want = new Set((expected.checks ?? []).map((k) => k.name));
  const shape = (k: CheckConstraint) => `CHECK (${k.expression})`;
  for (const e of expected.checks ?? []) {
    const a = have.get(e.name);
    if (!a) {
      out.push({ kind: 'check_missing', table, name: e.name, expected: e, actual: null, message: `Check constraint ${e.name} ${shape(e)} on ${table} is missing.` });
    } else if (a.expression !== e.expression) {
      out.push({
        kind: 'check_changed',
        table,
        name: e.name,
        expected: e,
        actual: a,
        message: `Check constraint ${e.name} on ${table} is ${shape(a)}, expected ${shape(e)}.`,
      });
    }
  }
  for (const a of actual.checks ?? []) {
    if (want.has(a.name)) continue;
    out.push({ kind: 'check_extra', table, name: a.name, expected: null, actual: a, message: `Check constraint ${a.name} ${shape(a)} on ${table} is not in the definition.` });
  }
  return out;
}
