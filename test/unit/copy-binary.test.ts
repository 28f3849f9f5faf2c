/** PostgreSQL's binary COPY encoding, byte for byte (the format: https://www.postgresql.org/docs/current/sql-copy.html). */
import { describe, expect, it } from 'vitest';
import { BINARY_HEADER, BINARY_TRAILER, binaryCell, writeTuple, type CellWriter } from '../../dialects/postgres/copy-binary.js';
import { copyData } from '../../dialects/postgres/bulk.js';
import type { LogicalType } from '../../src/schema/definition.js';
import { agents } from '../../src/schema/agents.js';
import { bulkFormat, tableRows } from '../../src/seed/encode.js';
import { ByteBuffer, PIECE_SIZE } from '../../src/rows/pieces.js';
import { Rng } from '../../src/fake/random.js';
import { Uuid } from '../../src/rows/uuid.js';
import { generators } from '../../seeds/index.js';

const fixed = (v: unknown) => binaryCell({ kind: 'bigint' })(new ByteBuffer('binary'), v);

/** One cell's bytes, as hex: its 32-bit length, then its value. */
function cell(type: LogicalType, v: unknown): string {
  const out = new ByteBuffer('binary');
  binaryCell(type)(out, v);
  return Buffer.concat(out.flush().pieces).toString('hex');
}

const len = (n: number) => n.toString(16).padStart(8, '0');
const utf8 = (s: string) => Buffer.from(s).toString('hex');

describe('binary COPY cells', () => {
  it('writes UUIDs as their 16 bytes, from a Uuid or from any hyphenation of the text', () => {
    const hex = '0190f3a1b2c37d4e8f00112233445566';
    const canonical = '0190f3a1-b2c3-7d4e-8f00-112233445566';
    expect(cell({ kind: 'id' }, canonical)).toBe(len(16) + hex);
    expect(cell({ kind: 'ref' }, canonical.toUpperCase())).toBe(len(16) + hex);
    expect(cell({ kind: 'id' }, hex)).toBe(len(16) + hex);
    expect(cell({ kind: 'id' }, '0190f3a1-b2c37d4e-8f00-1122-33445566')).toBe(len(16) + hex);
    expect(cell({ kind: 'id' }, new Uuid(0x0190f3a1, 0xb2c37d4e, 0x8f001122, 0x33445566))).toBe(len(16) + hex);
    // What PostgreSQL's uuid_in accepts besides: braces, a hyphen after any group of four digits.
    expect(cell({ kind: 'id' }, `{${canonical}}`)).toBe(len(16) + hex);
    expect(cell({ kind: 'id' }, '0190-f3a1-b2c3-7d4e-8f00-1122-3344-5566')).toBe(len(16) + hex);
    for (const bad of [
      '0190f3a1-b2c3-7d4e-8f00-11223344556', '0190f3a1-b2c3-7d4e-8f00-1122334455667', 'g190f3a1-b2c3-7d4e-8f00-112233445566',
      '0190f3a1-b2c3-7d4e-8f00-11223344556é', '-0190f3a1b2c37d4e8f00112233445566', '', `${hex}-`, '0190f3a1--b2c3-7d4e-8f00-112233445566',
      '01-90-f3-a1-b2-c3-7d-4e-8f-00-11-22-33-44-55-66', `{${canonical}`, `${canonical}}`,
    ]) {
      expect(() => cell({ kind: 'id' }, bad), bad).toThrow(/not a UUID/);
    }
  });

  it('writes times as microseconds since 2000-01-01 UTC, before it too', () => {
    expect(cell({ kind: 'timestamp' }, Date.UTC(1999, 11, 31, 23, 59, 59, 500))).toBe(len(8) + 'fffffffffff0bdc0');
    expect(cell({ kind: 'timestamp' }, Date.UTC(2000, 0, 1))).toBe(len(8) + '0000000000000000');
    // Whole seconds, as the text form writes them (generated times have nothing smaller); a Date works too.
    expect(cell({ kind: 'timestamp' }, Date.UTC(2000, 0, 1, 0, 0, 1, 999))).toBe(len(8) + (1_000_000).toString(16).padStart(16, '0'));
    expect(cell({ kind: 'timestamp' }, new Date(Date.UTC(2000, 0, 1, 0, 0, 1)))).toBe(len(8) + (1_000_000).toString(16).padStart(16, '0'));
    // 2025-01-02 03:04:05 UTC is 789,102,245 s after 2000-01-01 (PostgreSQL: extract(epoch from its difference)).
    expect(cell({ kind: 'timestamp' }, Date.UTC(2025, 0, 2, 3, 4, 5))).toBe(len(8) + (789_102_245_000_000).toString(16).padStart(16, '0'));
    expect(cell({ kind: 'timestamp' }, Date.UTC(1999, 11, 31, 23, 59, 59))).toBe(len(8) + 'fffffffffff0bdc0');
    expect(() => cell({ kind: 'timestamp' }, Number.NaN)).toThrow(/not a time/);
  });

  it('writes integers big-endian at the column width, and refuses what does not fit', () => {
    expect(cell({ kind: 'int' }, 200)).toBe(len(4) + '000000c8');
    expect(cell({ kind: 'int' }, -2)).toBe(len(4) + 'fffffffe');
    expect(cell({ kind: 'smallint' }, 404)).toBe(len(2) + '0194');
    expect(cell({ kind: 'tinyint' }, -1)).toBe(len(2) + 'ffff');
    expect(cell({ kind: 'bigint' }, 2 ** 40 + 5)).toBe(len(8) + '0000010000000005');
    expect(cell({ kind: 'bigint' }, -3)).toBe(len(8) + 'fffffffffffffffd');
    expect(() => cell({ kind: 'smallint' }, 40_000)).toThrow(/16-bit/);
    expect(() => cell({ kind: 'int' }, 2 ** 31)).toThrow(/32-bit/);
    expect(() => cell({ kind: 'int' }, 1.5)).toThrow(/32-bit/);
    expect(cell({ kind: 'int' }, '-42')).toBe(len(4) + 'ffffffd6');
    for (const bad of ['', ' 7 ', '1e3', true, null, '9007199254740993']) expect(() => fixed(bad), String(bad)).toThrow(/64-bit/);
  });

  it('writes text as UTF-8 with nothing escaped, short and long, ASCII or not', () => {
    for (const s of ['', 'user', 'tab\there\nand\\', 'zoë', 'ünïcödé that is longer than sixteen', '🚀 launch', 'x'.repeat(5000)]) {
      expect(cell({ kind: 'text' }, s), s).toBe(len(Buffer.byteLength(s)) + utf8(s));
      expect(cell({ kind: 'varchar', length: 10 }, s), s).toBe(len(Buffer.byteLength(s)) + utf8(s));
    }
    expect(cell({ kind: 'enum', labels: ['a'] }, 'completed')).toBe(len(9) + utf8('completed'));
    expect(cell({ kind: 'text' }, 42)).toBe(len(2) + utf8('42'));
  });

  it('writes jsonb as version 1 and the JSON text, Uuids as their text', () => {
    const v = { model: 'qwen-max', tokens: 12, note: 'é\t"x"' };
    const text = JSON.stringify(v);
    expect(cell({ kind: 'json' }, v)).toBe(len(Buffer.byteLength(text) + 1) + '01' + utf8(text));
    expect(cell({ kind: 'json_text' }, 'plain')).toBe(len(8) + '01' + utf8('"plain"'));
    const id = Rng.of(1, 'j').uuidV7(Date.UTC(2024, 0, 1));
    expect(cell({ kind: 'json' }, { id })).toBe(len(Buffer.byteLength(`{"id":"${String(id)}"}`) + 1) + '01' + utf8(`{"id":"${String(id)}"}`));
  });

  it('writes text[] as a one-dimensional array of text elements', () => {
    const header = (n: number) => len(1) + len(0) + len(25) + len(n) + len(1);
    const items = ['/a b', 'c"d', '{é}'];
    const body = header(3) + items.map((s) => len(Buffer.byteLength(s)) + utf8(s)).join('');
    expect(cell({ kind: 'text_array' }, items)).toBe(len(body.length / 2) + body);
    expect(cell({ kind: 'text_array' }, [])).toBe(len(20) + header(0));
    expect(() => cell({ kind: 'text_array' }, ['a', null])).toThrow(/NULL array elements/);
  });
});

describe('binary COPY tuples and pieces', () => {
  it('frames a tuple with its field count, NULL as length -1', () => {
    const out = new ByteBuffer('binary');
    const cells: CellWriter[] = [binaryCell({ kind: 'int' }), binaryCell({ kind: 'text' }), binaryCell({ kind: 'json' })];
    writeTuple(out, cells, [7, null, undefined]);
    expect(Buffer.concat(out.flush().pieces).toString('hex')).toBe('0003' + len(4) + '00000007' + 'ffffffff' + 'ffffffff');
  });

  it('wraps a statement in the signature and the trailer; text data goes as it is', () => {
    expect(BINARY_HEADER.toString('hex')).toBe('5047434f50590aff0d0a00' + '00000000' + '00000000');
    expect(BINARY_TRAILER.toString('hex')).toBe('ffff');
    const piece = Buffer.from('x');
    expect(copyData({ format: 'binary', pieces: [piece], rows: 1 })).toEqual([BINARY_HEADER, piece, BINARY_TRAILER]);
    expect(copyData({ format: 'text', pieces: [piece], rows: 1 })).toEqual([piece]);
  });

  it('spills into new pieces without splitting a value it must write back into (arrays)', () => {
    const out = new ByteBuffer('binary');
    const array = binaryCell({ kind: 'text_array' });
    const text = binaryCell({ kind: 'text' });
    const long = 'y'.repeat(PIECE_SIZE / 8);
    for (let i = 0; i < 5; i++) text(out, long); // room is kept for 3 bytes a character: the array no longer fits after these
    array(out, [long, 'z']);
    const pieces = out.flush().pieces;
    expect(pieces.map((p) => p.length)).toEqual([5 * (4 + long.length), 4 + 20 + 4 + long.length + 4 + 1]);
    expect(pieces[1]!.readInt32BE(0)).toBe(pieces[1]!.length - 4);
    expect(pieces[1]!.readInt32BE(4 + 12)).toBe(2); // element count
  });

  it('is PostgreSQL\'s format on PostgreSQL and text elsewhere; binary is refused for MySQL', () => {
    expect(bulkFormat('postgres')).toBe('binary');
    expect(bulkFormat('mysql')).toBe('text');
    const users = generators.agents!.tables[0]!;
    expect(() => tableRows(agents, users, 'mysql', 'binary')).toThrow(/PostgreSQL/);
    const rows = tableRows(agents, users, 'postgres', 'binary')();
    rows.write([new Uuid(1, 2, 3, 4), 'ann', 'a@b.c', '$scrypt$x', Date.UTC(2000, 0, 1), Date.UTC(2000, 0, 1)]);
    const data = rows.flush();
    expect(data).toMatchObject({ format: 'binary', rows: 1 });
    expect(Buffer.concat(data.pieces).toString('hex')).toBe(
      '0006' + len(16) + '00000001000000020000000300000004' + len(3) + utf8('ann') + len(5) + utf8('a@b.c') + len(9) + utf8('$scrypt$x') + (len(8) + '0'.repeat(16)).repeat(2),
    );
  });
});

describe('Uuid', () => {
  it('prints the usual lower-case form once, and JSON gives the same', () => {
    const id = new Uuid(0x0190f3a1, 0xb2c37d4e, 0x8f001122, 0x33445566);
    expect(String(id)).toBe('0190f3a1-b2c3-7d4e-8f00-112233445566');
    expect(`${id}`).toBe('0190f3a1-b2c3-7d4e-8f00-112233445566');
    expect(JSON.stringify([id])).toBe('["0190f3a1-b2c3-7d4e-8f00-112233445566"]');
    expect(String(new Uuid(0, 0, 0, 0))).toBe('00000000-0000-0000-0000-000000000000');
    expect(String(new Uuid(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))).toBe('ffffffff-ffff-ffff-ffff-ffffffffffff');
  });
});
