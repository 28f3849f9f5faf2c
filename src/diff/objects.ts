/** Objects beside the tables: PostgreSQL enum types, and triggers (the ones a variant relies on, and any other on its tables). */
import type { EnumType, Trigger } from '../schema/model.js';
import type { Change } from './changes.js';
import { quote, sameList } from '../schema/describe.js';

const labelList = (labels: string[]): string => `(${labels.map(quote).join(', ')})`;

export function diffEnums(actual: readonly EnumType[], expected: readonly EnumType[]): Change[] {
  const out: Change[] = [];
  const actualByName = new Map(actual.map((t) => [t.name, t]));
  const expectedNames = new Set(expected.map((t) => t.name));
  for (const e of expected) {
    const a = actualByName.get(e.name);
    if (!a) {
      out.push({
        kind: 'enum_missing',
        table: null,
        name: e.name,
        expected: e,
        actual: null,
        message: `Enum type ${e.name} ${labelList(e.labels)} is missing.`,
      });
    } else if (!sameList(a.labels, e.labels)) {
      out.push({
        kind: 'enum_labels',
        table: null,
        name: e.name,
        expected: e.labels,
        actual: a.labels,
        message: `Enum type ${e.name} has labels ${labelList(a.labels)}, expected ${labelList(e.labels)}.`,
      });
    }
  }
  for (const a of actual) {
    if (expectedNames.has(a.name)) continue;
    out.push({
      kind: 'enum_extra',
      table: null,
      name: a.name,
      expected: null,
      actual: a,
      message: `Enum type ${a.name} ${labelList(a.labels)} is not in the definition.`,
    });
  }
  return out;
}

const triggerKey = (t: Trigger): string => `${t.table}\u0000${t.name}`;
const shape = (t: Trigger): string => `${t.timing} on ${t.table}${t.function ? ` executing ${t.function}` : ''}`;

/** Triggers are matched by table and name (the design names them), then compared by timing and function. */
export function diffTriggers(actual: readonly Trigger[], expected: readonly Trigger[]): Change[] {
  const out: Change[] = [];
  const actualByKey = new Map(actual.map((t) => [triggerKey(t), t]));
  const expectedKeys = new Set(expected.map(triggerKey));
  for (const e of expected) {
    const a = actualByKey.get(triggerKey(e));
    if (!a) {
      out.push({
        kind: 'trigger_missing',
        table: e.table,
        name: e.name,
        expected: e,
        actual: null,
        message: `Trigger ${e.name} (${shape(e)}) is missing.`,
      });
    } else if (a.timing !== e.timing || a.function !== e.function) {
      out.push({
        kind: 'trigger_changed',
        table: e.table,
        name: e.name,
        expected: e,
        actual: a,
        message: `Trigger ${e.name} is ${shape(a)}, expected ${shape(e)}.`,
      });
    }
  }
  for (const a of actual) {
    if (expectedKeys.has(triggerKey(a))) continue;
    out.push({
      kind: 'trigger_extra',
      table: a.table,
      name: a.name,
      expected: null,
      actual: a,
      message: `Trigger ${a.name} (${shape(a)}) is not in the definition.`,
    });
  }
  return out;
}
