/**
 * A MySQL/MariaDB tokenizer for `dbkit lint` (pure): words, `quoted`
 * identifiers, 'strings' (with '' and backslash escapes), "double-quoted"
 * text (an identifier under ANSI_QUOTES, a string otherwise: kept apart),
 * @user and @@system variables, numbers and punctuation. Comments (`-- `,
 * `#`, `/* *\/`) are skipped; the body of an executable comment (`/*! ... *\/`,
 * `/*M! ... *\/`) is read as code, as the server does.
 */

export type TokenType = 'word' | 'ident' | 'string' | 'dquote' | 'number' | 'variable' | 'punct';

export interface Token {
  type: TokenType;
  /** The text as written. */
  text: string;
  /** Words upper-cased (to compare with keywords); identifiers, strings and variables unquoted. */
  value: string;
  /** As a name: words as written, identifiers and strings unquoted. */
  name: string;
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

function quoted(sql: string, start: number, quote: string, backslash: boolean): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (backslash && c === '\\' && i + 1 < sql.length) {
      value += sql[i + 1];
      i += 2;
      continue;
    }
    if (c === quote) {
      if (sql[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
  return { value, end: sql.length }; // unterminated: the rest
}

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let executable = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if ((c === '-' && next === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!))) || c === '#') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (c === '/' && next === '*') {
      const exec = /^\/\*M?!\d*/.exec(sql.slice(i, i + 12));
      if (exec) {
        executable++;
        i += exec[0].length;
      } else {
        const end = sql.indexOf('*/', i + 2);
        i = end < 0 ? sql.length : end + 2;
      }
    } else if (c === '*' && next === '/' && executable > 0) {
      executable--;
      i += 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const q = quoted(sql, i, c, c !== '`');
      out.push({ type: c === "'" ? 'string' : c === '"' ? 'dquote' : 'ident', text: sql.slice(i, q.end), value: q.value, name: q.value });
      i = q.end;
    } else if (c === '@') {
      let j = i + 1;
      if (sql[j] === '@') j++;
      if (sql[j] === '`' || sql[j] === "'" || sql[j] === '"') {
        const q = quoted(sql, j, sql[j]!, sql[j] !== '`');
        out.push({ type: 'variable', text: sql.slice(i, q.end), value: sql.slice(i, j) + q.value.toLowerCase(), name: sql.slice(i, j) + q.value.toLowerCase() });
        i = q.end;
      } else {
        while (j < sql.length && (WORD.test(sql[j]!) || sql[j] === '.')) j++;
        out.push({ type: 'variable', text: sql.slice(i, j), value: sql.slice(i, j).toLowerCase(), name: sql.slice(i, j).toLowerCase() });
        i = j;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i;
      while (j < sql.length && /[0-9.eE]/.test(sql[j]!)) j++;
      if (j < sql.length && WORD.test(sql[j]!)) {
        while (j < sql.length && WORD.test(sql[j]!)) j++;
        out.push({ type: 'word', text: sql.slice(i, j), value: sql.slice(i, j).toUpperCase(), name: sql.slice(i, j) });
      } else out.push({ type: 'number', text: sql.slice(i, j), value: sql.slice(i, j), name: sql.slice(i, j) });
      i = j;
    } else if (WORD.test(c)) {
      let j = i;
      while (j < sql.length && WORD.test(sql[j]!)) j++;
      out.push({ type: 'word', text: sql.slice(i, j), value: sql.slice(i, j).toUpperCase(), name: sql.slice(i, j) });
      i = j;
    } else {
      const two = sql.slice(i, i + 2);
      const op = [':=', '<=', '>=', '<>', '!=', '||', '&&'].includes(two) ? two : c;
      out.push({ type: 'punct', text: op, value: op, name: op });
      i += op.length;
    }
  }
  return out;
}

/** A name: an identifier, a word, or (ANSI_QUOTES) a double-quoted name. */
export const isName = (t: Token | undefined): boolean => !!t && (t.type === 'ident' || t.type === 'word' || t.type === 'dquote');

/** Split at commas outside parentheses. */
export function splitTopLevel(tokens: readonly Token[], separator = ','): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'punct' && t.value === '(') depth++;
    if (t.type === 'punct' && t.value === ')') depth--;
    if (depth === 0 && t.type === 'punct' && t.value === separator) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length);
}

/** The tokens as SQL again (for messages and for types): tokens joined by single spaces, none inside parentheses. */
export function textOf(tokens: readonly Token[]): string {
  let s = '';
  for (const t of tokens) {
    const tight = t.value === '(' || t.value === ')' || t.value === ',' || s.endsWith('(') || s === '';
    s += (tight ? '' : ' ') + t.text;
  }
  return s;
}
