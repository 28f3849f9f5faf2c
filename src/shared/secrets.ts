/**
 * The secrets of one run, and the one function that scrubs them from text.
 *
 * Every password dbkit could print is registered up front (run.ts: --url,
 * --direct-url, --password, DATABASE_URL, DBKIT_DIRECT_URL, DBKIT_PASSWORD,
 * PGPASSWORD, MYSQL_PWD, `.env`; load.ts: the config file; init: its answers;
 * fleet targets files: their URLs), raw and percent-decoded, and the writer
 * layer (src/shared/io.ts) passes every byte written to stdout and stderr
 * through `scrub`. What users are promised: docs/operations.md, "Passwords
 * are never printed".
 *
 * What is replaced by `****`:
 * 1. a registered URL, as written: by its display (`scheme://user:****@host...`);
 * 2. the password of any `scheme://user:password@host` in the text (and its
 *    user name where that holds the password);
 * 3. a password as a credential: `:password@`, `password=...`, `--password ...`;
 * 4. a password of 4 or more characters wherever it stands as a whole token:
 *    where its first (last) character is a letter, digit or `_`, the
 *    character before (after) it must not be one; so `qa_test` keeps its
 *    `test` and `exists` its `x`. A password of fewer than 4 characters, or
 *    one that is itself a word dbkit prints anyway (the engine, host, port,
 *    database, schema, a table name), is masked only as a credential (1-3):
 *    masking `a`, `60` or `postgres` everywhere would garble the output and
 *    point at the password;
 * 5. a registered user name that holds a password (equal to it or containing
 *    it, in any form): after `user`, `role` or `account`, as a MySQL account
 *    (`'name'@'host'`), in a URL, and (4 characters or more, not a word dbkit
 *    prints anyway) wherever it stands as a whole token. Any other user name
 *    is shown: it is no secret, and a DBA needs it to grant a privilege.
 *
 * A run's secrets are kept on globalThis: the CLI's entry bundle and its
 * command modules each hold a copy of this file, and must share one set;
 * in-process runs (tests) each get their own (see withSecrets).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { displayOf, displayUserinfo, parseQuery, percentDecode, SECRET_PARAMS, splitServerUrl, splitUserinfo } from './url-parts.js';

export const MASK = '****';
/** Shorter passwords are masked only where they stand as credentials (see above). */
export const MIN_TOKEN_LENGTH = 4;
/** Strings up to this long are scrubbed once per run and remembered (at most this many). */
const MEMO_MAX_LENGTH = 128;
const MEMO_MAX_ENTRIES = 20_000;

const WORD_CLASS = '[\\p{L}\\p{N}_]';
const WORD = new RegExp(WORD_CLASS, 'u');
const isWord = (ch: string | undefined): boolean => ch !== undefined && WORD.test(ch);
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** The first and last code point of `s` (a surrogate pair is one). */
const firstChar = (s: string): string | undefined => (s ? String.fromCodePoint(s.codePointAt(0)!) : undefined);
const lastChar = (s: string): string | undefined => {
  if (!s) return undefined;
  const low = s.charCodeAt(s.length - 1);
  return low >= 0xdc00 && low <= 0xdfff && s.length > 1 ? s.slice(-2) : s.slice(-1);
};
const rightEdge = (s: string): string => (isWord(lastChar(s)) ? `(?!${WORD_CLASS})` : '');
const leftEdge = (s: string): string => (isWord(firstChar(s)) ? `(?<!${WORD_CLASS})` : '');
/** `s` as a whole token: a word-character edge must not touch another word character. */
const token = (s: string): string => leftEdge(s) + esc(s) + rightEdge(s);
const byLength = (a: string, b: string): number => b.length - a.length || (a < b ? -1 : 1);

/**
 * Words dbkit prints on its own: a password equal to one of them cannot be
 * told from it, so it is masked only as a credential. (The table names of
 * both schemas: test/unit/secrets.test.ts checks them against the registry.)
 */
export const PUBLIC_WORDS = [
  MASK,
  ...['postgres', 'postgresql', 'mysql', 'mariadb', 'pglite', 'memory', 'localhost', 'public', 'dbkit', 'agents', 'chat'],
  ...['users', 'sessions', 'runs', 'messages', 'files', 'settings', 'gallery', 'conversations', 'api_calls'],
];

/** A key whose value is a secret: `password`, `DB_PASS`, `pwd`, `secret`, `apiToken`. */
const SECRET_KEY = /pass|pwd|secret|token/i;

/** A database URL in free text (up to a space, quote or angle bracket). */
const URL_IN_TEXT = /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;
const DB_URL = /^(postgres|postgresql|mysql|mariadb):\/\//i;

/** Whether `p` stands in `text` as a whole token (see `token`), without compiling a pattern. */
function hasToken(text: string, p: string): boolean {
  const left = isWord(firstChar(p));
  const right = isWord(lastChar(p));
  for (let at = text.indexOf(p); at >= 0; at = text.indexOf(p, at + 1)) {
    if (left && isWord(lastChar(text.slice(Math.max(0, at - 2), at)))) continue;
    if (right && isWord(firstChar(text.slice(at + p.length, at + p.length + 2)))) continue;
    return true;
  }
  return false;
}

/** variants() of the secrets seen lately: the same URL comes from the environment in every in-process run. */
const variantCache = new Map<string, string[]>();

/**
 * The forms a secret takes in output: as written, decoded, percent-encoded,
 * in JSON, in an SQL literal, and as MariaDB prints it in its messages
 * (utf8mb3: a character outside the BMP, an emoji, becomes `?`).
 */
function variants(secret: string): string[] {
  let known = variantCache.get(secret);
  if (!known) {
    if (variantCache.size > 2000) variantCache.clear();
    known = computeVariants(secret);
    variantCache.set(secret, known);
  }
  return known;
}

function computeVariants(secret: string): string[] {
  const out = new Set<string>();
  const decoded = percentDecode(secret);
  const bmp = (s: string) => s.replace(/[\u{10000}-\u{10FFFF}]/gu, '?');
  for (const s of new Set([secret, decoded, bmp(secret), bmp(decoded)])) {
    out.add(s);
    out.add(JSON.stringify(s).slice(1, -1));
    out.add(s.replace(/'/g, "''"));
    try {
      const encoded = encodeURIComponent(s);
      out.add(encoded);
      out.add(encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
      const u = new URL('http://h');
      u.password = s; // WHATWG's userinfo encoding (spaces, quotes...)
      out.add(u.password);
    } catch {
      /* a lone surrogate: no encoded form */
    }
  }
  out.delete('');
  return [...out];
}

/** The structural mask of one URL found in text: its userinfo becomes `user:****` (`****:****` where the user holds the password). */
function maskUrlToken(tok: string): string {
  const split = splitServerUrl(tok);
  const start = tok.indexOf('://') + 3;
  if (!split.ok) {
    if (split.reason !== 'ambiguous-at') return tok;
    return `${tok.slice(0, start)}${MASK}${tok.slice(tok.lastIndexOf('@'))}`;
  }
  const info = split.parts.userinfo;
  if (!info) return tok;
  return `${tok.slice(0, start)}${displayUserinfo(info)}${tok.slice(start + info.length)}`;
}

/** `scheme://user:password@host` in free text -> `scheme://user:****@host` (also `password=` parameters). */
export function maskUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (tok) => {
    const masked = maskUrlToken(tok);
    // A value masked already (a URL's display) keeps the punctuation after it (`...?password=****: why`);
    // any other value is masked up to the next `&` or space, punctuation and all.
    return masked.replace(/([?&](?:password|sslpassword)=)(?:\*\*\*\*(?=[:,;.)]*$)|[^&\s]*)/gi, `$1${MASK}`);
  });
}

export class SecretSet {
  private readonly passwords = new Set<string>();
  /** The passwords known to be one (not a guess at how a URL splits): what a user name is checked against. */
  private readonly known = new Set<string>();
  private readonly users = new Set<string>();
  /** URL as written -> its display. */
  private readonly urls = new Map<string, string>();
  private readonly publicText = new Set<string>(PUBLIC_WORDS);
  private scrubber: ((text: string) => string) | null = null;

  /** A password (raw or percent-encoded: both forms are registered). */
  addPassword(password: string | null | undefined, guess = false): void {
    if (!password) return;
    for (const v of variants(password)) {
      this.passwords.add(v);
      if (!guess) this.known.add(v);
    }
    this.scrubber = null;
  }

  /** A user name: masked only where it holds a password (see 5. above). */
  addUser(user: string | null | undefined): void {
    if (!user) return;
    for (const v of variants(user)) this.users.add(v);
    this.scrubber = null;
  }

  /** Text that dbkit prints anyway (a host, a database name): a password equal to a word of it is masked only as a credential. */
  addPublic(text: string | null | undefined): void {
    if (!text) return;
    this.publicText.add(text);
    this.scrubber = null;
  }

  /**
   * A database URL as given (a flag, a variable, a file): its password and
   * user name, every way the URL could be split at an `@` (a URL too broken
   * to parse still has its secrets registered), and the URL itself.
   */
  addUrl(url: string | null | undefined): void {
    if (!url || url.startsWith('pglite:')) return;
    const split = splitServerUrl(url);
    if (!split.ok && split.reason === 'no-scheme') {
      // Not a URL at all: perhaps a password given in the wrong place.
      this.addPassword(url);
      return;
    }
    const start = url.indexOf('://') + 3;
    // A URL dbkit can split has one password (up to the last `@`); the other splits are masked too, but are guesses.
    const real = split.ok ? split.parts.userinfo : undefined;
    for (let at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
      const info = url.slice(start, at);
      const auth = splitUserinfo(info);
      this.addUser(auth.rawUser);
      this.addPassword(auth.rawPassword, split.ok && info !== real);
    }
    if (split.ok) {
      const { parts } = split;
      const display = displayOf(parts);
      this.urls.set(url, display);
      for (const [key, value] of Object.entries(parseQuery(parts.query))) {
        if (SECRET_PARAMS.has(key.toLowerCase())) this.addPassword(value);
        else if (key === 'user') this.addUser(value);
        else this.addPublic(value);
      }
      for (const p of [display, parts.hostport, percentDecode(parts.hostport), parts.path, percentDecode(parts.path)]) this.addPublic(p);
    } else {
      this.urls.set(url, `${url.slice(0, start)}${MASK}`);
    }
    this.scrubber = null;
  }

  /**
   * The secrets in a file's text (`.env`, a config file): its quoted and
   * `KEY=value` database URLs and passwords, and a config's quoted values of
   * keys that name a password (`password: 'x'`, `const dbPass = "x"`).
   */
  addText(text: string): void {
    for (const m of text.matchAll(/([A-Za-z_$][\w$]*)(['"]?)[ \t]*[:=][ \t]*(['"`])((?:\\.|(?!\3)[^\\\n])*)\3/g)) {
      if (SECRET_KEY.test(m[1]!)) this.addPassword(m[4]!.replace(/\\(.)/g, '$1'));
    }
    for (const m of text.matchAll(/(['"`])((?:\\.|(?!\1)[^\\\n])*)\1/g)) {
      const value = m[2]!.replace(/\\(.)/g, '$1');
      if (value.includes('://')) this.addUrl(value);
    }
    for (const m of text.matchAll(/^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*?)[ \t]*$/gm)) {
      const value = m[2]!.replace(/^(['"`])(.*)\1$/, '$2');
      if (DB_URL.test(value) || /_URL$/.test(m[1]!)) this.addUrl(value);
      else if (/PASS|PWD/i.test(m[1]!)) this.addPassword(value);
    }
  }

  /** Whether anything is registered. */
  get empty(): boolean {
    return this.passwords.size === 0 && this.users.size === 0 && this.urls.size === 0;
  }

  /** `text` with every registered secret replaced (see the top of this file). */
  scrub(text: string): string {
    this.scrubber ??= this.build();
    return this.scrubber(text);
  }

  private build(): (text: string) => string {
    const urls = [...this.urls.keys()].sort(byLength);
    const passwords = [...this.passwords].sort(byLength);
    // Only the user names that hold a password are secrets; the others are shown.
    const known = [...this.known];
    const users = [...this.users].filter((u) => known.some((p) => u.includes(p))).sort(byLength);
    const publicText = [...this.publicText];
    const isPublic = (p: string) => publicText.some((t) => hasToken(t, p));
    const tokens = [...passwords, ...users].filter((p) => [...p].length >= MIN_TOKEN_LENGTH && !isPublic(p)).sort(byLength);
    const alt = (list: string[], each: (s: string) => string) => list.map(each).join('|');

    const steps: ((t: string) => string)[] = [];
    if (urls.length) {
      const re = new RegExp(alt(urls, esc), 'gu');
      steps.push((t) => t.replace(re, (u) => this.urls.get(u) ?? MASK));
    }
    steps.push(maskUrls);
    if (passwords.length) {
      const credential = new RegExp(`:(?:${alt(passwords, esc)})@`, 'gu');
      // `password=pw` (a URL parameter, libpq's key=value form), `--password pw` (commander quoting a flag back): up to the end of the value.
      const keyed = new RegExp(`((?:--password[= ]|(?<![\\w-])password=)["'\`]?)(?:${alt(passwords, esc)})(?=$|[\\s"'\`&,;)])`, 'gu');
      steps.push((t) => t.replace(credential, `:${MASK}@`).replace(keyed, `$1${MASK}`));
    }
    // User names before the password tokens: a user name that holds the password goes as a whole.
    if (users.length) {
      const names = alt(users, (u) => esc(u) + rightEdge(u));
      // (a quote may be JSON-escaped: `user \"name\"`)
      const keyed = new RegExp(`\\b((?:role|user|account|username)(?:\\\\?["'\`])?(?:\\s*[=:]\\s*|\\s+))((?:\\\\?["'\`])?)(?:${names})\\2`, 'giu');
      const account = new RegExp(`(\\\\?["'\`])(?:${alt(users, esc)})\\1@`, 'gu');
      steps.push((t) => t.replace(keyed, `$1$2${MASK}$2`).replace(account, `$1${MASK}$1@`));
    }
    if (tokens.length) {
      const re = new RegExp(alt(tokens, token), 'gu');
      steps.push((t) => t.replace(re, MASK));
    }
    // Every step needs a URL (`://`), a password or a user name (case-insensitive) in the text: most
    // strings (a --json document's thousands of values) hold none and skip the patterns.
    // (One case-insensitive Unicode pattern, as the user patterns themselves fold case: `ſ` is an `s`.)
    const anyUser = users.length ? new RegExp(alt(users, esc), 'iu') : null;
    const mayHold = (t: string): boolean => t.includes('://') || passwords.some((p) => t.includes(p)) || (anyUser !== null && anyUser.test(t));
    const scrubOne = (text: string): string => (mayHold(text) ? steps.reduce((t, step) => step(t), text) : text);
    // A --json document repeats its short strings (keys, kinds, types, names) thousands of times:
    // a short string is looked up once. (Bounded: cleared when full.)
    const memo = new Map<string, string>();
    return (text) => {
      if (text.length > MEMO_MAX_LENGTH) return scrubOne(text);
      let out = memo.get(text);
      if (out === undefined) {
        out = scrubOne(text);
        if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
        memo.set(text, out);
      }
      return out;
    };
  }
}

// ------------------------------------------------------- the run's set

interface Store {
  /** The run that started while no other was running (the CLI's only run). */
  first: SecretSet | null;
  /** Runs that overlap it (in-process runs in tests): made on first need. */
  als: AsyncLocalStorage<SecretSet> | null;
  fallback: SecretSet;
}
const STORE = Symbol.for('dbkit.secrets');

function store(): Store {
  const g = globalThis as { [STORE]?: Store };
  return (g[STORE] ??= { first: null, als: null, fallback: new SecretSet() });
}

/** The secrets of the current run (outside a run, e.g. in a unit test: one set for the process). */
export function currentSecrets(): SecretSet {
  const s = store();
  return s.als?.getStore() ?? s.first ?? s.fallback;
}

/**
 * Run `fn` with a fresh set of secrets (src/cli/run.ts: one per run). A lone
 * run keeps its set in a plain slot: an AsyncLocalStorage turns on Node's
 * promise hooks for the whole process, a cost on every promise of every
 * query (about 15 ms of a 150 ms start). Only a run that starts while
 * another is under way gets one (its code sees its own store; the first
 * run's code, outside any store, sees the slot).
 */
export async function withSecrets<T>(fn: (secrets: SecretSet) => Promise<T>): Promise<T> {
  const s = store();
  const secrets = new SecretSet();
  // (Awaited here too, so that both paths leave the same frames in an async stack trace.)
  if (s.first !== null) return await (s.als ??= new AsyncLocalStorage<SecretSet>()).run(secrets, () => fn(secrets));
  s.first = secrets;
  try {
    return await fn(secrets);
  } finally {
    if (s.first === secrets) s.first = null;
  }
}

/** Register a database URL (its password, user name and the URL itself). For fleet targets files, --direct-url, ... */
export const registerUrl = (url: string | null | undefined): void => currentSecrets().addUrl(url);
/** Register a password given on its own (a flag, a variable, a prompt). */
export const registerPassword = (password: string | null | undefined): void => currentSecrets().addPassword(password);
/** Register a user name given on its own. */
export const registerUser = (user: string | null | undefined): void => currentSecrets().addUser(user);
/** Register the secrets found in a file's text (`.env`, a config or targets file). */
export const registerText = (text: string): void => currentSecrets().addText(text);
/** `text` with the current run's secrets replaced. */
export const scrub = (text: string): string => currentSecrets().scrub(text);

/** An own property even for `__proto__` (a key JSON.parse can produce). */
const setOwn = (o: Record<string, unknown>, k: string, v: unknown): void => {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

/**
 * Every string in a JSON-able value scrubbed (before it is serialised: escapes stay intact).
 * Copied only where something changed: a large document with nothing to hide (a --json diff
 * of 500 tables holds about 100,000 strings) is walked without allocating.
 */
export function scrubDeep<T>(value: T, secrets: SecretSet = currentSecrets()): T {
  if (typeof value === 'string') return secrets.scrub(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = scrubDeep(v, secrets);
      if (s !== v) (out ??= value.slice())[i] = s;
    }
    return (out ?? value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let out: Record<string, unknown> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = record[k];
    const sk = secrets.scrub(k);
    const sv = scrubDeep(v, secrets);
    if (out === null && (sk !== k || sv !== v)) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, record[keys[j]!]);
    }
    if (out !== null) setOwn(out, sk, sv);
  }
  return (out ?? value) as T;
}
