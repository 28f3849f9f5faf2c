/** How a failed statement is told: in the engine's own words. */
import { serverMessage, sqlStateOf } from '../../connection/driver-errors.js';

/**
 * The engine's own words, without the SQL text Knex puts in front of them
 * (dbkit's Knex instances take it off themselves, src/db/driver-errors.ts;
 * the cut here is for an error that came another way).
 */
export function engineMessage(err: unknown): string {
  const e = err as { sqlMessage?: string; message?: string };
  if (e.sqlMessage) return serverMessage(err);
  const msg = e.message ?? String(err);
  const cut = msg.lastIndexOf(' - ');
  const text = (cut >= 0 && /\b(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE|SELECT|COMMENT)\b/.test(msg.slice(0, cut)) ? msg.slice(cut + 3) : msg)
    .replace(/\s+/g, ' ')
    .trim();
  const state = sqlStateOf(err);
  return state && !text.includes(state) ? `${text} (SQLSTATE ${state})` : text;
}
