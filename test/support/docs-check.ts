/**
 * The checks of test/unit/docs-links.test.ts, pure so that the test can
 * run them on small fixture texts too: every relative link of a Markdown
 * page resolves (a file or folder of the repository, and its #anchor by
 * GitHub's rules), and every dbkit command line quoted in it names a real
 * command and real options of it (from the commander program itself).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';

// ---------------------------------------------------------------- Markdown

interface Fence {
  char: string;
  length: number;
  /** The info string's first word: sh, yaml, json ... ('' for none). */
  lang: string;
}

/** A fence line (``` or ~~~, up to 3 spaces in), or null. */
function fenceOf(line: string): Fence | null {
  const m = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
  return m ? { char: m[1]![0]!, length: m[1]!.length, lang: m[2]!.toLowerCase() } : null;
}

export interface MdLine {
  /** 1-based line number. */
  n: number;
  text: string;
  /** Inside a fenced code block (the fence lines themselves are not returned). */
  code: boolean;
  /** The code block's language ('' for none); '' outside code too. */
  lang: string;
}

/** The lines of a Markdown text, each marked as code (inside a fenced block) or not. */
export function mdLines(md: string): MdLine[] {
  const out: MdLine[] = [];
  let open: Fence | null = null;
  md.split('\n').forEach((text, i) => {
    const fence = fenceOf(text);
    if (open) {
      if (fence && fence.char === open.char && fence.length >= open.length && /^ {0,3}[`~]+\s*$/.test(text)) open = null;
      else out.push({ n: i + 1, text, code: true, lang: open.lang });
      return;
    }
    if (fence) {
      open = fence;
      return;
    }
    out.push({ n: i + 1, text, code: false, lang: '' });
  });
  return out;
}

/** The inline code spans of one line of prose (backtick runs of equal length), and the line with them blanked. */
export function codeSpans(line: string): { spans: string[]; rest: string } {
  const spans: string[] = [];
  let rest = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] === '\\' && line[i + 1] === '`') {
      rest += '\\`';
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      rest += line[i];
      i++;
      continue;
    }
    let run = 0;
    while (line[i + run] === '`') run++;
    const ticks = '`'.repeat(run);
    let close = line.indexOf(ticks, i + run);
    // A closing run must be exactly as long.
    while (close !== -1 && line[close + run] === '`') close = line.indexOf(ticks, close + run + 1);
    if (close === -1) {
      rest += ticks;
      i += run;
      continue;
    }
    let span = line.slice(i + run, close);
    if (/^ .*\S.* $/.test(span)) span = span.slice(1, -1);
    spans.push(span);
    rest += ' '.repeat(close + run - i);
    i = close + run;
  }
  return { spans, rest };
}

/**
 * The anchor GitHub gives a heading (github-slugger): the heading's text as
 * rendered (code ticks, emphasis markers, link targets and HTML tags gone),
 * lower-cased, every character that is not a letter, mark, digit, `_`, `-`
 * or space removed, each space a `-`.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/(\*\*|__|\*)/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page has: its ATX headings (repeats numbered -1, -2, ... as GitHub does) and `<a id|name="...">`. */
export function anchorsOf(md: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text, code } of mdLines(md)) {
    if (code) continue;
    const h = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (h) {
      const base = githubSlug(h[1]!);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count ? `${base}-${count}` : base);
    }
    for (const a of text.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(a[1]!);
  }
  return anchors;
}

export interface Link {
  line: number;
  target: string;
}

/** The link targets of a page's prose (inline links and images, reference definitions), code left out. */
export function linksOf(md: string): Link[] {
  const links: Link[] = [];
  for (const { n, text, code } of mdLines(md)) {
    if (code) continue;
    const { rest } = codeSpans(text);
    for (const m of rest.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: n, target: m[1]! });
    const def = /^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+.*)?$/.exec(rest);
    if (def) links.push({ line: n, target: def[1]! });
  }
  return links;
}

/**
 * The problem with one relative link of `file` (a path relative to `root`),
 * or null when it resolves: the file or folder exists in the repository,
 * and an #anchor into a Markdown page is one of its anchors.
 */
export function linkProblem(root: string, file: string, target: string, read: (abs: string) => string | null): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: ...
  const hash = target.indexOf('#');
  const rawPath = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
  let pathPart: string;
  try {
    pathPart = decodeURIComponent(rawPath);
  } catch {
    return `${target}: not a valid link`;
  }
  const abs = pathPart === '' ? path.join(root, file) : pathPart.startsWith('/') ? path.join(root, pathPart) : path.resolve(path.dirname(path.join(root, file)), pathPart);
  if (path.relative(root, abs).startsWith('..')) return `${target}: points outside the repository`;
  if (!fs.existsSync(abs)) return `${target}: ${path.relative(root, abs)} does not exist`;
  if (anchor === null || anchor === '') return null;
  if (!abs.endsWith('.md')) return /^L\d+(-L\d+)?$/.test(anchor) ? null : `${target}: #${anchor} in a file that is not Markdown`;
  const text = read(abs);
  if (text === null) return `${target}: ${path.relative(root, abs)} cannot be read`;
  return anchorsOf(text).has(anchor) ? null : `${target}: no heading or anchor #${anchor} in ${path.relative(root, abs)}`;
}

// ---------------------------------------------------------------- the CLI

export interface CliTable {
  /** Flags every command takes (the program's own, and --help/-h). */
  global: Set<string>;
  /** Global flags that take a value (so the word after them is not the command). */
  globalValued: Set<string>;
  /** Each command's own flags. */
  commands: Map<string, Set<string>>;
}

/** The commands and flags of a commander program, as `dbkit --help` and `dbkit <command> --help` list them. */
export function cliTable(program: Command): CliTable {
  const flagsOf = (c: Command): string[] => c.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f);
  const global = new Set([...flagsOf(program), '--help', '-h']);
  const globalValued = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]).filter((f): f is string => !!f));
  const commands = new Map(program.commands.map((c) => [c.name(), new Set(flagsOf(c))] as const));
  return { global, globalValued, commands };
}

/** Placeholders that stand for a word: `<name>`, `NAME`, `…`, `$URL`, `"$URL"`. */
const isPlaceholder = (w: string): boolean => /[<>…$]|\.\.\./.test(w) || /^[A-Z][A-Z0-9_]*$/.test(w);

type Token = { op: string } | { word: string };

/**
 * A line split into shell words and operators, roughly as sh reads it:
 * quotes kept inside words, `#` starting a comment at a word's start.
 * Square brackets of a usage line (`[--steps N | --all]`) are dropped, and
 * a `|` inside them is an alternative, not a pipe.
 */
export function shellTokens(line: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0;
  const flush = () => {
    if (word) tokens.push({ word });
    word = '';
  };
  const text = line.replace(/\\\|/g, '|');
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      word += c;
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      word += c;
      continue;
    }
    if (c === '[' && (word === '' || depth > 0)) {
      flush();
      depth++;
      continue;
    }
    if (c === ']' && depth > 0) {
      flush();
      depth--;
      continue;
    }
    if (/\s/.test(c)) {
      flush();
      continue;
    }
    if (c === '#' && word === '') break;
    // <name>, pglite:<dir>: a placeholder, not a redirect.
    const placeholder = c === '<' ? /^<[^<>\s()]+>/.exec(text.slice(i)) : null;
    if (placeholder) {
      word += placeholder[0];
      i += placeholder[0].length - 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['&&', '||', '$(', '<(', '2>', '>>'].includes(two) && !(two === '2>' && word !== '')) {
      flush();
      tokens.push({ op: two });
      i++;
      continue;
    }
    if (c === '|' && depth > 0) {
      flush();
      continue;
    }
    if ('|;()<>&'.includes(c)) {
      flush();
      tokens.push({ op: c });
      continue;
    }
    word += c;
  }
  flush();
  return tokens;
}

/** A quoted dbkit command: the words after the invocation (`dbkit`, `./dbkit`, `npx dbkit`, a path to it, `node dist/cli/dbkit.cjs`). */
export interface CommandLine {
  words: string[];
  text: string;
}

/** Words that may stand in front of a command in a quoted line: a prompt, a YAML list item or step. */
const LEADERS = new Set(['$', '-', 'run:', 'exec', 'time']);

/** The words after the invocation, when `words` starts with one (after prompts and VAR=value assignments), else null. */
function afterInvocation(words: string[]): string[] | null {
  let i = 0;
  while (i < words.length && (LEADERS.has(words[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) i++;
  const w = words[i];
  if (w === undefined) return null;
  if (w === 'npx' && words[i + 1] === 'dbkit') return words.slice(i + 2);
  if (w === 'node' && /(^|\/)dbkit\.cjs$/.test(words[i + 1] ?? '')) return words.slice(i + 2);
  if (/^(?:[\w.~-]*\/)*dbkit$/.test(w)) return words.slice(i + 1);
  return null;
}

/** Every dbkit command in one line of a code block or one inline code span. */
export function commandsIn(text: string): CommandLine[] {
  const out: CommandLine[] = [];
  let words: string[] = [];
  const end = () => {
    const rest = afterInvocation(words);
    if (rest) out.push({ words: rest, text: text.trim() });
    words = [];
  };
  for (const t of shellTokens(text)) {
    if ('op' in t) end();
    else words.push(t.word);
  }
  end();
  return out;
}

const unquote = (w: string): string => w.replace(/^(["'])(.*)\1$/, '$2');

/** What is wrong with one quoted command (an unknown command, an option it does not take), or null. */
export function commandProblem(words: string[], table: CliTable): string | null {
  let i = 0;
  const globals: string[] = [];
  // Global options may come before the command.
  while (i < words.length && words[i]!.startsWith('-')) {
    const flag = words[i]!.split('=')[0]!;
    globals.push(flag);
    i += table.globalValued.has(flag) && !words[i]!.includes('=') ? 2 : 1;
  }
  for (const g of globals) if (!table.global.has(g) && !isPlaceholder(g)) return `unknown option ${g}`;
  const name = words[i] === undefined ? undefined : unquote(words[i]!);
  if (name === undefined) return null; // `dbkit` alone, `dbkit --version`: prose or a global flag
  const placeholder = isPlaceholder(name);
  if (!placeholder && !table.commands.has(name)) return `unknown command ${name}`;
  if (name === 'help' && words[i + 1] && !isPlaceholder(words[i + 1]!) && !table.commands.has(unquote(words[i + 1]!))) return `unknown command ${words[i + 1]} (after help)`;
  const own = placeholder ? new Set([...table.commands.values()].flatMap((s) => [...s])) : table.commands.get(name)!;
  for (const w of words.slice(i + 1)) {
    if (w === '--') break;
    if (!/^--?[A-Za-z]/.test(w)) continue;
    const flag = w.split('=')[0]!;
    if (isPlaceholder(flag)) continue;
    // -qy: a bundle of short flags.
    const flags = /^-[A-Za-z]{2,}$/.test(flag) ? [...flag.slice(1)].map((c) => `-${c}`) : [flag];
    for (const f of flags) if (!own.has(f) && !table.global.has(f)) return `${placeholder ? 'no command takes' : `dbkit ${name} takes no`} option ${f}`;
  }
  return null;
}

/** Quoted text that starts like a command but is not one: the marker dbkit writes as its tables' comment. */
export const NOT_COMMANDS = new Set(['dbkit bookkeeping v1']);

export interface Finding {
  line: number;
  text: string;
  problem: string;
}

/** Code blocks whose every line is shell: scripts, and CI files whose steps are shell lines. */
const SCRIPT_LANGS = new Set(['sh', 'bash', 'shell', 'zsh', 'yaml', 'yml']);
/** Code blocks of a terminal session (a command after a `$ ` prompt, output below it), or of output alone. */
const SESSION_LANGS = new Set(['', 'console', 'text', 'txt']);

/**
 * Every quoted dbkit command of a page that the CLI would refuse: in inline
 * code, in every line of a shell or YAML block, and in the `$ ` prompt lines
 * of a terminal session or output block (its other lines are output: a
 * message or a bench report that mentions dbkit is not a command).
 */
export function commandFindings(md: string, table: CliTable): Finding[] {
  const findings: Finding[] = [];
  const lines = mdLines(md);
  for (let k = 0; k < lines.length; k++) {
    const { n, code, lang } = lines[k]!;
    let { text } = lines[k]!;
    const texts: string[] = [];
    if (code) {
      if (!SCRIPT_LANGS.has(lang) && !(SESSION_LANGS.has(lang) && /^\s*\$ /.test(text))) continue;
      // A shell line continued with a backslash.
      while (/\\\s*$/.test(text) && lines[k + 1]?.code) text = text.replace(/\\\s*$/, ' ') + lines[++k]!.text;
      texts.push(text);
    } else {
      texts.push(...codeSpans(text).spans.filter((s) => !NOT_COMMANDS.has(s.trim())));
    }
    for (const t of texts) {
      for (const c of commandsIn(t)) {
        const problem = commandProblem(c.words, table);
        if (problem) findings.push({ line: n, text: c.text, problem });
      }
    }
  }
  return findings;
}

/** The Markdown pages the check covers: README.md, ARCHITECTURE.md and docs/**\/*.md, relative to `root`. */
export function docPages(root: string): string[] {
  const pages = ['README.md', 'ARCHITECTURE.md'].filter((f) => fs.existsSync(path.join(root, f)));
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.md')) pages.push(rel);
    }
  };
  walk('docs');
  return pages.sort();
}
