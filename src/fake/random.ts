/**
 * A small, fast, seeded random source. Every user's rows come from a stream
 * of their own (seed x user ordinal), so the data does not depend on how the
 * run is chunked, and the same seed gives the same rows.
 */
import { HEX, Uuid } from '../rows/uuid.js';

/** 32-bit mix of a string and numbers (FNV-1a, then murmur's finalizer). */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = String(part);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x2c; // separator
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A stream named by its parts: `Rng.of(seed, 'user', 42)`. 128 bits of state, so ids from it do not collide. */
  static of(...parts: (string | number)[]): Rng {
    return new Rng(hash32(...parts, 'a'), hash32(...parts, 'b'), hash32(...parts, 'c'), hash32(...parts, 'd'));
  }

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    for (let i = 0; i < 12; i++) this.u32(); // mix the seed in
  }

  /** sfc32: a uniform 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `count` distinct items (count <= items.length). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  /** Pick by weight: `[[value, weight], ...]`. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [v, w] of table) {
      if ((r -= w) < 0) return v;
    }
    return table[table.length - 1]![0];
  }

  /**
   * A count around `mean`: uniform in [mean/2, 3*mean/2], with the
   * fractional part of a non-integer mean kept on average.
   */
  around(mean: number): number {
    if (mean <= 0) return 0;
    const x = mean * (0.5 + this.next());
    const whole = Math.floor(x);
    return whole + (this.next() < x - whole ? 1 : 0);
  }

  /** A random (version 4) UUID from this stream. */
  uuid(): string {
    const b = [this.u32(), this.u32(), this.u32(), this.u32()];
    const byte = (i: number) => (b[i >> 2]! >>> ((i & 3) * 8)) & 0xff;
    let s = '';
    for (let i = 0; i < 16; i++) {
      let v = byte(i);
      if (i === 6) v = (v & 0x0f) | 0x40;
      if (i === 8) v = (v & 0x3f) | 0x80;
      s += HEX[v];
      if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
    }
    return s;
  }

  /** A version-7 UUID (src/rows/uuid.ts) for `ms`, its random bits from this stream. */
  uuidV7(ms: number): Uuid {
    const r1 = this.u32();
    const r2 = this.u32();
    return Uuid.v7(ms, r1, r2, this.u32());
  }

  /** Random bytes (for salts). */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A random string of letters and digits. */
  token(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += BASE62[this.u32() % 62];
    return s;
  }

  /** A hex string of `length` characters. */
  hex(length: number): string {
    let s = '';
    while (s.length < length) {
      const v = this.u32();
      s += HEX[v >>> 24]! + HEX[(v >>> 16) & 0xff] + HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
    }
    return s.length === length ? s : s.slice(0, length);
  }
}
