/**
 * SQL text dbkit writes (migration files, fix scripts): the line between two
 * statements, and comment lines that stay comments whatever they quote.
 * A shared leaf: imports nothing.
 */

/** The line between two statements of a SQL file (as drizzle-kit writes them). */
export const BREAKPOINT = '--> statement-breakpoint';

/**
 * Every line break an engine, a client or an editor may take as one (the
 * PostgreSQL lexer ends a `--` comment at \r too): a comment line ends at
 * any of them, so a text written into a comment is split there.
 */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
/** Other control characters (a NUL, an escape): spelled out, so that a comment line holds only printable text. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` as comment lines: one `-- ` line per line of it, so that nothing
 * in it (a name with a line break, a default or a comment that spans lines)
 * can end the comment and be read as a statement.
 */
export function commentLines(text: string): string[] {
  return text.split(LINE_BREAKS).map((line) => `-- ${line.replace(CONTROLS, (ch) => `\\u{${ch.charCodeAt(0).toString(16).padStart(4, '0')}}`)}`);
}
