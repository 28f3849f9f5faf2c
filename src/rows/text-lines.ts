/**
 * The text row format (tab-separated, `\\N` for NULL, backslash escapes) read
 * back into cells: for loaders that need values (MySQL's INSERT fallback,
 * the benches' baselines).
 */

/** A cell as the engine reads it in text form; null is SQL NULL. */
export type Cell = string | null;

const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/** Text lines back into cells. */
export function parseLines(text: string): Cell[][] {
  const rows: Cell[][] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    rows.push(line.split('\t').map((c) => (c === '\\N' ? null : c.includes('\\') ? c.replace(/\\(.)/g, (_, ch: string) => UNESCAPES[ch] ?? ch) : c)));
  }
  return rows;
}
