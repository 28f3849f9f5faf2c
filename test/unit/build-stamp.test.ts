/**
 * scripts/build.mjs: the stamp that makes a second `prepare` (npx linking the
 * checkout into its cache after `npm ci`) a no-op. What is hashed, what is
 * not, and when dist/ counts as current; on small trees made here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alsoCompiled, check, inputFiles, inputsHash, OUTPUTS, STAMP } from '../../scripts/build.mjs';
import { repoRoot } from '../support/cli.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-build-stamp-');

function tree(): string {
  const root = tmp();
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  put('tsconfig.json', JSON.stringify({ include: ['src/**/*.ts', 'bench/**/*.ts'] }));
  put('package.json', '{"name":"x"}');
  put('package-lock.json', '{"lockfileVersion":3}');
  put('src/a.ts', 'export const a = 1;\n');
  put('src/deep/b.ts', 'export const b = 2;\n');
  put('bench/c.ts', 'export const c = 3;\n');
  return root;
}

const write = (root: string, rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

describe('the build stamp (scripts/build.mjs)', () => {
  it('hashes the files tsc compiles and the build configuration, nothing else', () => {
    const root = tree();
    write(root, 'src/notes.md', 'not compiled');
    write(root, 'bench/.work/v0.1.0/src/old.ts', 'a baseline build');
    write(root, 'src/node_modules/x/index.ts', 'a dependency');
    write(root, 'dist/src/a.js', 'an output');
    expect(inputFiles(root)).toEqual(['bench/c.ts', 'package-lock.json', 'package.json', 'src/a.ts', 'src/deep/b.ts', 'tsconfig.json']);
  });

  it('changes with any input, and only with an input', () => {
    const root = tree();
    const first = inputsHash(root);
    expect(first.files).toBe(6);
    write(root, 'src/notes.md', 'not compiled');
    write(root, 'bench/.work/x.ts', 'ignored');
    expect(inputsHash(root).hash).toBe(first.hash);
    for (const [rel, text] of [
      ['src/deep/b.ts', 'export const b = 3;\n'],
      ['src/new.ts', ''],
      ['package-lock.json', '{"lockfileVersion":3,"packages":{}}'],
      ['package.json', '{"name":"x","scripts":{}}'],
    ] as const) {
      const before = inputsHash(root).hash;
      write(root, rel, text);
      expect(inputsHash(root).hash, rel).not.toBe(before);
    }
    const before = inputsHash(root).hash;
    fs.renameSync(path.join(root, 'src/a.ts'), path.join(root, 'src/a2.ts')); // same content, another file
    expect(inputsHash(root).hash).not.toBe(before);
  });

  it('refuses an include pattern it cannot hash rather than guessing', () => {
    const root = tree();
    write(root, 'tsconfig.json', JSON.stringify({ include: ['src/*.ts'] }));
    expect(() => inputFiles(root)).toThrow(/src\/\*\.ts.*not of the form/);
  });

  it('dist/ is current only with a matching stamp and every output present', () => {
    const root = tree();
    const { hash } = inputsHash(root);
    expect(check(root)).toEqual({ current: false, hash, files: 6 }); // no stamp
    for (const f of OUTPUTS) write(root, f, 'built');
    write(root, STAMP, JSON.stringify({ inputs: hash }));
    expect(check(root).current).toBe(true); // the stamp in dist/ is no input
    write(root, 'src/a.ts', 'export const a = 2;\n');
    expect(check(root).current).toBe(false);
    write(root, 'src/a.ts', 'export const a = 1;\n');
    expect(check(root).current).toBe(true);
    fs.rmSync(path.join(root, OUTPUTS[0]!));
    expect(check(root).current).toBe(false);
    write(root, OUTPUTS[0]!, 'built');
    write(root, STAMP, 'not json');
    expect(check(root).current).toBe(false);
  });

  it('a source outside the include patterns that tsc compiled (an import) is an input too, through the stamp', () => {
    const root = tree();
    write(root, 'test/support/servers.ts', 'export const s = 1;\n'); // imported by a bench: tsc emits it
    write(root, 'dist/test/support/servers.js', 'export const s = 1;\n');
    write(root, 'dist/src/a.js', '');
    write(root, 'dist/cli/dbkit.cjs', 'a bundle');
    write(root, 'dist/cli/x/index.js', 'a bundle');
    write(root, 'dist/gone.js', 'its source was removed');
    const also = alsoCompiled(root);
    expect(also).toEqual(['test/support/servers.ts']);
    for (const f of OUTPUTS) write(root, f, 'built');
    write(root, STAMP, JSON.stringify({ inputs: inputsHash(root, also).hash, alsoCompiled: also }));
    expect(check(root).current).toBe(true);
    write(root, 'test/support/servers.ts', 'export const s = 2;\n');
    expect(check(root).current).toBe(false);
    expect(inputsHash(root).hash).toBe(inputsHash(tree()).hash); // without the stamp's list, it would not have been seen
  });

  it('on this checkout: the inputs include the CLI entry, the schema and the build itself', () => {
    const files = inputFiles(repoRoot);
    expect(files).toEqual(expect.arrayContaining(['bin/dbkit.ts', 'scripts/build.mjs', 'scripts/bundle.ts', 'src/schema/agents.ts', 'package-lock.json', 'tsconfig.json']));
    expect(files.some((f) => f.startsWith('dist/') || f.startsWith('test/') || f.includes('node_modules'))).toBe(false);
  });
});
