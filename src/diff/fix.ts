/**
 * Shared shape of the fix scripts that `dbkit diff --sql` prints: the order
 * in which changes are repaired, and how destructive statements are shown.
 */
import type { Change } from './changes.js';

/** Create what others depend on first, drop last. */
const ORDER: Change['kind'][] = [
  'enum_missing',
  'enum_labels',
  'table_missing',
  'column_missing',
  'column_type',
  'column_nullable',
  'column_default',
  'column_auto_increment',
  'column_on_update',
  'column_comment',
  'table_comment',
  'primary_key',
  'unique_missing',
  'foreign_key_changed',
  'foreign_key_missing',
  'index_changed',
  'index_missing',
  'trigger_changed',
  'trigger_missing',
  'foreign_key_extra',
  'index_extra',
  'unique_extra',
  'trigger_extra',
  'column_extra',
  'table_extra',
  'enum_extra',
];

export const fixOrder = (changes: Change[]): Change[] =>
  [...changes].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));

/** A statement that loses data is printed commented out, with the reason. */
export const destructive = (sql: string, why: string): string => `-- ${why}: uncomment to apply (data is lost)\n-- ${sql}`;
