/** Small Markdown builders that render the same on GitHub and GitLab (GFM). */

/**
 * Text for a table cell or a list item: one line, pipes and the characters
 * that could start emphasis, a link, code or HTML escaped (`_` only at a
 * word's edge: GFM takes `idx_user_id` literally).
 */
export function text(value: string): string {
  return value
    .replace(/\r?\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/([\\`*[\]|])/g, '\\$1')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

/** An inline code span (pipes escaped: GFM splits table cells before it parses code spans). */
export function code(value: string): string {
  const body = value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const fence = body.includes('`') ? '``' : '`';
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A GFM table. Cells are Markdown already (escape them with `text`/`code`); an empty cell is shown as is. */
export function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The anchor GitHub and GitLab give a heading made of a plain identifier
 * (lower case, spaces to hyphens, other punctuation but `-` and `_` dropped).
 */
export const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
