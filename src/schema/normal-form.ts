/**
 * Small lexical helpers shared by the dialect normalizers: numbers, the
 * current-time functions and balanced parentheses. Pure string functions.
 */

/** `1`, `-1.50`, `+3`, `007`: a plain decimal literal. */
const NUMBER = /^[+-]?(\d+)(?:\.(\d+))?$/;

/**
 * The canonical spelling of a decimal literal (`007` -> `7`, `1.50` -> `1.5`,
 * `-0` -> `0`), or null when `text` is not one. Works on the digits, so no
 * precision is lost on big values.
 */
export function canonicalNumber(text: string): string | null {
  const m = NUMBER.exec(text.trim());
  if (!m) return null;
  const int = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const abs = frac ? `${int}.${frac}` : int;
  const negative = text.trim().startsWith('-') && /[1-9]/.test(abs);
  return negative ? `-${abs}` : abs;
}

/**
 * The current-time functions: `now()`, `CURRENT_TIMESTAMP`,
 * `current_timestamp()`, `localtimestamp`... with an optional precision.
 * `names` lists the spellings (lower case, without parentheses) the dialect
 * treats as the same function. Returns `CURRENT_TIMESTAMP`,
 * `CURRENT_TIMESTAMP(n)` for a non-zero precision, or null.
 */
export function canonicalNow(expr: string, names: readonly string[], zeroPrecisionIsDefault: boolean): string | null {
  const m = /^([a-z_]+)\s*(?:\(\s*(\d*)\s*\))?$/i.exec(expr.trim());
  if (!m || !names.includes(m[1]!.toLowerCase())) return null;
  const precision = m[2] ?? '';
  if (precision === '' || (precision === '0' && zeroPrecisionIsDefault)) return 'CURRENT_TIMESTAMP';
  return `CURRENT_TIMESTAMP(${Number(precision)})`;
}

/** True when the parenthesis opening `text` closes at its very end: `(a > 0)`, not `(a) OR (b)`. */
function wrappedInParens(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/** `((a > 0))` -> `a > 0`: parentheses around the whole expression add nothing. */
export function stripOuterParens(text: string): string {
  let out = text.trim();
  while (wrappedInParens(out)) out = out.slice(1, -1).trim();
  return out;
}

/** MySQL's backslash escapes inside string literals (everything else stands for itself). */
const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '%': '\\%', _: '\\_' };

/**
 * Read the string literal starting at `text[start]` (a `'`). Returns its value
 * and the index after the closing quote, or null when there is none.
 */
function readLiteral(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      value += ESCAPES[next] ?? next;
    } else if (ch === "'" && text[i + 1] === "'") {
      value += "'";
      i++;
    } else if (ch === "'") {
      return { value, end: i + 1 };
    } else {
      value += ch;
    }
  }
  return null;
}

/** The value of a whole single-quoted literal (MySQL's escapes, as the canonical forms write enum labels), or null when `text` is not exactly one. */
export function parseQuotedString(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith("'")) return null;
  const lit = readLiteral(t, 0);
  return lit && lit.end === t.length ? lit.value : null;
}

/** The labels of `'a', 'b''c'` (the inside of ENUM(...) / SET(...)), or null. */
export function parseStringList(body: string): string[] | null {
  const labels: string[] = [];
  let i = 0;
  for (;;) {
    while (body[i] === ' ') i++;
    if (body[i] !== "'") return null;
    const lit = readLiteral(body, i);
    if (!lit) return null;
    labels.push(lit.value);
    i = lit.end;
    while (body[i] === ' ') i++;
    if (i === body.length) return labels;
    if (body[i] !== ',') return null;
    i++;
  }
}
