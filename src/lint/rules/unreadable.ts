/**
 * DBK001: a statement, or a MySQL ALTER TABLE clause, that lint cannot read
 * (PostgreSQL's own grammar refuses it, or the MySQL classifier does not know
 * it), so no rule could judge it.
 */
import type { Rule } from './rule.js';

const short = (text: string): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
};

export const unreadable: Rule = {
  codes: ['DBK001'],
  dialects: ['postgres', 'mysql'],
  check(f) {
    if (f.kind === 'unrecognized') return [{ code: 'DBK001', message: `not checked: ${f.reason} (${short(f.text)})` }];
    if (f.kind !== 'alter_table') return [];
    return f.actions
      .filter((a) => a.kind === 'unrecognized')
      .map((a) => ({ code: 'DBK001', message: `not checked: ALTER TABLE ${f.table} clause the MySQL classifier does not know (${short(a.kind === 'unrecognized' ? a.text : '')})` }));
  },
};
