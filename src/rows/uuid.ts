/**
 * A seeded UUID held as its four 32-bit words, not as text: PostgreSQL's
 * binary COPY takes the 16 bytes as they are (dialects/postgres/copy-binary.ts),
 * and the 36-character form is built only where a generator asks for it
 * (a file path, the text format, JSON).
 */

/** Two lower-case hex digits for each byte value. */
export const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (w: number) => HEX[w >>> 24]! + HEX[(w >>> 16) & 0xff] + HEX[(w >>> 8) & 0xff] + HEX[w & 0xff];

export class Uuid {
  private text: string | undefined;

  /** The 16 bytes as big-endian words: bytes 0-3, 4-7, 8-11, 12-15. */
  constructor(
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
  ) {}

  /**
   * A version-7 UUID: `ms` (48-bit Unix milliseconds) first, then 74 random
   * bits from three 32-bit draws. Keys that grow with `ms` go in at the right
   * edge of a B-tree instead of at random places.
   */
  static v7(ms: number, r1: number, r2: number, r3: number): Uuid {
    const lo = ms % 65536;
    const variant = 0x8000 | ((r1 >>> 12) & 0x3fff);
    return new Uuid(Math.floor(ms / 65536) >>> 0, ((lo << 16) | 0x7000 | (r1 & 0x0fff)) >>> 0, ((variant << 16) | (r2 & 0xffff)) >>> 0, r3 >>> 0);
  }

  /** The usual lower-case 8-4-4-4-12 form (made once, when first asked for). */
  toString(): string {
    if (this.text === undefined) {
      const b = hex32(this.w1);
      const c = hex32(this.w2);
      this.text = `${hex32(this.w0)}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex32(this.w3)}`;
    }
    return this.text;
  }

  /** JSON writes the string form. */
  toJSON(): string {
    return this.toString();
  }
}
