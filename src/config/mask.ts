/**
 * Passwords never reach a terminal, a log or a JSON document. URLs are masked
 * by structure: the userinfo of `scheme://user:password@host` runs to the
 * last `@` of the URL, so a password with a raw `@` or `/` is masked whole.
 */
const MASK = '****';
const URL_TOKEN = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;

function maskOne(token: string): string {
  const start = token.indexOf('://') + 3;
  const at = token.lastIndexOf('@');
  if (at < start) return token;
  const colon = token.indexOf(':', start);
  if (colon < 0 || colon > at) return token;
  return `${token.slice(0, colon + 1)}${MASK}${token.slice(at)}`;
}

/** `postgres://u:secret@h/db` -> `postgres://u:****@h/db`. */
export const maskUrl = (url: string): string => url.replace(URL_TOKEN, maskOne);

/** The password of a URL, raw and percent-decoded, for masking in free text. */
export function urlSecrets(url: string): string[] {
  const start = url.indexOf('://') + 3;
  const at = url.lastIndexOf('@');
  const colon = url.indexOf(':', start);
  if (start < 3 || at < start || colon < 0 || colon > at) return [];
  const raw = url.slice(colon + 1, at);
  if (!raw) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    /* keep raw */
  }
  return [...new Set([raw, decoded])];
}

/**
 * Mask every URL in `text` by structure, and every known secret in the text
 * around the URLs (free text from drivers: errors, --verbose). Result
 * documents get only the structural mask: a password that is also a common
 * word ("postgres") must not garble their values.
 */
export function maskText(text: string, secrets: string[]): string {
  const known = secrets.filter((x) => x.length > 0).sort((a, b) => b.length - a.length);
  const free = (t: string) => known.reduce((acc, s) => acc.split(s).join(MASK), t);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_TOKEN)) {
    out += free(text.slice(last, m.index)) + maskOne(m[0]);
    last = m.index! + m[0].length;
  }
  return out + free(text.slice(last));
}
