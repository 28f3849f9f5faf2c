/** The seeder's pure parts: encoding, SQL text, batching, randomness, hashing, generation. */
import { describe, expect, it } from 'vitest';
import { copySql } from '../../dialects/postgres/bulk.js';
import { insertBatches, insertSql } from '../../dialects/mysql/bulk.js';
import { loadDataSql } from '../../dialects/mysql/load-data.js';
import { progressLine, num } from '../../src/render/seed.js';
import { agents } from '../../src/schema/agents.js';
import { ByteBuffer, PIECE_SIZE } from '../../src/rows/pieces.js';
import { parseLines, tableRows } from '../../src/seed/encode.js';
import { escapeText, pgTextArray, textCell, utcDateTime, writeTextRow } from '../../src/seed/text-cells.js';
import { chunkSize, CHUNK_USERS, generateChunks, seedPassword, type GenerateSpec } from '../../src/seed/generate.js';
import { hashPassword, verifyPassword } from '../../src/seed/password.js';
import { Rng } from '../../src/fake/random.js';
import { seedCounts } from '../../src/seed/seed.js';
import { seedLayout } from '../../src/seed/layout.js';
import { generators } from '../../seeds/index.js';

describe('text encoding (COPY / LOAD DATA)', () => {
  it('writes UTC times, array literals and escapes exactly', () => {
    expect(utcDateTime(0)).toBe('1970-01-01 00:00:00');
    expect(utcDateTime(Date.UTC(2025, 1, 28, 23, 59, 7))).toBe('2025-02-28 23:59:07');
    expect(utcDateTime(Date.UTC(2024, 11, 31, 0, 0, 0))).toBe('2024-12-31 00:00:00');
    expect(pgTextArray(['a', 'b "c"', 'd\\e', ''])).toBe('{"a","b \\"c\\"","d\\\\e",""}');
    expect(escapeText('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
    expect(escapeText('plain')).toBe('plain');
  });

  it('encodes a row per dialect, NULL as \\N, quoting nothing it should not', () => {
    const users = generators.agents!.tables[0]!;
    const row = ['u-1', 'ann\tlee', 'a@b.c', '$scrypt$x', Date.UTC(2025, 0, 2, 3, 4, 5), Date.UTC(2025, 0, 2, 3, 4, 6)];
    const lines = (dialect: 'postgres' | 'mysql') => {
      const out = tableRows(agents, users, dialect, 'text')();
      out.write(row);
      const data = out.flush();
      expect(data).toMatchObject({ format: 'text', rows: 1 });
      return Buffer.concat(data.pieces).toString();
    };
    expect(lines('postgres')).toBe('u-1\tann\\tlee\ta@b.c\t$scrypt$x\t2025-01-02 03:04:05+00\t2025-01-02 03:04:06+00\n');
    expect(lines('mysql')).toBe('u-1\tann\\tlee\ta@b.c\t$scrypt$x\t2025-01-02 03:04:05\t2025-01-02 03:04:06\n');

    const gallery = generators.agents!.tables.find((t) => t.name === 'gallery')!;
    const g = [1, 2, null, 'T', undefined, ['/a b', 'c"d'], ['x'], 0];
    const enc = (dialect: 'postgres' | 'mysql') => {
      const out = tableRows(agents, gallery, dialect, 'text')();
      out.write(g);
      return Buffer.concat(out.flush().pieces).toString();
    };
    expect(enc('postgres')).toBe('1\t2\t\\N\tT\t\\N\t{"/a b","c\\\\"d"}\t{"x"}\t1970-01-01 00:00:00+00\n');
    expect(enc('mysql')).toBe('1\t2\t\\N\tT\t\\N\t["/a b","c\\\\"d"]\t["x"]\t1970-01-01 00:00:00\n');
  });

  it('writes numbers, times and strings of every length and kind exactly', () => {
    const cell = (type: Parameters<typeof textCell>[0], v: unknown, dialect: 'postgres' | 'mysql' = 'mysql') => {
      const out = new ByteBuffer('text');
      textCell(type, dialect)(out, v);
      return Buffer.concat(out.flush().pieces).toString();
    };
    for (const n of [0, 7, 10, 99, 100, 123456789, 2 ** 53 - 1]) expect(cell({ kind: 'bigint' }, n)).toBe(String(n));
    expect(cell({ kind: 'int' }, -42)).toBe('-42');
    expect(cell({ kind: 'id' }, 'a7f2-uuid')).toBe('a7f2-uuid');
    expect(cell({ kind: 'timestamp' }, Date.UTC(1999, 11, 31, 23, 59, 59))).toBe('1999-12-31 23:59:59');
    expect(cell({ kind: 'timestamp' }, Date.UTC(2024, 1, 29, 0, 0, 0), 'postgres')).toBe('2024-02-29 00:00:00+00');
    expect(cell({ kind: 'timestamp' }, Date.UTC(2025, 6, 4, 9, 8, 7, 999))).toBe(utcDateTime(Date.UTC(2025, 6, 4, 9, 8, 7)));
    const long = 'x'.repeat(100);
    for (const s of ['', 'plain', 'tab\there', 'back\\slash\r\n', 'zoë', '🚀', `${long}\t${long}`, `${long}é\\`, long]) {
      expect(cell({ kind: 'text' }, s), s).toBe(escapeText(s));
    }
    expect(cell({ kind: 'json' }, { a: 'b\\c\td' })).toBe(JSON.stringify({ a: 'b\\c\td' }).replaceAll('\\', '\\\\'));
  });

  it('parses its own text back, rows spanning buffer pieces included', () => {
    const out = new ByteBuffer('text');
    const long = 'x'.repeat(PIECE_SIZE / 4);
    const rows = [['a\\b', null, 'tab\there'], [long, 'line\nbreak', ''], [long, long, 'end'], [long, 'é', long]];
    const cells = [0, 1, 2].map(() => textCell({ kind: 'text' }, 'mysql'));
    for (const r of rows) {
      writeTextRow(out, cells, r);
      out.rows++;
    }
    const data = out.flush();
    expect(data.rows).toBe(4);
    expect(data.pieces.length).toBeGreaterThan(1);
    expect(parseLines(Buffer.concat(data.pieces).toString())).toEqual(rows);
  });
});

describe('bulk-load SQL', () => {
  it('quotes every identifier (key, timestamp and value are column names here)', () => {
    expect(copySql('public', 'settings', ['id', 'key', 'value'], 'text')).toBe('COPY "public"."settings" ("id", "key", "value") FROM STDIN');
    expect(copySql('public', 'messages', ['timestamp'], 'binary', "'/dev/blob'")).toBe('COPY "public"."messages" ("timestamp") FROM \'/dev/blob\' WITH (FORMAT binary)');
    expect(loadDataSql('chat', 'messages', ['id', 'timestamp'])).toBe(
      "LOAD DATA LOCAL INFILE 'dbkit-seed.tsv' INTO TABLE `chat`.`messages` CHARACTER SET utf8mb4 (`id`, `timestamp`)",
    );
    expect(insertSql('chat', 'settings', ['key', 'value'], 2)).toBe('INSERT INTO `chat`.`settings` (`key`, `value`) VALUES (?, ?), (?, ?)');
  });

  it('sizes INSERT batches under the packet limit, every row once and in order', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [String(i), 'x'.repeat(i % 50), null]);
    const batches = insertBatches(rows, 4000);
    expect(batches.length).toBeGreaterThan(5);
    expect(batches.flat()).toEqual(rows);
    for (const b of batches) {
      const bytes = b.reduce((n, r) => n + 4 + r.reduce((m, c) => m + (c === null ? 5 : Buffer.byteLength(c) * 2 + 3), 0), 0);
      expect(b.length === 1 || bytes <= 4000).toBe(true);
    }
  });
});

describe('seeded randomness', () => {
  it('repeats per stream, differs across streams, makes version-4 UUIDs', () => {
    const a = Rng.of(1, 'user', 7);
    const b = Rng.of(1, 'user', 7);
    const c = Rng.of(1, 'user', 8);
    const seqA = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(seqA);
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => Rng.of(3, 'u', i).uuid()));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('makes version-7 UUIDs whose first 48 bits are the milliseconds, sorting as they grow', () => {
    const r = Rng.of(2, 'ids');
    const start = Date.UTC(2024, 0, 1);
    // Across a 65,536 ms boundary of the cached high part, and far from it.
    const times = [start, start + 1, start + 65_535, start + 65_536, start + 65_537, start + 86_400_000 * 400];
    const ids = times.map((ms) => String(r.uuidV7(ms)));
    for (const [i, id] of ids.entries()) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(times[i]);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(r.hex(12)).toMatch(/^[0-9a-f]{12}$/);
    expect(r.hex(64)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ramps chunk sizes up and down and covers every user once', () => {
    for (const total of [1, 9, 10, 95, 400, 1234]) {
      const sizes: number[] = [];
      for (let done = 0, i = 0; done < total; i++) {
        const n = chunkSize(done, total, i);
        expect(n).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(CHUNK_USERS);
        sizes.push(n);
        done += n;
      }
      expect(sizes.reduce((x, y) => x + y, 0)).toBe(total);
    }
    expect(chunkSize(0, 1000, 0)).toBe(10);
    expect(chunkSize(10, 1000, 1)).toBe(20);
  });
});

describe('password hashes', () => {
  it('are scrypt PHC strings that verify the password and nothing else', async () => {
    const { password, salt } = seedPassword(9, 1);
    expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(seedPassword(9, 1).password).toBe(password);
    expect(seedPassword(9, 2).password).not.toBe(password);
    const phc = await hashPassword(password, salt);
    expect(phc).toMatch(/^\$scrypt\$ln=\d+,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(password, phc)).toBe(true);
    expect(await verifyPassword('wrong', phc)).toBe(false);
    expect(await verifyPassword(password, 'plaintext')).toBe(false);
  });
});

async function generate(spec: GenerateSpec): Promise<{ text: string; tables: Record<string, number> }> {
  let text = '';
  const tables: Record<string, number> = {};
  for await (const chunk of generateChunks(spec)) {
    for (const t of chunk.tables) {
      tables[t.name] = (tables[t.name] ?? 0) + t.data.rows;
      text += `${t.name}\n${Buffer.concat(t.data.pieces).toString()}`;
    }
  }
  return { text, tables };
}

describe.each(['agents', 'chat'])('the %s generator', (schema) => {
  const spec = (seed: number, users = 30): GenerateSpec => ({
    schema,
    dialect: 'mysql',
    seed,
    users,
    counts: seedCounts(generators[schema]!),
    firstOrdinal: 0,
    idBase: {},
    shared: true,
    layout: seedLayout(schema, 'mysql'),
  });

  it('gives the same bytes for the same seed, other bytes for another, about 300 rows a user', async () => {
    const a = await generate(spec(5));
    expect((await generate(spec(5))).text).toBe(a.text);
    expect((await generate(spec(6))).text).not.toBe(a.text);
    const perUser = Object.values(a.tables).reduce((x, y) => x + y, 0) / 30;
    expect(perUser).toBeGreaterThan(230);
    expect(perUser).toBeLessThan(380);
    expect(a.tables.users).toBe(30);
  });

  it('follows the per-parent counts of the config file', async () => {
    const defaults = seedCounts(generators[schema]!);
    const key = schema === 'agents' ? 'sessionsPerUser' : 'conversationsPerUser';
    const child = schema === 'agents' ? 'sessions' : 'conversations';
    const doubled = await generate({ ...spec(5), counts: seedCounts(generators[schema]!, { [key]: defaults[key]! * 2 }) });
    const normal = await generate(spec(5));
    expect(doubled.tables[child]! / normal.tables[child]!).toBeGreaterThan(1.6);
    expect(() => seedCounts(generators[schema]!, { nonsense: 1 })).toThrow(/unknown seed count/);
  });
});

describe('progress and numbers', () => {
  it('formats without Intl', () => {
    expect(num(0)).toBe('0');
    expect(num(1234567)).toBe('1,234,567');
    expect(progressLine(100, 400, 30000, 2, 8)).toBe('[##......] 100/400 users  30,000 rows  15,000 rows/s');
  });
});

describe('taking back a failed run: what leaves with its user, and the ledger', () => {
  it('finds the tables whose rows cascade from users through NOT NULL foreign keys, in the expected model', async () => {
    const { expectedVariant } = await import('../../src/migrate/folder/snapshots.js');
    const { cascadingFromUsers } = await import('../../src/rows/coverage.js');
    // settings.user_id is nullable (global settings): its rows are taken back by key.
    for (const dialect of ['postgres', 'mysql'] as const) {
      expect([...cascadingFromUsers(expectedVariant('agents', dialect))].sort()).toEqual(['files', 'gallery', 'messages', 'runs', 'sessions', 'users']);
      expect([...cascadingFromUsers(expectedVariant('chat', dialect))].sort()).toEqual(['api_calls', 'conversations', 'messages', 'users']);
    }
    const model = structuredClone(expectedVariant('agents', 'postgres'));
    model.tables.find((t) => t.name === 'sessions')!.foreignKeys[0]!.onDelete = 'SET NULL';
    // runs still reach users directly; files and messages through runs.
    expect([...cascadingFromUsers(model)].sort()).toEqual(['files', 'gallery', 'messages', 'runs', 'users']);
  });

  it('finds the shortest path up to users for each such table: what a take-back joins through, never gallery.run_id', async () => {
    const { expectedVariant } = await import('../../src/migrate/folder/snapshots.js');
    const { pathsToUsers } = await import('../../src/rows/coverage.js');
    const hop = (column: string, parent: string) => ({ column, parent, parentColumn: 'id' });
    const paths = pathsToUsers(expectedVariant('agents', 'postgres'));
    expect(Object.fromEntries(paths)).toEqual({
      users: [],
      sessions: [hop('user_id', 'users')],
      runs: [hop('user_id', 'users')],
      gallery: [hop('user_id', 'users')],
      messages: [hop('run_id', 'runs'), hop('user_id', 'users')],
      files: [hop('run_id', 'runs'), hop('user_id', 'users')],
    });
    expect(pathsToUsers(expectedVariant('chat', 'mysql')).get('api_calls')).toEqual([hop('user_id', 'users')]);
  });

  it('knows the foreign keys no index leads with (a take-back with triggers on compacts those tables first)', async () => {
    const { seedLayout } = await import('../../src/seed/layout.js');
    expect(seedLayout('agents', 'postgres').unindexedReferences).toEqual([{ table: 'gallery', column: 'run_id', parent: 'runs' }]);
    expect(seedLayout('chat', 'postgres').unindexedReferences).toEqual([]);
    expect(seedLayout('agents', 'postgres').references).toHaveLength(8);
    expect(seedLayout('agents', 'postgres').referencesComplete).toBe(true);
  });

  it('records the keys of what may be committed, and knows when nothing was', async () => {
    const { Ledger } = await import('../../src/seed/ledger.js');
    const ledger = new Ledger();
    expect(ledger.empty).toBe(true);
    ledger.record({ users: [1, 2], owned: { settings: [10, 11] }, shared: { settings: [1] } });
    ledger.record({ users: [3], owned: { settings: [12] } });
    expect(ledger.empty).toBe(false);
    expect(ledger.users).toEqual([1, 2, 3]);
    expect(ledger.owned.get('settings')).toEqual([10, 11, 12]);
    expect(ledger.shared.get('settings')).toEqual([1]);
  });

  it('the seed lock: takes the engine lock through a swappable function, and names the holder when it gives up (exit 4)', async () => {
    const { acquireSeedLock, useSeedEngineLock } = await import('../../src/seed/lock.js');
    const target = { engine: 'postgres' as const, url: 'postgres://u:p@h/db', display: 'postgres://u:****@h/db' };
    const asked: unknown[] = [];
    const previous = useSeedEngineLock('postgres', async (req) => {
      asked.push({ namespace: req.namespace, timeoutMs: req.timeoutMs });
      req.onWait?.('a lease held by host-b');
      return null;
    });
    try {
      const waits: string[] = [];
      const err = await acquireSeedLock(target, 'public', { timeoutMs: 2000, onWait: (t) => waits.push(t) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 4, message: 'another dbkit seed is writing to public on postgres://u:****@h/db (seed lock held by a lease held by host-b); gave up after 2s (--lock-timeout)' });
      expect(waits).toEqual(['waiting up to 2s for the seed lock of public, held by a lease held by host-b']);
      expect(asked).toEqual([{ namespace: 'public', timeoutMs: 2000 }]);
      useSeedEngineLock('postgres', async () => ({ release: async () => void asked.push('released') }));
      await (await acquireSeedLock(target, 'public', { timeoutMs: 0 })).release();
      expect(asked.at(-1)).toBe('released');
    } finally {
      useSeedEngineLock('postgres', previous);
    }
  });
});
