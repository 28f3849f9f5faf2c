/**
 * No import cycles in the code dbkit ships (ARCHITECTURE.md): every
 * relative import of bin/, src/, dialects/, seeds/ and migrations/ (static,
 * type-only, re-exports and dynamic `import()` alike) as a graph, which must
 * have no strongly connected component larger than one file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { cycles, importGraph } from '../support/import-graph.js';

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
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(50);
    // Every relative import resolves to a file of the graph (or the graph would miss edges).
    const unresolved = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d) && !fs.existsSync(d)).map((d) => `${f} -> ${d}`));
    expect(unresolved).toEqual([]);
    const rel = (f: string) => path.relative(repoRoot, f);
    expect(cycles(graph).map((c) => c.map(rel).join(' <-> '))).toEqual([]);
  });
});
