import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { maskText, maskUrl } from '../../src/shared/mask.js';
import { parseUrl } from '../../src/config/url.js';
import { tempDirs } from '../support/tmp.js';

const tmp = tempDirs('dbkit-config-');

describe('URLs', () => {
  it.each([
    ['postgres://u:p@h:5432/db', 'postgres'],
    ['postgresql://u@h/db', 'postgres'],
    ['mysql://u:p@h/db', 'mysql'],
    ['mariadb://u:p@h/db', 'mysql'],
    ['pglite:memory', 'pglite'],
    ['pglite:./data', 'pglite'],
  ])('%s is %s', (url, engine) => {
    expect(parseUrl(url).engine).toBe(engine);
  });

  it('rejects other schemes with exit code 2, the password masked', () => {
    expect(() => parseUrl('oracle://u:hunter2@h/db')).toThrowError(/unsupported URL scheme "oracle" in oracle:\/\/u:\*\*\*\*@h\/db/);
    try {
      parseUrl('oracle://u:hunter2@h/db');
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(2);
      expect(String(err)).not.toContain('hunter2');
    }
  });

  it('shows a URL with its password masked (and its user name where that holds the password), the host after the last @', () => {
    expect(parseUrl('postgres://app:p@ss@127.0.0.1:1/db').display).toBe('postgres://app:****@127.0.0.1:1/db');
    expect(parseUrl('postgres://app:pp@127.0.0.1:1/db').display).toBe('postgres://****:****@127.0.0.1:1/db'); // the user name holds the password
    expect(parseUrl('postgres://app@127.0.0.1:1/db').display).toBe('postgres://app@127.0.0.1:1/db');
    expect(parseUrl('mysql://app@[::1]:3306/db').display).toBe('mysql://app@[::1]:3306/db');
    expect(parseUrl('postgres://h/db?sslmode=prefer&password=x').display).toBe('postgres://h/db?sslmode=prefer&password=****');
    expect(maskUrl('see postgres://app:s3cr%40t@db:5432/x')).toBe('see postgres://app:****@db:5432/x');
  });

  it('refuses a raw / ? # before the @ with a usage error that names no part of the password', () => {
    expect(() => parseUrl('postgres://app:pa/ss@127.0.0.1:1/db', undefined, '--url')).toThrowError(/^not a valid database URL \(--url\): an '@' follows/);
  });

  it('an empty URL is a usage error', () => {
    expect(() => parseUrl('', undefined, '--url')).toThrowError(/--url is empty/);
  });

  it('masks passwords in URLs and free text, whole tokens only', () => {
    expect(maskText('password authentication failed for s3cr@t', ['s3cr%40t'])).toBe('password authentication failed for ****');
    expect(maskText('database "qa_prod" does not exist', ['prod'])).toBe('database "qa_prod" does not exist');
  });
});

describe('configuration sources', () => {
  it('uses the embedded PGlite database with no configuration, and the agents schema', async () => {
    const cwd = tmp();
    const c = await loadConfig({}, {}, cwd);
    expect(c.urlSource).toBe('default');
    expect(c.target.engine).toBe('pglite');
    expect(c.target.pgliteDir).toBe(path.join(cwd, '.dbkit', 'pglite'));
    expect(c.schemaName).toBe('agents');
  });

  it('--url beats DATABASE_URL beats .env beats the config file', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ url: 'mysql://c@h/fromfile' }));
    expect((await loadConfig({}, {}, cwd)).urlSource).toBe('config file');
    fs.writeFileSync(path.join(cwd, '.env'), 'DATABASE_URL=mysql://e@h/fromdotenv\n');
    expect((await loadConfig({}, {}, cwd)).target.url).toBe('mysql://e@h/fromdotenv');
    expect((await loadConfig({}, { DATABASE_URL: 'postgres://x@h/env' }, cwd)).urlSource).toBe('DATABASE_URL');
    const flag = await loadConfig({ url: 'pglite:memory' }, { DATABASE_URL: 'postgres://x@h/env' }, cwd);
    expect(flag.urlSource).toBe('--url');
  });

  it('defaults the schema by dialect: chat on MySQL', async () => {
    expect((await loadConfig({ url: 'mysql://u@h/db' }, {}, tmp())).schemaName).toBe('chat');
  });

  it('reads dbkit.config.ts without a TypeScript loader', async () => {
    const cwd = tmp();
    fs.writeFileSync(
      path.join(cwd, 'dbkit.config.ts'),
      `const url: string = 'pglite:memory';\nexport default { url, schema: 'chat' as const };\n`,
    );
    const c = await loadConfig({}, {}, cwd);
    expect(c.urlSource).toBe('config file');
    expect(c.schemaName).toBe('chat');
  });

  it('an empty --url or DATABASE_URL is a usage error, never the embedded database', async () => {
    await expect(loadConfig({ url: '' }, {}, tmp())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--url is empty/) });
    await expect(loadConfig({}, { DATABASE_URL: '' }, tmp())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/DATABASE_URL is empty/) });
    expect((await loadConfig({ url: 'pglite:memory' }, { DATABASE_URL: '' }, tmp())).urlSource).toBe('--url');
  });

  it('an empty DATABASE_URL in .env is a usage error naming its line, never the embedded database', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, '.env'), 'A=1\n# comment\nexport DATABASE_URL=""\n');
    await expect(loadConfig({}, {}, cwd)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/^\.env line 3: DATABASE_URL is empty/) });
    // A source above it wins: the .env line is not read.
    expect((await loadConfig({}, { DATABASE_URL: 'pglite:memory' }, cwd)).urlSource).toBe('DATABASE_URL');
    fs.writeFileSync(path.join(cwd, '.env'), 'DATABASE_URL=pglite:memory\n');
    expect((await loadConfig({}, {}, cwd)).urlSource).toBe('.env');
  });

  it.each([
    ['DBKIT_DIRECT_URL', { DBKIT_DIRECT_URL: '' }],
    ['DBKIT_ENV', { DBKIT_ENV: ' ' }],
    ['DBKIT_LEASE_TTL', { DBKIT_LEASE_TTL: '' }],
  ])('an empty %s is a usage error naming it', async (name, env) => {
    await expect(loadConfig({ url: 'pglite:memory' }, env, tmp())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(new RegExp(`^${name} is empty`)) });
  });

  it.each(['url', 'schema', 'namespace', 'directUrl', 'env'])('an empty "%s" in the config file is a usage error naming the key', async (key) => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ [key]: '' }));
    await expect(loadConfig({}, {}, cwd)).rejects.toMatchObject({ exitCode: 2, message: `config file dbkit.config.json: "${key}" is empty: give it a value, or leave the key out` });
  });

  it('reads a dbkit.config.ts that imports a sibling file and a package', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'shared.ts'), `import dotenv from 'dotenv';\nexport const schema: string = dotenv.parse('S=chat').S!;\n`);
    fs.symlinkSync(path.join(process.cwd(), 'node_modules'), path.join(cwd, 'node_modules'));
    fs.writeFileSync(
      path.join(cwd, 'dbkit.config.ts'),
      `import { schema } from './shared';\nimport path from 'node:path';\nexport default { url: 'pglite:' + path.join('x', 'db'), schema };\n`,
    );
    const c = await loadConfig({}, {}, cwd);
    expect(c.schemaName).toBe('chat');
    expect(c.target.pgliteDir).toBe(path.join(cwd, 'x', 'db'));
  });

  it.each([
    [{ schema: 'nope' }, /unknown schema "nope"/],
    [{ url: 'mysql://u@h' }, /names no database/],
    [{ namespace: 'a;drop' }, /plain identifier/],
    [{ lockTimeout: 'soon' }, /--lock-timeout/],
  ])('rejects %o with exit code 2', async (opts, message) => {
    await expect(loadConfig(opts, {}, tmp())).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
  });

  it('reads the production marker from DBKIT_ENV or the config file, and the seed section', async () => {
    const cwd = tmp();
    expect((await loadConfig({}, {}, cwd)).production).toBe(false);
    expect((await loadConfig({}, { DBKIT_ENV: 'Production' }, cwd)).production).toBe(true);
    expect((await loadConfig({}, { DBKIT_ENV: 'development' }, cwd)).production).toBe(false);
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ env: 'production', seed: { users: 7, agents: { runsPerSession: 2 } } }));
    const c = await loadConfig({}, { DBKIT_ENV: 'development' }, cwd);
    expect(c.production).toBe(true);
    expect(c.seed).toEqual({ users: 7, agents: { runsPerSession: 2 } });
  });

  it.each([
    [{ seed: 3 }, /"seed" must be an object/],
    [{ seed: { users: 0 } }, /"seed.users" must be a whole number from 1 to 1,000,000/],
    [{ seed: { users: 1.5 } }, /"seed.users" must be a whole number from 1 to 1,000,000/],
    [{ seed: { users: 1e9 } }, /"seed.users" must be a whole number from 1 to 1,000,000/],
    [{ seed: { agents: 5 } }, /"seed.agents" must be an object of counts/],
    [{ seed: { agents: { runsPerSession: -1 } } }, /"seed.agents.runsPerSession" must be a non-negative number/],
  ])('rejects a bad seed section %o with exit code 2', async (file, message) => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify(file));
    await expect(loadConfig({}, {}, cwd)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
  });

  it('rejects unknown keys in a config file', async () => {
    const cwd = tmp();
    fs.writeFileSync(path.join(cwd, 'dbkit.config.json'), JSON.stringify({ uri: 'x' }));
    await expect(loadConfig({}, {}, cwd)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/unknown key "uri"/) });
  });
});
