/**
 * The lint engine (pure): a migration's SQL files with their context in,
 * findings out. Each statement is read into facts by the dialect's reader,
 * every rule of the dialect looks at each fact with what the file did before
 * it, and a finding the statement's comments accept (`-- dbkit-lint: allow
 * CODE reason`) is listed as allowed instead.
 */
import type { Dialect } from '../schema/model.js';
import type { Fact } from './facts.js';
import type { StatementReader } from './reader.js';
import { RULES } from './rules/index.js';
import type { Hit, Rule } from './rules/rule.js';
import { Scope } from './scope.js';
import { allowancesOf, splitStatements } from './source.js';
import type { AddedByUp, Allowed, Finding, LintFile, LintResult, Note } from './types.js';

/** EXECUTE of a prepared statement: the facts of the statement it runs, when lint can tell it. */
function expand(facts: Fact[], scope: Scope, reader: StatementReader, notes: string[]): Fact[] {
  return facts.flatMap((f) => {
    if (f.kind !== 'execute') return [f];
    const held = scope.prepared.get(f.name);
    if (!held) {
      notes.push(`EXECUTE ${f.name}: lint cannot tell the statement it runs (not checked)`);
      return [f];
    }
    return reader.read(held);
  });
}

function hitsOf(facts: Fact[], scope: Scope, rules: readonly Rule[]): Hit[] {
  const hits: Hit[] = [];
  for (const f of facts) {
    for (const r of rules) hits.push(...r.check(f, scope));
    scope.apply(f);
  }
  return hits;
}

export function lintFile(file: LintFile, reader: StatementReader, rules: readonly Rule[] = RULES): LintResult {
  const mine = rules.filter((r) => r.dialects.includes(file.dialect));
  const scope = new Scope(file, file.direction === 'down' && file.upText !== undefined ? addedByUp(file.upText, reader) : undefined);
  const name = `${file.dialect}.${file.direction}.sql`;
  const findings: Finding[] = [];
  const allowed: Allowed[] = [];
  const notes: Note[] = [];
  const statements = splitStatements(file.text);
  for (const s of statements) {
    scope.statement = s.index;
    const said: string[] = [];
    const hits = hitsOf(expand(reader.read(s.sql), scope, reader, said), scope, mine);
    const at = { migration: file.migration, dialect: file.dialect, direction: file.direction, file: name, statement: s.index };
    for (const message of said) notes.push({ migration: file.migration, file: name, statement: s.index, message });
    const { allowances, bad } = allowancesOf(s.comments);
    for (const line of bad) findings.push({ ...at, code: 'DBK002', message: `"${line}" is not an allowance: write -- dbkit-lint: allow DBKnnn <reason>` });
    const used = new Set<number>();
    for (const h of hits) {
      const i = allowances.findIndex((a, j) => a.code === h.code && !used.has(j));
      if (i < 0) {
        findings.push({ ...at, ...h });
        continue;
      }
      used.add(i);
      const a = allowances[i]!;
      if (a.reason) allowed.push({ ...at, ...h, reason: a.reason });
      else findings.push({ ...at, ...h }, { ...at, code: 'DBK002', message: `the allowance of ${h.code} gives no reason: write -- dbkit-lint: allow ${h.code} <why it is safe here>` });
    }
    allowances.forEach((a, i) => {
      if (!used.has(i)) findings.push({ ...at, code: 'DBK003', message: `allowance of ${a.code} matches no finding of this statement: remove it` });
    });
  }
  return { findings, allowed, notes, statements: statements.length };
}

/** What an up file adds: tables created, `table.column`s added, names renamed to (the down may remove them). */
export function addedByUp(upText: string, reader: StatementReader): AddedByUp {
  const out: AddedByUp = { tables: new Set(), columns: new Set(), renamed: new Set() };
  for (const s of splitStatements(upText)) {
    for (const f of reader.read(s.sql)) {
      if (f.kind === 'create_table') out.tables.add(f.table);
      if (f.kind === 'rename_table') out.renamed.add(f.to);
      if (f.kind !== 'alter_table') continue;
      for (const a of f.actions) {
        if (a.kind === 'add_column') out.columns.add(`${f.table}.${a.column}`);
        if (a.kind === 'rename_column') out.renamed.add(`${f.table}.${a.to}`);
        if (a.kind === 'modify_column' && a.to !== a.column) out.renamed.add(`${f.table}.${a.to}`);
        if (a.kind === 'rename_table') out.renamed.add(a.to);
      }
    }
  }
  return out;
}

/** Lint many files, each with its dialect's reader. */
export function lintFiles(files: readonly LintFile[], readers: Partial<Record<Dialect, StatementReader>>): LintResult {
  const total: LintResult = { findings: [], allowed: [], notes: [], statements: 0 };
  for (const f of files) {
    const reader = readers[f.dialect];
    if (!reader) throw new Error(`no lint reader for ${f.dialect}`);
    const r = lintFile(f, reader);
    total.findings.push(...r.findings);
    total.allowed.push(...r.allowed);
    total.notes.push(...r.notes);
    total.statements += r.statements;
  }
  return total;
}

/** The human line of a finding: `<schema>/<migration> <dialect>.<direction>.sql:<statement> DBKnnn <message>`. */
export const findingLine = (f: Finding): string => `${f.migration} ${f.file}:${f.statement} ${f.code} ${f.message}`;
