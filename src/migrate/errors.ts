/** How a failed statement is told: in the engine's own words. */

/** The engine's own words, without the SQL text Knex puts in front of them. */
export function engineMessage(err: unknown): string {
  const e = err as { sqlMessage?: string; code?: string; message?: string };
  if (e.sqlMessage) return `${e.sqlMessage}${e.code ? ` (${e.code})` : ''}`;
  const msg = e.message ?? String(err);
  const cut = msg.lastIndexOf(' - ');
  const text = (cut >= 0 && /\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|COMMENT)\b/.test(msg.slice(0, cut)) ? msg.slice(cut + 3) : msg)
    .replace(/\s+/g, ' ')
    .trim();
  return e.code && /^[0-9A-Z]{5}$/.test(e.code) ? `${text} (SQLSTATE ${e.code})` : text;
}
