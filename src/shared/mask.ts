/**
 * Masking helpers on top of the run's secrets (src/shared/secrets.ts), for
 * code that holds a URL or a list of passwords rather than the run's set.
 */
import { maskUrls, SecretSet } from './secrets.js';
import { splitServerUrl, splitUserinfo } from './url-parts.js';

/** `postgres://u:secret@h/db` -> `postgres://u:****@h/db` (`****:****` where the user name holds the password), for every URL in `text`. */
export const maskUrl = (text: string): string => maskUrls(text);

/**
 * The password of a URL, raw and percent-decoded, for `Io.addSecrets`: of the
 * split dbkit makes (at the last `@` of the authority); of every split at an
 * `@` when it cannot split it. (Registering the URL itself, registerUrl,
 * masks every split's in any case.)
 */
export function urlSecrets(url: string): string[] {
  const split = splitServerUrl(url);
  if (split.ok) {
    if (split.parts.userinfo === undefined) return [];
    const { rawPassword, password } = splitUserinfo(split.parts.userinfo);
    return [...new Set([rawPassword, password].filter((p): p is string => !!p))];
  }
  if (!url.includes('://')) return [];
  const start = url.indexOf('://') + 3;
  const out = new Set<string>();
  for (let at = url.indexOf('@', start); at >= 0; at = url.indexOf('@', at + 1)) {
    const { rawPassword, password } = splitUserinfo(url.slice(start, at));
    if (rawPassword) out.add(rawPassword);
    if (password) out.add(password);
  }
  return [...out];
}

/** `text` with the URLs and the given passwords masked, by the rules of src/shared/secrets.ts. */
export function maskText(text: string, secrets: string[]): string {
  const set = new SecretSet();
  for (const s of secrets) set.addPassword(s);
  return set.scrub(text);
}
