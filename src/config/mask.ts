/** Passwords never reach a terminal, a log or a JSON document. */
const MASK = '****';

/** `postgres://u:secret@h/db` -> `postgres://u:****@h/db`. */
export function maskUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):([^@/]*)@/i, `$1:${MASK}@`);
}

/** The password of a URL, raw and percent-decoded, for masking in free text. */
export function urlSecrets(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url);
  if (!m || !m[1]) return [];
  const raw = m[1];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    /* keep raw */
  }
  return [...new Set([raw, decoded])];
}

/** Replace every occurrence of each secret, and any URL password, in `text`. */
export function maskText(text: string, secrets: string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):([^@/\s]*)@/gi, `$1:${MASK}@`);
  for (const s of secrets.filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(MASK);
  }
  return out;
}
