/**
 * The house's walls (ARCHITECTURE.md): the folders of bin/, src/, dialects/
 * and seeds/ import downwards only. LAYERS below is the architecture, read
 * bottom to top: each folder with the folders it may import. A new folder
 * edge that is not listed fails, naming the files that make it; a listed
 * edge that no file uses any more fails too, so the table stays the truth.
 *
 * DIALECT_DEBT lists the folders outside the composition root (src/engines)
 * that still import dialects/** directly: none (the engine selectors moved
 * behind the engine port); it may only shrink.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';
import { cycles, importGraph, sources } from '../support/import-graph.js';

/** Bottom to top. A folder may import the folders listed with it, nothing else. */
const LAYERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  // Leaves: typed errors with exit codes, paths, the secret scrubber, output and interrupt plumbing.
  ['src/shared', []],
  // The schema as data, its normal form, the variant rules' types, the helpers diff and indexes share.
  ['src/schema', ['src/shared']],
  // Pure analyses of schemas: the differ, the index rules, the lint rules.
  ['src/diff', ['src/schema']],
  ['src/indexes', ['src/schema']],
  ['src/lint', ['src/schema']],
  // The planner (operations, order, destructive and type-change rules) and the fix script.
  ['src/plan', ['src/diff', 'src/schema', 'src/shared']],
  // The row-encoding kit the bulk writers and the seeder share; the fake-data kit; the generators.
  ['src/rows', ['src/schema']],
  ['src/fake', ['src/rows', 'src/schema']],
  ['seeds', ['src/fake']],
  // Server URLs, driver options, TLS, driver error text (below the dialects, which connect with them).
  ['src/connection', ['src/shared']],
  // The engine port: interfaces only, and the types both sides of it share.
  ['src/port', ['src/lint', 'src/plan', 'src/rows', 'src/schema', 'src/shared']],
  // The dialects implement the port; PGlite is composed from PostgreSQL.
  ['dialects/postgres', ['src/connection', 'src/lint', 'src/plan', 'src/port', 'src/rows', 'src/schema', 'src/shared']],
  ['dialects/mysql', ['src/connection', 'src/lint', 'src/plan', 'src/port', 'src/rows', 'src/schema', 'src/shared']],
  ['dialects/pglite', ['dialects/postgres', 'src/connection', 'src/port', 'src/shared']],
  // The composition root: the only folder meant to import dialects/**.
  ['src/engines', ['dialects/mysql', 'dialects/pglite', 'dialects/postgres', 'src/port', 'src/schema']],
  // Settings: flags, environment, config files, the target URL.
  ['src/config', ['src/connection', 'src/engines', 'src/schema', 'src/shared']],
  // Sessions and connections.
  ['src/db', ['src/config', 'src/connection', 'src/engines', 'src/port', 'src/shared']],
  // Services: migrate (author, folder, apply, verify), seed, docs, fleets, init.
  ['src/migrate', ['src/config', 'src/connection', 'src/db', 'src/diff', 'src/engines', 'src/lint', 'src/plan', 'src/port', 'src/schema', 'src/shared']],
  ['src/seed', ['seeds', 'src/config', 'src/connection', 'src/db', 'src/engines', 'src/fake', 'src/migrate', 'src/plan', 'src/port', 'src/rows', 'src/schema', 'src/shared']],
  ['src/docs', ['src/diff', 'src/engines', 'src/indexes', 'src/migrate', 'src/schema', 'src/shared']],
  ['src/fleet', ['src/config', 'src/schema', 'src/shared']],
  ['src/init', ['src/engines', 'src/schema', 'src/shared']],
  // The text of results.
  ['src/render', ['src/diff', 'src/indexes', 'src/migrate', 'src/schema']],
  // One file per command, then the program and its one catch, then the binary.
  [
    'src/commands',
    ['src/config', 'src/db', 'src/diff', 'src/docs', 'src/engines', 'src/fleet', 'src/indexes', 'src/init', 'src/lint', 'src/migrate', 'src/plan', 'src/port', 'src/render', 'src/schema', 'src/seed', 'src/shared'],
  ],
  ['src/cli', ['src/commands', 'src/config', 'src/connection', 'src/shared']],
  ['bin', ['src/cli']],
  ['migrations', []],
];

/** Folders other than the composition root that still import a dialect directly (to be moved behind the port): none left. */
const DIALECT_DEBT: ReadonlyArray<readonly [string, readonly string[]]> = [];

/** The folder a file belongs to: src/<x> and dialects/<x>, or the top-level folder. */
function folderOf(file: string): string {
  const parts = path.relative(repoRoot, file).split(path.sep);
  if ((parts[0] === 'src' || parts[0] === 'dialects') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

type Edges = Map<string, Map<string, string[]>>;

/** Folder edges of a file graph, each with the file imports that make it. */
function folderEdges(graph: Map<string, string[]>, folder: (f: string) => string): Edges {
  const edges: Edges = new Map();
  for (const [file, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) continue;
      const a = folder(file);
      const b = folder(dep);
      if (a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      const by = edges.get(a)!;
      if (!by.has(b)) by.set(b, []);
      by.get(b)!.push(`${path.relative(repoRoot, file)} -> ${path.relative(repoRoot, dep)}`);
    }
  }
  return edges;
}

function allowedTable(...tables: ReadonlyArray<ReadonlyArray<readonly [string, readonly string[]]>>): Map<string, Set<string>> {
  const allowed = new Map<string, Set<string>>();
  for (const table of tables) for (const [a, bs] of table) for (const b of bs) allowed.set(a, (allowed.get(a) ?? new Set()).add(b));
  return allowed;
}

/** Edges that are not allowed (with the imports that make them) and allowed edges no import uses. */
function compare(edges: Edges, allowed: Map<string, Set<string>>): { unlisted: string[]; unused: string[] } {
  const unlisted: string[] = [];
  for (const [a, by] of edges) for (const [b, why] of by) if (!allowed.get(a)?.has(b)) unlisted.push(`${a} -> ${b} (${why.join('; ')})`);
  const unused: string[] = [];
  for (const [a, bs] of allowed) for (const b of bs) if (!edges.get(a)?.has(b)) unused.push(`${a} -> ${b}`);
  return { unlisted: unlisted.sort(), unused: unused.sort() };
}

describe('folder layers', () => {
  it('the check works: an import that is not in the table is named, and so is a listed edge nobody uses', () => {
    const graph = new Map([
      ['/r/src/low/a.ts', []],
      ['/r/src/high/b.ts', ['/r/src/low/a.ts']],
      ['/r/src/low/c.ts', ['/r/src/high/b.ts']],
    ]);
    const folder = (f: string) => f.split('/').slice(2, 4).join('/');
    const edges = folderEdges(graph, folder);
    const result = compare(edges, allowedTable([['src/high', ['src/low', 'src/other']]]));
    expect(result.unlisted).toEqual([expect.stringMatching(/^src\/low -> src\/high \(.*c\.ts -> .*b\.ts\)$/)]);
    expect(result.unused).toEqual(['src/high -> src/other']);
  });

  it('the table lists every folder once, each importing only folders listed below it (no cycle possible)', () => {
    const names = LAYERS.map(([f]) => f);
    expect(new Set(names).size).toBe(names.length);
    const position = new Map(names.map((f, i) => [f, i]));
    const upward = [...allowedTable(LAYERS, DIALECT_DEBT)].flatMap(([a, bs]) =>
      [...bs].filter((b) => !(position.get(b)! < position.get(a)!)).map((b) => `${a} -> ${b}`),
    );
    expect(upward).toEqual([]);
    expect(cycles(new Map([...allowedTable(LAYERS, DIALECT_DEBT)].map(([a, bs]) => [a, [...bs]])))).toEqual([]);
    // Only the composition root may import a dialect by design; the rest is listed as debt.
    const byDesign = LAYERS.filter(([a, bs]) => !a.startsWith('dialects/') && bs.some((b) => b.startsWith('dialects/'))).map(([a]) => a);
    expect(byDesign).toEqual(['src/engines']);
  });

  it('every folder of bin/, src/, dialects/, seeds/ is in the table, and every import between folders is an allowed edge', () => {
    const graph = importGraph();
    const folders = new Set([...graph.keys()].map(folderOf));
    const listed = new Set(LAYERS.map(([f]) => f));
    expect([...folders].filter((f) => !listed.has(f)).sort()).toEqual([]);
    const { unlisted, unused } = compare(folderEdges(graph, folderOf), allowedTable(LAYERS, DIALECT_DEBT));
    expect(unlisted, 'a new folder edge: import downwards, or change the architecture on purpose (here and in ARCHITECTURE.md)').toEqual([]);
    expect(unused, 'an edge no import uses any more: remove it from the table').toEqual([]);
  });

  it('outside dialects/ and the composition root, at most 5 places test which engine they are on, each saying why it cannot be a port method', () => {
    // A comparison with an engine's or dialect's name, or a case of one.
    const test = /(?:===|!==)\s*'(?:postgres|mysql|pglite)'|'(?:postgres|mysql|pglite)'\s*(?:===|!==)|case\s+'(?:postgres|mysql|pglite)'/;
    const found: string[] = [];
    const uncommented: string[] = [];
    for (const file of sources(path.join(repoRoot, 'src')).filter((f) => !f.includes(`${path.sep}engines${path.sep}`))) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line) || !test.test(line)) return;
        const where = `${path.relative(repoRoot, file)}:${i + 1}`;
        found.push(where);
        if (!lines.slice(Math.max(0, i - 4), i).some((l) => /cannot be a port method/.test(l))) uncommented.push(where);
      });
    }
    expect(found.length, found.join('\n')).toBeLessThanOrEqual(5);
    expect(uncommented).toEqual([]);
  });
});
