import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createIo } from '../../src/cli/io.js';
import { makeCommand } from '../../src/commands/make.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-make-');

const io = (json = false) => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const made = createIo({ json }, { stdout, stderr: new PassThrough(), stdinIsTTY: false, stderrIsTTY: false, stdoutIsTTY: false }, {});
  return { made, out: () => out };
};

describe('dbkit make', () => {
  it('writes a timestamped, empty migration for the chosen schema', async () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'chat'));
    const { made, out } = io(true);
    const code = await makeCommand('Add user locale!', { schema: 'chat' }, made, new Date('2026-11-23T01:02:03Z'), root);
    expect(code).toBe(0);
    const file = path.join(root, 'chat', '20261123010203_add_user_locale.ts');
    expect(fs.readFileSync(file, 'utf8')).toContain('export async function up(knex: Knex): Promise<void>');
    expect(JSON.parse(out())).toMatchObject({ schema: 'chat', name: '20261123010203_add_user_locale' });
    await expect(makeCommand('Add user locale', { schema: 'chat' }, made, new Date('2026-11-23T01:02:03Z'), root)).rejects.toThrow(
      /already exists/,
    );
  });

  it('rejects empty names and unknown schemas with exit code 2', async () => {
    const root = tmp();
    await expect(makeCommand('!!!', {}, io().made, new Date(), root)).rejects.toMatchObject({ exitCode: 2 });
    await expect(makeCommand('x', { schema: 'nope' }, io().made, new Date(), root)).rejects.toMatchObject({ exitCode: 2 });
  });
});
