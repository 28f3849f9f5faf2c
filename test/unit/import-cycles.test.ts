/**
 * No import cycles in the code dbkit ships (ARCHITECTURE.md): every
 * relative import of bin/, src/, dialects/, seeds/ and migrations/ (static,
 * type-only, re-exports and dynamic `import()` alike) as a graph, which must
 * have no strongly connected component larger than one file.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

const ROOTS = ['bin', 'src', 'dialects', 'seeds', 'migrations'];

function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file, resolved to source files (`./x.js` -> `./x.ts`, `./dir` -> `./dir/index.ts`). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = path.resolve(path.dirname(file), spec).replace(/\.(c|m)?js$/, '');
      const found = ['.ts', '.mts', '.cts', '/index.ts'].map((ext) => base + ext).find((p) => fs.existsSync(p));
      return found ?? base;
    });
}

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
      ['e', ['e']],
    ]);
    expect(cycles(g).map((c) => c.join(' '))).toEqual(['a b c', 'e']);
  });

  it('has no cycle in bin/, src/, dialects/, seeds/ and migrations/', () => {
    const files = ROOTS.flatMap((r) => sources(path.join(repoRoot, r)));
    expect(files.length).toBeGreaterThan(50);
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    // Every relative import resolves to a file of the graph (or the graph would miss edges).
    const unresolved = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d) && !fs.existsSync(d)).map((d) => `${f} -> ${d}`));
    expect(unresolved).toEqual([]);
    const rel = (f: string) => path.relative(repoRoot, f);
    expect(cycles(graph).map((c) => c.map(rel).join(' <-> '))).toEqual([]);
  });
});
