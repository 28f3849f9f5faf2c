/**
 * MySQL/MariaDB column definitions and ALTER TABLE clauses read for the lint
 * (pure): a token list in, the lint's actions out. What this reader does not
 * know comes back `unrecognized`, with its text.
 */
import type { Action, DefaultFact } from '../../src/lint/facts.js';
import { isName, textOf, type Token } from './lint-tokens.js';

const is = (t: Token | undefined, ...words: string[]): boolean => !!t && t.type === 'word' && words.includes(t.value);

export interface ColumnDef {
  name: string;
  type: string;
  notNull: boolean;
  default: DefaultFact | null;
  autoIncrement: boolean;
  stored: boolean;
  /** Inline PRIMARY KEY / UNIQUE / REFERENCES. */
  inline: Action[];
}

/** The type as dbkit's model writes it: `varchar(50)`, `enum('a','b')`, `bigint unsigned`. */
function typeAt(tokens: readonly Token[], start: number): { type: string; end: number } {
  let i = start;
  let type = (tokens[i]?.name ?? '').toLowerCase();
  i++;
  if (tokens[i]?.name === '(') {
    const args: string[] = [];
    i++;
    while (i < tokens.length && tokens[i]!.name !== ')') {
      if (tokens[i]!.name !== ',') args.push(tokens[i]!.type === 'string' ? `'${tokens[i]!.name.replace(/'/g, "''")}'` : tokens[i]!.text);
      i++;
    }
    i++;
    type += `(${args.join(',')})`;
  }
  while (is(tokens[i], 'UNSIGNED', 'ZEROFILL', 'SIGNED')) type += ` ${tokens[i++]!.name.toLowerCase()}`;
  return { type, end: i };
}

/** The default's tokens from `start` (after DEFAULT) to the next attribute. */
function defaultAt(tokens: readonly Token[], start: number): { fact: DefaultFact; end: number } {
  const t = tokens[start];
  if (t?.name === '(') {
    let depth = 0;
    let i = start;
    do {
      if (tokens[i]!.name === '(') depth++;
      if (tokens[i]!.name === ')') depth--;
      i++;
    } while (i < tokens.length && depth > 0);
    return { fact: { text: textOf(tokens.slice(start, i)), volatile: true }, end: i };
  }
  let i = start + 1;
  // CURRENT_TIMESTAMP(3), NOW(), -1
  if (tokens[i]?.name === '(' && tokens[i + 1]?.name !== undefined) {
    while (i < tokens.length && tokens[i]!.name !== ')') i++;
    i++;
  }
  if (t?.name === '-' || t?.name === '+') i++;
  return { fact: { text: textOf(tokens.slice(start, i)), volatile: false }, end: i };
}

/** `name type attributes...` */
export function columnDef(tokens: readonly Token[]): ColumnDef | null {
  if (!isName(tokens[0]) || !tokens[1]) return null;
  const { type, end } = typeAt(tokens, 1);
  const col: ColumnDef = { name: tokens[0]!.name, type, notNull: false, default: null, autoIncrement: false, stored: false, inline: [] };
  let i = end;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (is(t, 'NOT') && is(tokens[i + 1], 'NULL')) {
      col.notNull = true;
      i += 2;
    } else if (is(t, 'DEFAULT')) {
      const d = defaultAt(tokens, i + 1);
      col.default = d.fact;
      i = d.end;
    } else if (is(t, 'AUTO_INCREMENT')) {
      col.autoIncrement = true;
      i++;
    } else if (is(t, 'PRIMARY')) {
      col.notNull = true;
      col.inline.push({ kind: 'add_constraint', type: 'primary', name: null, notValid: false, usingIndex: false, notNullColumn: null, ifNotExists: false });
      i += is(tokens[i + 1], 'KEY') ? 2 : 1;
    } else if (is(t, 'UNIQUE')) {
      col.inline.push({ kind: 'add_index', name: null, unique: true, special: null, ifNotExists: false });
      i += is(tokens[i + 1], 'KEY') ? 2 : 1;
    } else if (is(t, 'REFERENCES')) {
      col.inline.push({ kind: 'add_constraint', type: 'foreign', name: null, notValid: false, usingIndex: false, notNullColumn: null, ifNotExists: false });
      i = tokens.length; // the rest is the reference
    } else if (is(t, 'STORED', 'PERSISTENT')) {
      col.stored = true;
      i++;
    } else i++;
  }
  return col;
}

/** The words before the name: [COLUMN] [IF [NOT] EXISTS]; returns the index of the name and whether IF ... EXISTS was there. */
function skipColumnWords(tokens: readonly Token[], start: number): { at: number; guarded: boolean } {
  let i = start;
  if (is(tokens[i], 'COLUMN')) i++;
  if (is(tokens[i], 'IF')) {
    i += is(tokens[i + 1], 'NOT') ? 3 : 2;
    return { at: i, guarded: true };
  }
  return { at: i, guarded: false };
}

const unrecognized = (c: readonly Token[]): Action => ({ kind: 'unrecognized', text: textOf(c) });

/** IF NOT EXISTS at `i` (MariaDB): how many tokens it takes, 0 when absent. */
const ifNotExistsAt = (c: readonly Token[], i: number): number => (is(c[i], 'IF') && is(c[i + 1], 'NOT') && is(c[i + 2], 'EXISTS') ? 3 : 0);

/**
 * `[CONSTRAINT [IF NOT EXISTS] [name]] ...` after ADD, with MariaDB's other
 * places for IF NOT EXISTS: `FOREIGN KEY IF NOT EXISTS`, `UNIQUE [INDEX|KEY]
 * IF NOT EXISTS` (PRIMARY KEY takes none).
 */
function addConstraint(c: readonly Token[], start: number): Action {
  let i = start;
  let name: string | null = null;
  let ifNotExists = false;
  if (is(c[i], 'CONSTRAINT')) {
    i++;
    const guard = ifNotExistsAt(c, i);
    ifNotExists = guard > 0;
    i += guard;
    if (isName(c[i]) && !is(c[i], 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK')) name = c[i++]!.name;
  }
  const base = { kind: 'add_constraint' as const, name, notValid: false, usingIndex: false, notNullColumn: null };
  if (is(c[i], 'PRIMARY')) return { ...base, type: 'primary', ifNotExists };
  if (is(c[i], 'FOREIGN')) return { ...base, type: 'foreign', ifNotExists: ifNotExists || ifNotExistsAt(c, i + (is(c[i + 1], 'KEY') ? 2 : 1)) > 0 };
  if (is(c[i], 'CHECK')) return { ...base, type: 'check', ifNotExists };
  if (is(c[i], 'UNIQUE')) {
    i++;
    if (is(c[i], 'INDEX', 'KEY')) i++;
    const guard = ifNotExistsAt(c, i);
    i += guard;
    return { kind: 'add_index', name: name ?? (isName(c[i]) && c[i]!.type !== 'punct' ? c[i]!.name : null), unique: true, special: null, ifNotExists: ifNotExists || guard > 0 };
  }
  return unrecognized(c);
}

/** One clause of ALTER TABLE (between top-level commas). */
export function alterClause(c: readonly Token[]): Action[] {
  const w = c[0];
  if (is(w, 'ADD')) {
    if (is(c[1], 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FOREIGN', 'CHECK')) return [addConstraint(c, 1)];
    if (is(c[1], 'INDEX', 'KEY', 'FULLTEXT', 'SPATIAL')) {
      const special = is(c[1], 'FULLTEXT') ? 'fulltext' : is(c[1], 'SPATIAL') ? 'spatial' : null;
      let i = special && is(c[2], 'INDEX', 'KEY') ? 3 : 2;
      const guard = ifNotExistsAt(c, i);
      i += guard;
      return [{ kind: 'add_index', name: c[i] && c[i]!.name !== '(' ? c[i]!.name : null, unique: false, special, ifNotExists: guard > 0 }];
    }
    if (is(c[1], 'PARTITION', 'PERIOD', 'SYSTEM')) return [unrecognized(c)];
    const { at, guarded } = skipColumnWords(c, 1);
    const def = c[at]?.name === '(' ? null : columnDef(c.slice(at));
    if (!def) return [unrecognized(c)];
    return [
      {
        kind: 'add_column',
        column: def.name,
        type: def.type,
        notNull: def.notNull,
        default: def.default,
        generated: def.autoIncrement ? 'auto_increment' : def.stored ? 'stored' : null,
        ifNotExists: guarded,
      },
      // Skipped with the column when it exists (ADD COLUMN IF NOT EXISTS c int UNIQUE): as safe to repeat as the column.
      ...def.inline.map((a) => (guarded && (a.kind === 'add_constraint' || a.kind === 'add_index') ? { ...a, ifNotExists: true } : a)),
    ];
  }
  if (is(w, 'DROP')) {
    if (is(c[1], 'PRIMARY')) return [{ kind: 'drop_constraint', name: null, what: 'primary', ifExists: false }];
    if (is(c[1], 'FOREIGN', 'CONSTRAINT', 'CHECK')) {
      let i = is(c[1], 'FOREIGN') ? 3 : 2;
      const guarded = is(c[i], 'IF');
      if (guarded) i += 2;
      return [{ kind: 'drop_constraint', name: c[i]?.name ?? null, what: is(c[1], 'FOREIGN') ? 'foreign' : is(c[1], 'CHECK') ? 'check' : 'constraint', ifExists: guarded }];
    }
    if (is(c[1], 'INDEX', 'KEY')) {
      const guarded = is(c[2], 'IF');
      return [{ kind: 'drop_index', name: c[guarded ? 4 : 2]?.name ?? '', ifExists: guarded }];
    }
    if (is(c[1], 'PARTITION', 'PERIOD', 'SYSTEM')) return [unrecognized(c)];
    const { at, guarded } = skipColumnWords(c, 1);
    return isName(c[at]) ? [{ kind: 'drop_column', column: c[at]!.name, ifExists: guarded }] : [unrecognized(c)];
  }
  if (is(w, 'MODIFY', 'CHANGE')) {
    const { at, guarded } = skipColumnWords(c, 1);
    const from = c[at]?.name ?? '';
    const def = columnDef(c.slice(is(w, 'CHANGE') ? at + 1 : at));
    if (!def) return [unrecognized(c)];
    return [{ kind: 'modify_column', column: from, to: def.name, type: def.type, notNull: def.notNull, default: def.default, autoIncrement: def.autoIncrement, ifExists: guarded }, ...def.inline];
  }
  if (is(w, 'ALTER')) {
    if (is(c[1], 'INDEX', 'KEY')) return [{ kind: 'table_option', what: 'ALTER INDEX visibility' }];
    const i = is(c[1], 'COLUMN') ? 2 : 1;
    const column = c[i]?.name ?? '';
    if (is(c[i + 1], 'SET') && is(c[i + 2], 'DEFAULT')) return [{ kind: 'set_default', column, default: defaultAt(c, i + 3).fact }];
    if (is(c[i + 1], 'DROP') && is(c[i + 2], 'DEFAULT')) return [{ kind: 'drop_default', column }];
    if (is(c[i + 1], 'SET') && is(c[i + 2], 'VISIBLE', 'INVISIBLE')) return [{ kind: 'table_option', what: 'column visibility' }];
    return [unrecognized(c)];
  }
  if (is(w, 'RENAME')) {
    // MariaDB: RENAME COLUMN / INDEX IF EXISTS a TO b.
    const guarded = is(c[2], 'IF') && is(c[3], 'EXISTS');
    const at = guarded ? 4 : 2;
    if (is(c[1], 'COLUMN')) return [{ kind: 'rename_column', from: c[at]?.name ?? '', to: c[at + 2]?.name ?? '', ifExists: guarded }];
    if (is(c[1], 'INDEX', 'KEY')) return [{ kind: 'rename_index', from: c[at]?.name ?? '', to: c[at + 2]?.name ?? '', ifExists: guarded }];
    const i = is(c[1], 'TO', 'AS') ? 2 : 1;
    return [{ kind: 'rename_table', to: c[i]?.name ?? '' }];
  }
  if (is(w, 'CONVERT')) return [{ kind: 'rebuild', what: 'CONVERT TO CHARACTER SET' }];
  if (is(w, 'FORCE')) return [{ kind: 'rebuild', what: 'FORCE' }];
  if (is(w, 'ENGINE', 'ROW_FORMAT', 'KEY_BLOCK_SIZE', 'COMPRESSION')) return [{ kind: 'rebuild', what: `${w!.value}=` }];
  if (is(w, 'ORDER')) return [{ kind: 'rebuild', what: 'ORDER BY' }];
  if (is(w, 'COMMENT', 'AUTO_INCREMENT', 'CHARSET', 'COLLATE', 'DEFAULT', 'CHARACTER', 'STATS_PERSISTENT', 'STATS_AUTO_RECALC', 'STATS_SAMPLE_PAGES', 'AVG_ROW_LENGTH', 'MAX_ROWS', 'MIN_ROWS', 'PACK_KEYS', 'CHECKSUM', 'DELAY_KEY_WRITE')) {
    return [{ kind: 'table_option', what: w!.value }];
  }
  return [unrecognized(c)];
}
