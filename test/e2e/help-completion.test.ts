/**
 * `dbkit --version`, `dbkit help <command>` with an example for every
 * command, and the completion script, run by a real bash.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, dbkit, repoRoot } from '../support/cli.js';

const COMMANDS = ['init', 'migrate', 'rollback', 'status', 'make', 'check', 'hash', 'sql', 'seed', 'diff', 'check-indexes', 'wait', 'unlock', 'completion'];

describe('help, version and completion', () => {
  it('--version prints the package version', async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await dbkit(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('help <command> shows its usage and an example of it, for every command', async () => {
    const top = await dbkit(['--help']);
    for (const c of COMMANDS) expect(top.stdout, c).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    for (const c of COMMANDS) {
      const r = await dbkit(['help', c]);
      expect(r.code, c).toBe(0);
      expect(r.stdout, c).toContain(`Usage: dbkit ${c}`);
      // Run from the checkout's root: the examples spell dbkit as its launcher, ./dbkit.
      expect(r.stdout, c).toMatch(new RegExp(`Examples:\\n  \\$ \\./dbkit ${c}\\b|Examples:\\n  \\$ [A-Z_]+=\\S+ \\./dbkit ${c}\\b|Examples:\\n  \\$ source <\\(\\./dbkit ${c}`));
    }
  });

  it('the examples spell dbkit as the user types it from where they are', async () => {
    const below = await dbkit(['help', 'wait'], { cwd: path.join(repoRoot, 'src') });
    expect(below.stdout).toContain('$ ../dbkit wait --timeout 90 && ../dbkit migrate');
    const outside = await dbkit(['help', 'wait'], { cwd: path.dirname(repoRoot) });
    expect(outside.stdout).toContain(`$ ${path.join(repoRoot, 'dbkit')} wait --timeout 90`);
  });

  it('bash completes commands, their options, option values, and skips option values when finding the command', () => {
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        ['-c', `source <("${process.execPath}" "${bin}" completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _dbkit; echo "\${COMPREPLY[@]}"`],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      )
        .trim()
        .split(/\s+/);
    expect(complete('dbkit', 'mi')).toEqual(['migrate']);
    expect(complete('dbkit', 'migrate', '--acc')).toEqual(['--accept-changed']);
    expect(complete('dbkit', '--url', 'x', 'seed', '--tr')).toEqual(['--truncate']);
    expect(complete('dbkit', 'seed', '--schema', '')).toEqual(['agents', 'chat']);
    expect(complete('dbkit', 'init', '--engine', 'p')).toEqual(['postgres', 'pglite']);
    expect(complete('dbkit', 'status', '--')).toContain('--check');
    expect(complete('dbkit', 'status', '--')).toContain('--url');
  });

  it('zsh gets the same function through bashcompinit; an unknown shell is a usage error', async () => {
    const zsh = await dbkit(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef dbkit\n/);
    expect(zsh.stdout).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh.stdout).toContain('complete -F _dbkit dbkit');
    const fish = await dbkit(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toBe('dbkit: completion: unknown shell "fish" (use bash or zsh)\n');
  });
});
