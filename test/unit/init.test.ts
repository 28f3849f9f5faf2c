/** What `dbkit init` writes (src/init/answers.ts), exactly. */
import { describe, expect, it } from 'vitest';
import { parseUrl } from '../../src/config/url.js';
import { checkAnswers, checkEnvValue, configContent, defaultsFor, envWith, urlOf } from '../../src/init/answers.js';

describe('init plan', () => {
  it('percent-encodes user and password, brackets IPv6, and the URL parses back', () => {
    const a = { ...defaultsFor('mysql'), host: '::1', user: 'app@corp', password: 'p#ss w/"rd:%', database: 'chat' };
    const url = urlOf(a);
    expect(url).toBe('mysql://app%40corp:p%23ss%20w%2F%22rd%3A%25@[::1]:3306/chat');
    expect(parseUrl(url).engine).toBe('mysql');
    expect(decodeURIComponent(new URL(url).password)).toBe('p#ss w/"rd:%');
    expect(urlOf({ ...defaultsFor('pglite'), dir: './db' })).toBe('pglite:./db');
    expect(urlOf({ ...defaultsFor('postgres'), password: '' })).toBe('postgres://postgres@localhost:5432/app');
  });

  it('sets DATABASE_URL in .env: replaces the line, keeps the others, adds it when missing', () => {
    expect(envWith(null, 'postgres://u@h:1/d')).toEqual({ content: 'DATABASE_URL="postgres://u@h:1/d"\n', replaces: false });
    expect(envWith('A=1\nexport DATABASE_URL=old\nB=2\n', 'x://y')).toEqual({ content: 'A=1\nDATABASE_URL="x://y"\nB=2\n', replaces: true });
    expect(envWith('A=1', 'x://y')).toEqual({ content: 'A=1\nDATABASE_URL="x://y"\n', replaces: false });
    // Blank lines stay; a later duplicate (the one dotenv would read) goes.
    expect(envWith('A=1\n\nDATABASE_URL=a\nB=2\nDATABASE_URL=b\n', 'x://y')).toEqual({ content: 'A=1\n\nDATABASE_URL="x://y"\nB=2\n', replaces: true });
    expect(envWith('DATABASE_URL=a', 'x://y')).toEqual({ content: 'DATABASE_URL="x://y"', replaces: true });
    expect(() => checkEnvValue('postgres://u:p\\w@h/d')).toThrow(/percent-encode/);
    expect(() => checkEnvValue('postgres://u:p"w@h/d')).toThrow(/percent-encode/);
    expect(() => checkEnvValue(urlOf({ ...defaultsFor('postgres'), password: 'a"b\\c' }))).not.toThrow();
  });

  it('checks the answers and writes the config file', () => {
    expect(() => checkAnswers({ ...defaultsFor('postgres'), port: 70000 })).toThrow(/--port must be a port number/);
    expect(() => checkAnswers({ ...defaultsFor('postgres'), schema: 'billing' })).toThrow(/unknown schema "billing"/);
    expect(() => checkAnswers({ ...defaultsFor('pglite'), dir: 'a"b' })).toThrow(/--dir/);
    expect(() => checkAnswers({ ...defaultsFor('pglite'), dir: 'data\\new' })).toThrow(/--dir/);
    expect(() => checkAnswers({ ...defaultsFor('postgres'), host: 'db/x' })).toThrow(/--host/);
    expect(() => checkAnswers({ ...defaultsFor('postgres'), host: 'evil@db' })).toThrow(/--host/);
    expect(() => checkAnswers(defaultsFor('mysql'))).not.toThrow();
    expect(defaultsFor('mysql')).toMatchObject({ port: 3306, user: 'root', schema: 'chat' });
    expect(configContent({ ...defaultsFor('postgres'), schema: 'chat' })).toBe('{\n  "schema": "chat",\n  "lockTimeout": 60\n}\n');
    // An existing file keeps its other keys (the production marker above all) and its lock timeout.
    const merged = JSON.parse(configContent({ ...defaultsFor('postgres'), schema: 'chat' }, '{"env":"production","namespace":"app","lockTimeout":300,"schema":"agents"}'));
    expect(merged).toEqual({ env: 'production', namespace: 'app', lockTimeout: 300, schema: 'chat' });
    expect(() => configContent(defaultsFor('postgres'), '{ nope')).toThrow(/not valid JSON/);
    expect(() => configContent(defaultsFor('postgres'), '[1]')).toThrow(/does not hold an object/);
  });
});
