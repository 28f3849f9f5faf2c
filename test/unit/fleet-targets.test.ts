/**
 * Targets files (src/fleet/targets.ts), picking targets (select.ts) and
 * telling two targets that are one database (same-database.ts): every
 * mistake in a file is a usage error (exit 2) that names the target and
 * never quotes the file's text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseKey, sameDatabase } from '../../src/fleet/same-database.js';
import { selectTargets } from '../../src/fleet/select.js';
import { loadTargetsFile, parseTargetsText, resolveUrl, textSecrets, validateTargets, type TargetSpec } from '../../src/fleet/targets.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-fleet-unit-');

/** The error a call throws, as { message, exitCode }. */
async function failure(fn: () => unknown): Promise<{ message: string; exitCode: number }> {
  try {
    await fn();
  } catch (err) {
    return { message: (err as Error).message, exitCode: (err as { exitCode: number }).exitCode };
  }
  throw new Error('did not throw');
}

const spec = (name: string, tags: string[] = [], extra: Partial<TargetSpec> = {}): TargetSpec => ({
  name,
  url: `postgres://app:pw@h/${name}`,
  urlEnv: null,
  schema: null,
  namespace: null,
  tags,
  ...extra,
});

describe('targets files', () => {
  it('reads YAML and JSON to the same targets', async () => {
    const dir = tmp();
    const yaml = path.join(dir, 'fleet.yaml');
    fs.writeFileSync(
      yaml,
      ['targets:', '  - name: eu-1', '    url: postgres://app:s3cret-yaml@db1:5432/t1', '    tags: [eu, canary]', '  - name: us.2', '    urlEnv: US_2_URL', '    schema: chat', '    namespace: tenant_2', ''].join('\n'),
    );
    const json = path.join(dir, 'fleet.json');
    fs.writeFileSync(
      json,
      JSON.stringify({
        targets: [
          { name: 'eu-1', url: 'postgres://app:s3cret-yaml@db1:5432/t1', tags: ['eu', 'canary'] },
          { name: 'us.2', urlEnv: 'US_2_URL', schema: 'chat', namespace: 'tenant_2' },
        ],
      }),
    );
    const a = await loadTargetsFile(yaml);
    const b = await loadTargetsFile(json);
    expect(a.targets).toEqual(b.targets);
    expect(a.targets).toEqual([
      { name: 'eu-1', url: 'postgres://app:s3cret-yaml@db1:5432/t1', urlEnv: null, schema: null, namespace: null, tags: ['eu', 'canary'] },
      { name: 'us.2', url: null, urlEnv: 'US_2_URL', schema: 'chat', namespace: 'tenant_2', tags: [] },
    ]);
    expect(a.secrets).toContain('s3cret-yaml');
  });

  it('tells the format by content when the extension does not', async () => {
    expect(await parseTargetsText('{"targets": []}', 'fleet')).toEqual({ targets: [] });
    expect(await parseTargetsText('targets: []\n', 'fleet')).toEqual({ targets: [] });
  });

  it.each([
    [{}, /must be a non-empty list/],
    [{ targets: [] }, /must be a non-empty list/],
    [{ targets: [{ url: 'postgres://h/d' }] }, /target 1: "name" must be/],
    [{ targets: [{ name: 'tag:x', url: 'postgres://h/d' }] }, /target 1: "name" must be/],
    [{ targets: [{ name: 'a' }] }, /target a: give exactly one of "url" and "urlEnv"/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d', urlEnv: 'X' }] }, /target a: give exactly one of/],
    [{ targets: [{ name: 'a', urlEnv: 'not a name' }] }, /"urlEnv" must be the name of an environment variable/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d', password: 'x' }] }, /target a: unknown key "password"/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d', schema: 'nope' }] }, /unknown schema "nope"/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d', namespace: 'a b' }] }, /"namespace" must be a plain identifier/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d', tags: 'eu' }] }, /"tags" must be a list/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d' }, { name: 'a', url: 'postgres://h/e' }] }, /two targets are named a/],
    [{ targets: [{ name: 'a', url: 'postgres://h/d' }], defaults: {} }, /unknown key "defaults"/],
    [[{ name: 'a', url: 'postgres://h/d' }], /must hold an object with a "targets" list/],
  ])('refuses %j with exit 2', async (doc, message) => {
    const e = await failure(() => validateTargets(doc, 'f.json'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(message);
  });

  it('refuses an unknown URL scheme, naming the target, password masked', async () => {
    const e = await failure(() => validateTargets({ targets: [{ name: 'ora', url: 'oracle://u:hunter22@h/db' }] }, 'f.json'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/target ora: unsupported URL scheme/);
    expect(e.message).not.toContain('hunter22');
  });

  it('says where a file does not parse, never quoting it', async () => {
    const dir = tmp();
    const badJson = path.join(dir, 'bad.json');
    fs.writeFileSync(badJson, '{"targets": [\n  {"name": "a", "url": "postgres://u:leaky-pw@h/d"}\n  {"name": "b"}\n]}');
    const j = await failure(() => loadTargetsFile(badJson));
    expect(j).toMatchObject({ exitCode: 2 });
    expect(j.message).toMatch(/is not valid JSON at line 3, column/);
    expect(j.message).not.toContain('leaky-pw');
    const badYaml = path.join(dir, 'bad.yaml');
    fs.writeFileSync(badYaml, 'targets:\n  - name: a\n    url: "postgres://u:leaky-pw@h/d\n  - name: [b\n');
    const y = await failure(() => loadTargetsFile(badYaml));
    expect(y).toMatchObject({ exitCode: 2 });
    expect(y.message).toMatch(/is not valid YAML at line \d+, column \d+/);
    expect(y.message).not.toContain('leaky-pw');
    expect(await failure(() => loadTargetsFile(path.join(dir, 'none.yaml')))).toMatchObject({ exitCode: 2, message: expect.stringContaining('no such file') });
  });

  it('finds every password written in a file, whatever its shape', () => {
    expect(textSecrets('a: "postgres://u:p%40ss@h/d"\nb: mysql://r:two-pw@h:3306/x, c')).toEqual(expect.arrayContaining(['p%40ss', 'p@ss', 'two-pw']));
  });

  it('resolves URLs from the environment; an unset or empty variable is the target\'s problem', () => {
    const t = spec('a', [], { url: null, urlEnv: 'A_URL' });
    expect(resolveUrl(t, { A_URL: 'mysql://r:pw@h/db' })).toEqual({ url: 'mysql://r:pw@h/db', problem: null });
    expect(resolveUrl(t, {})).toEqual({ url: null, problem: 'environment variable A_URL is not set' });
    expect(resolveUrl(t, { A_URL: '' })).toEqual({ url: null, problem: 'environment variable A_URL is empty' });
    const bad = resolveUrl(t, { A_URL: 'redis://u:hidden-pw@h' });
    expect(bad.problem).toMatch(/^environment variable A_URL: unsupported URL scheme/);
    expect(bad.problem).not.toContain('hidden-pw');
  });
});

describe('--canary and --only', () => {
  const targets = [spec('a', ['eu']), spec('b', ['us']), spec('c', ['eu', 'canary'])];

  it('picks by name and by tag, in file order', () => {
    expect([...selectTargets(targets, ['c', 'a'], '--canary')]).toEqual(['a', 'c']);
    expect([...selectTargets(targets, ['tag:eu'], '--only')]).toEqual(['a', 'c']);
    expect([...selectTargets(targets, ['tag:canary', 'b'], '--canary')]).toEqual(['b', 'c']);
  });

  it('refuses a name or tag that picks nothing', async () => {
    expect(await failure(() => selectTargets(targets, ['d'], '--canary'))).toEqual({ exitCode: 2, message: '--canary d: no target is named d (use tag:<tag> for a tag)' });
    expect(await failure(() => selectTargets(targets, ['tag:asia'], '--only'))).toEqual({ exitCode: 2, message: '--only tag:asia: no target has the tag asia' });
    expect((await failure(() => selectTargets(targets, [''], '--only'))).exitCode).toBe(2);
  });
});

describe('the same database twice', () => {
  it('keys a URL by host, port, database and namespace, not by user or password', () => {
    expect(databaseKey('postgres://a:x@Host/db', null)).toBe(databaseKey('postgresql://b:y@host:5432/db', null));
    expect(databaseKey('postgres://a:x@host/db', 'tenant_1')).not.toBe(databaseKey('postgres://a:x@host/db', 'tenant_2'));
    expect(databaseKey('mysql://a:x@host/db1', null)).toBe(databaseKey('mariadb://a:x@host:3306/other', 'db1'));
    expect(databaseKey('postgres://a:p@ss/w@host:6432/db', null)).toBe('postgres|host|6432|db|');
    expect(databaseKey('pglite:memory', null)).toBeNull();
  });

  it('finds the first two targets that are one database', () => {
    const a = spec('a');
    const b = spec('b', [], { namespace: 'other' });
    const c = spec('c');
    expect(sameDatabase([{ spec: a, url: 'postgres://u:1@h/x' }, { spec: b, url: 'postgres://u:1@h/x' }], null)).toBeNull();
    expect(sameDatabase([{ spec: a, url: 'postgres://u:1@h/x' }, { spec: b, url: 'postgres://u:1@h/x' }, { spec: c, url: 'postgres://v:2@h:5432/x' }], null)).toEqual(['a', 'c']);
  });
});
