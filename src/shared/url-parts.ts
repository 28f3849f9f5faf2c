/**
 * The parts of a server URL, split without trusting it to be well formed (no
 * dependencies: the entry bundle's secret scrubber uses it too).
 *
 * `scheme://userinfo@host:port/path?query#fragment`, where the userinfo runs
 * to the LAST `@` of the authority, so a password with a raw `@` or `:` works
 * (`postgres://u:p@ss@host/db` is user `u`, password `p@ss`, host `host`).
 * The authority ends at the first `/`, `?` or `#`; an `@` after that is
 * ambiguous (a raw `/ ? #` in the password, or an `@` in the path or a
 * parameter) and refused: the caller says to percent-encode it.
 */

export interface UrlParts {
  /** As written, lower-cased: `postgres`, `mysql`, ... */
  scheme: string;
  /** The raw userinfo (`user:password`, still percent-encoded), undefined when the URL has no `@`. */
  userinfo?: string;
  /** The raw host part: `host`, `host:5432`, `[::1]:3306`, `h1,h2`, or ''. */
  hostport: string;
  /** The raw path, with its leading `/` ('' when none). */
  path: string;
  /** The raw query, without its `?` ('' when none). */
  query: string;
}

export type SplitResult = { ok: true; parts: UrlParts } | { ok: false; reason: 'no-scheme' | 'ambiguous-at' };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export function splitServerUrl(url: string): SplitResult {
  const m = SCHEME.exec(url);
  if (!m) return { ok: false, reason: 'no-scheme' };
  const rest = url.slice(m[0].length);
  const delim = rest.search(/[/?#]/);
  const end = delim < 0 ? rest.length : delim;
  const lastAt = rest.lastIndexOf('@');
  if (lastAt >= end) return { ok: false, reason: 'ambiguous-at' };
  const userinfo = lastAt >= 0 ? rest.slice(0, lastAt) : undefined;
  const hostport = rest.slice(lastAt + 1, end);
  let tail = rest.slice(end);
  const hash = tail.indexOf('#');
  if (hash >= 0) tail = tail.slice(0, hash);
  const q = tail.indexOf('?');
  const path = q >= 0 ? tail.slice(0, q) : tail;
  const query = q >= 0 ? tail.slice(q + 1) : '';
  return { ok: true, parts: { scheme: m[1]!.toLowerCase(), ...(userinfo !== undefined ? { userinfo } : {}), hostport, path, query } };
}

/**
 * Percent-decoding that never throws: each run of `%XX` escapes that is
 * valid UTF-8 is decoded; anything else (a lone `%`, `%zz`, bytes that are
 * not UTF-8) stays as written.
 */
export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** `user:password` -> the decoded user and password (the first `:` splits them; the password keeps any other). */
export function splitUserinfo(userinfo: string): { user: string; password?: string; rawUser: string; rawPassword?: string } {
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { user: percentDecode(userinfo), rawUser: userinfo };
  const rawUser = userinfo.slice(0, colon);
  const rawPassword = userinfo.slice(colon + 1);
  return { user: percentDecode(rawUser), password: percentDecode(rawPassword), rawUser, rawPassword };
}

/** `a=1&b=%2F` -> { a: '1', b: '/' } (percent-decoding only: a `+` stays a `+`, as libpq reads it). */
export function parseQuery(query: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    params[key] = percentDecode(eq < 0 ? '' : pair.slice(eq + 1));
  }
  return params;
}

/** Query parameters whose values are secrets (libpq's `password`, `sslpassword`; mysql2's `password`). */
export const SECRET_PARAMS = new Set(['password', 'sslpassword', 'passphrase', 'ssl-passphrase']);

/**
 * Whether a user name holds its password (equal to it, or containing it, as
 * written or decoded): such a user name is masked like the password. Any
 * other user name is shown (a DBA needs to know which role to grant to).
 */
export function userHoldsPassword(rawUser: string, rawPassword: string | undefined): boolean {
  if (!rawPassword) return false;
  const [user, password] = [percentDecode(rawUser), percentDecode(rawPassword)];
  return (password !== '' && user.includes(password)) || rawUser.includes(rawPassword) || user.includes(rawPassword) || rawUser.includes(password);
}

/** The userinfo as shown: `user:****`, `user` with no password, `****:****` when the user name holds the password. */
export function displayUserinfo(userinfo: string): string {
  const { rawUser, rawPassword } = splitUserinfo(userinfo);
  if (rawPassword === undefined) return rawUser;
  return `${userHoldsPassword(rawUser, rawPassword) ? '****' : rawUser}:****`;
}

/**
 * How a server URL is shown: the password as `****`, the user name as
 * written unless it holds the password (then `****:****`). Secret parameters
 * are masked; everything else is as written.
 */
export function displayOf(parts: UrlParts): string {
  const auth = parts.userinfo === undefined || parts.userinfo === '' ? '' : `${displayUserinfo(parts.userinfo)}@`;
  const query = parts.query
    ? '?' +
      parts.query
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          return eq >= 0 && SECRET_PARAMS.has(percentDecode(pair.slice(0, eq)).toLowerCase()) ? `${pair.slice(0, eq)}=****` : pair;
        })
        .join('&')
    : '';
  return `${parts.scheme}://${auth}${parts.hostport}${parts.path}${query}`;
}
