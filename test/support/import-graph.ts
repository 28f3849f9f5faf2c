/**
 * The import graph of the code dbkit ships (bin/, src/, dialects/, seeds/,
 * migrations/): every relative import, static, type-only, re-exported or
 * dynamic `import()` alike, read by TypeScript's own pre-processor.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './cli.js';

export const ROOTS = ['bin', 'src', 'dialects', 'seeds', 'migrations'];

export function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file, resolved to source files (`./x.js` -> `./x.ts`, `./dir` -> `./dir/index.ts`). */
export function importsOf(file: string): string[] {
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
export function cycles(graph: Map<string, string[]>): string[][] {
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

/** Every source file of ROOTS and what it imports. */
export function importGraph(): Map<string, string[]> {
  const files = ROOTS.flatMap((r) => sources(path.join(repoRoot, r)));
  return new Map(files.map((f) => [f, importsOf(f)]));
}
