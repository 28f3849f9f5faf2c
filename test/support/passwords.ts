/**
 * Generated passwords for the password property test (fast-check style, no
 * dependency): a seeded PRNG, so that a failure names the seed and the
 * password and can be replayed (DBKIT_PASSWORD_SEED).
 */

/** mulberry32: a small, good-enough 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every printable ASCII character, space included. */
export const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
/**
 * Beyond ASCII: letters that SASLprep (PostgreSQL's SCRAM) leaves as they
 * are, and emoji (unassigned in SASLprep's Unicode 3.2: used as raw bytes by
 * client and server alike). No compatibility characters, no zero-width
 * joiners, no non-ASCII spaces: SASLprep would map those, and node-postgres
 * does not.
 */
export const NON_ASCII = ['é', 'ü', 'ß', 'ñ', 'Ж', 'ω', '漢', '字', '🔑', '😀', '🦄'];
/** URL delimiters and percent sequences (valid, invalid, and ones that decode to delimiters). */
export const URL_PIECES = ['@', ':', '/', '?', '#', '&', '=', '+', '%', '%41', '%2F', '%40', '%25', '%zz', '%E9', '%%', '%2', ' ', '"', "'", '\\', '`'];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

/** One password: one character now and then; usually 2-24 characters; sometimes up to 64. */
export function generatePassword(rnd: () => number): string {
  const kind = rnd();
  if (kind < 0.06) return pick(rnd, PRINTABLE);
  if (kind < 0.08) return pick(rnd, NON_ASCII);
  const length = kind < 0.93 ? 2 + Math.floor(rnd() ** 1.5 * 23) : 25 + Math.floor(rnd() * 40);
  let out = '';
  while ([...out].length < length) {
    const r = rnd();
    out += r < 0.74 ? pick(rnd, PRINTABLE) : r < 0.9 ? pick(rnd, URL_PIECES) : pick(rnd, NON_ASCII);
  }
  return out;
}

/** The passwords the issue names, and the edge cases of the token rule. */
export const ISSUE_PASSWORDS = [
  'p@ss word',
  "it's",
  'say "hi"',
  'p@ss@word',
  'p@ss:w0rd@',
  'hash#tag',
  '100%',
  '%41%42',
  '%zz%',
  'a/b',
  'what?',
  'pässwörd',
  '密码漢字',
  '🔑key🔑',
  'x',
  'e',
  'qa',
  'test',
  'postgres',
  'root',
  'app',
  'users',
  'a',
  '1',
  ':',
  '@',
  ' ',
  '"',
  "'",
  '\\',
  '****',
  'password=x',
  '  lead and trail  ',
  'Hunter2-s3cret',
];

/** A raw password in a URL changes meaning when it holds `/ ? #` (refused) or a `%XX` escape (decoded). */
export const rawAmbiguous = (p: string): boolean => /[/?#]/.test(p);
export const rawDecodes = (p: string): boolean => /%[0-9A-Fa-f]{2}/.test(p);

export interface UrlBase {
  scheme: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
}

/** `scheme://user:password@host:port/db`, the user always percent-encoded, the password as asked. */
export function urlWith(base: UrlBase, user: string, password: string, raw: boolean): string {
  const pw = raw ? password : encodeURIComponent(password);
  return `${base.scheme}://${encodeURIComponent(user)}:${pw}@${base.host}:${base.port}/${encodeURIComponent(base.database)}`;
}

/** Every form a password could be printed in: as given, percent-encoded (both ways), JSON-escaped, WHATWG's userinfo encoding, MariaDB's. */
export function printedForms(p: string): string[] {
  // (the last: MariaDB's messages are utf8mb3, an emoji in a user name comes back as `?`)
  const forms = new Set([p, JSON.stringify(p).slice(1, -1), p.replace(/[\u{10000}-\u{10FFFF}]/gu, '?')]);
  try {
    forms.add(encodeURIComponent(p));
    forms.add(encodeURIComponent(p).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
    const u = new URL('http://h');
    u.password = p;
    forms.add(u.password);
  } catch {
    /* a lone surrogate */
  }
  return [...forms];
}

/** Pieces of `s` of `n` code points. */
export function pieces(s: string, n: number): string[] {
  const cps = [...s];
  const out = new Set<string>();
  for (let i = 0; i + n <= cps.length; i++) out.add(cps.slice(i, i + n).join(''));
  return [...out];
}
