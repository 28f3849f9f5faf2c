/**
 * How dbkit tells the user to type it (init's next step, the --help
 * examples): the checkout's launcher, from wherever the shell is, or `dbkit`
 * for an installed package. On directory trees made here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplesText } from '../../src/cli/examples.js';
import { invocation, launcherOf } from '../../src/shared/invocation.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-invocation-');

/** A checkout-shaped tree: <root>/dist/cli/dbkit.cjs, and the launcher unless `launcher` is false. */
function checkout(name = 'repo', launcher = true): { root: string; cli: string } {
  const root = path.join(fs.realpathSync(tmp()), name);
  fs.mkdirSync(path.join(root, 'dist', 'cli'), { recursive: true });
  fs.mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
  const cli = path.join(root, 'dist', 'cli', 'dbkit.cjs');
  fs.writeFileSync(cli, '');
  if (launcher) fs.writeFileSync(path.join(root, 'dbkit'), '#!/bin/sh\n');
  return { root, cli };
}

describe('invocation', () => {
  it('in a checkout: ./dbkit at its root, a relative path below it, the absolute path outside it', () => {
    const { root, cli } = checkout();
    expect(launcherOf(cli)).toBe(path.join(root, 'dbkit'));
    expect(invocation(cli, root)).toBe('./dbkit');
    expect(invocation(cli, path.join(root, 'sub'))).toBe('../dbkit');
    expect(invocation(cli, path.join(root, 'sub', 'deeper'))).toBe('../../dbkit');
    expect(invocation(cli, path.dirname(root))).toBe(path.join(root, 'dbkit'));
    expect(invocation(cli, '/')).toBe(path.join(root, 'dbkit'));
  });

  it('follows a link to the CLI (npx runs it through node_modules/.bin)', () => {
    const { root, cli } = checkout();
    const bin = path.join(tmp(), 'node_modules', '.bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(cli, path.join(bin, 'dbkit'));
    expect(invocation(path.join(bin, 'dbkit'), root)).toBe('./dbkit');
  });

  it('an installed package (no launcher), another script, or none: dbkit', () => {
    const installed = checkout('dbkit', false);
    expect(launcherOf(installed.cli)).toBeNull();
    expect(invocation(installed.cli, installed.root)).toBe('dbkit');
    const { root } = checkout();
    const other = path.join(root, 'dist', 'cli', 'other.cjs');
    fs.writeFileSync(other, '');
    expect(invocation(other, root)).toBe('dbkit');
    expect(invocation(path.join(root, 'missing.cjs'), root)).toBe('dbkit');
    expect(invocation(undefined, root)).toBe('dbkit');
  });

  it('quotes a path the shell would split', () => {
    const { root, cli } = checkout("it's my repo");
    expect(invocation(cli, '/')).toBe(`'${path.join(root, 'dbkit').replace("'", `'\\''`)}'`);
    expect(invocation(cli, root)).toBe('./dbkit');
  });
});

describe('examples in the help', () => {
  it('spell every dbkit command as the user types it, and nothing else', () => {
    const text = examplesText('wait', './dbkit');
    expect(text).toContain('$ ./dbkit wait --timeout 90 && ./dbkit migrate');
    expect(text).toContain('./dbkit --help');
    expect(examplesText('completion', '../dbkit')).toContain('source <(../dbkit completion bash)');
    expect(examplesText('completion', '../dbkit')).toContain('"${fpath[1]}/_dbkit"');
    expect(examplesText('init', './dbkit')).toContain('DBKIT_PASSWORD=… ./dbkit init --engine mysql');
    expect(examplesText('seed')).toContain('$ dbkit seed ');
    expect(examplesText('seed')).not.toContain('npx');
  });
});
