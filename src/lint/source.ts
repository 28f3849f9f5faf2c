/**
 * A migration's SQL file as lint reads it: the statements exactly as the
 * runner counts them (split at breakpoint lines; a part with nothing but
 * comments is no statement: src/migrate/folder/format.ts parseSqlFile, which a unit
 * test keeps this equal to), each with the comment lines just before it,
 * where allowances are written:
 *
 *   -- dbkit-lint: allow DBK201 the table has 40 rows; a rewrite takes 1 ms
 *   ALTER TABLE "flags" ALTER COLUMN "id" TYPE bigint;
 *
 * Comments are not part of a statement's checksum (what `migrate` records),
 * so adding an allowance to an applied migration changes no checksum; the
 * sum file does change: run `dbkit hash` after.
 */

const BREAKPOINT = '--> statement-breakpoint';

export interface SourceStatement {
  /** 1-based. */
  index: number;
  sql: string;
  /** The comment lines before the statement in its part (without `--`), the file's header comment included for the first. */
  comments: string[];
}

const isCommentOrBlank = (line: string): boolean => line.trim() === '' || line.trimStart().startsWith('--');

export function splitStatements(text: string): SourceStatement[] {
  const out: SourceStatement[] = [];
  let chunk: string[] = [];
  const flush = () => {
    let i = 0;
    while (i < chunk.length && isCommentOrBlank(chunk[i]!)) i++;
    const comments = chunk
      .slice(0, i)
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().replace(/^--\s?/, ''));
    let sql = chunk.slice(i).join('\n').trimEnd();
    if (sql.endsWith(';')) sql = sql.slice(0, -1).trimEnd();
    if (sql) out.push({ index: out.length + 1, sql, comments });
    chunk = [];
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.trim() === BREAKPOINT) flush();
    else chunk.push(line);
  }
  flush();
  return out;
}

export interface Allowance {
  code: string;
  reason: string;
}

const ALLOW = /^dbkit-lint:\s*allow\s+(\S+)\s*(.*)$/i;
export const CODE = /^DBK\d{3}$/;

/** The allowances in a statement's comment lines; a line that starts `dbkit-lint:` but is not one is returned as `bad`. */
export function allowancesOf(comments: readonly string[]): { allowances: Allowance[]; bad: string[] } {
  const allowances: Allowance[] = [];
  const bad: string[] = [];
  for (const c of comments) {
    if (!/^dbkit-lint:/i.test(c)) continue;
    const m = ALLOW.exec(c);
    if (!m || !CODE.test(m[1]!.toUpperCase())) {
      bad.push(c);
      continue;
    }
    allowances.push({ code: m[1]!.toUpperCase(), reason: m[2]!.trim() });
  }
  return { allowances, bad };
}

/** The comment line that accepts one finding (what `dbkit make` writes before a statement it emits on purpose). */
export function allowanceComment(code: string, reason: string): string {
  if (!CODE.test(code)) throw new Error(`not a lint code: ${code}`);
  const why = reason.replace(/\s+/g, ' ').trim();
  if (!why) throw new Error('an allowance needs a reason');
  return `-- dbkit-lint: allow ${code} ${why}`;
}
